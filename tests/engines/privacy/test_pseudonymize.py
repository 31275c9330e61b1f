"""Keyed-hash pseudonyms: stable per key, unlinkable across keys, reversible only at home."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edubridge.engines.privacy.errors import PrivacyInputError
from edubridge.engines.privacy.pseudonymize import (
    key_fingerprint,
    pseudonym,
    pseudonymize_column,
    reidentification_table,
    reidentify,
)

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))


def test_same_value_and_key_give_the_same_pseudonym() -> None:
    assert pseudonym("learner-42", KEY) == pseudonym("learner-42", KEY)


def test_another_key_gives_another_pseudonym() -> None:
    assert pseudonym("learner-42", KEY) != pseudonym("learner-42", OTHER_KEY)


def test_domains_separate_uses_of_one_key() -> None:
    assert pseudonym("42", KEY, domain="learner") != pseudonym("42", KEY, domain="teacher")


def test_known_hmac_sha256_value() -> None:
    # HMAC-SHA256(key=0x00..0x1f, b"\x00abc"), first 32 hex digits, computed independently.
    import hashlib
    import hmac

    expected = hmac.new(KEY, b"\x00abc", hashlib.sha256).hexdigest()[:32]
    assert pseudonym("abc", KEY) == expected


def test_short_keys_are_refused() -> None:
    with pytest.raises(PrivacyInputError, match="at least 32 random bytes"):
        pseudonym("x", b"short")


def test_the_key_never_appears_in_the_output() -> None:
    result = pseudonymize_column(["id", "score"], [["a", "1"], ["b", "2"]], "id", KEY)
    text = repr(result)
    assert KEY.hex() not in text
    assert repr(KEY) not in text
    assert result.key_fingerprint == key_fingerprint(KEY)


def test_pseudonymize_column_replaces_only_that_column() -> None:
    result = pseudonymize_column(["id", "score"], [["a", "1"], ["a", "2"]], "id", KEY)
    assert result.rows[0][0] == result.rows[1][0] == pseudonym("a", KEY, domain="id")
    assert [r[1] for r in result.rows] == ["1", "2"]


def test_unknown_column_is_refused() -> None:
    with pytest.raises(PrivacyInputError, match="unknown column 'idd'"):
        pseudonymize_column(["id"], [["a"]], "idd", KEY)


def test_home_can_reidentify_with_its_key_and_records() -> None:
    sent = [pseudonym(v, KEY, domain="id") for v in ["a", "c"]]
    back = reidentify([*sent, "0" * 32], ["a", "b", "c"], KEY, domain="id")
    assert back == {sent[0]: "a", sent[1]: "c", "0" * 32: None}


def test_without_the_key_reidentification_finds_nobody() -> None:
    sent = [pseudonym(v, KEY) for v in ["a", "b"]]
    assert reidentify(sent, ["a", "b"], OTHER_KEY) == dict.fromkeys(sent)


@given(st.lists(st.text(max_size=20), unique=True, max_size=50))
def test_distinct_values_get_distinct_pseudonyms(values: list[str]) -> None:
    table = reidentification_table(values, KEY)
    assert sorted(table.values()) == sorted(values)
