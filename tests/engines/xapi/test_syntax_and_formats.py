"""Timestamps, durations, language tags, agent keys, output formats, multipart, signatures."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edubridge.engines.xapi.agents import agent_key, person
from edubridge.engines.xapi.errors import XapiError
from edubridge.engines.xapi.formats import accept_languages, canonical_format, ids_format
from edubridge.engines.xapi.multipart import build_multipart, parse_multipart, sha2_matches
from edubridge.engines.xapi.signature import check_signature
from edubridge.engines.xapi.syntax import (
    format_timestamp,
    is_duration,
    is_language_tag,
    parse_timestamp,
    truncate_duration,
)


def test_timestamp_with_offset_is_parsed_to_the_right_instant() -> None:
    moment = parse_timestamp("2023-05-04T12:00:00-05:00")
    assert moment == datetime(2023, 5, 4, 17, 0, tzinfo=UTC)


def test_timestamp_without_offset_is_utc() -> None:
    assert parse_timestamp("2023-05-04T12:00:00").tzinfo == UTC


@given(st.datetimes(timezones=st.just(UTC)))
def test_formatted_timestamps_round_trip_to_the_millisecond(moment: datetime) -> None:
    back = parse_timestamp(format_timestamp(moment))
    assert abs(back - moment) < timedelta(milliseconds=1)


def test_durations() -> None:
    assert is_duration("PT1H30M")
    assert is_duration("P3W")
    assert not is_duration("P3W1D")
    assert not is_duration("PT")
    assert truncate_duration("PT1.23456S") == "PT1.23S"


@pytest.mark.parametrize("tag", ["en", "en-US", "zh-Hans-CN", "id", "ar-EG", "x-private"])
def test_language_tags_accepted(tag: str) -> None:
    assert is_language_tag(tag)


@pytest.mark.parametrize("tag", ["", "e", "en_US", "not a tag", "123"])
def test_language_tags_rejected(tag: str) -> None:
    assert not is_language_tag(tag)


def test_agent_key_prefers_the_identifier() -> None:
    assert agent_key({"mbox": "mailto:a@b.org", "name": "A"}) == "mbox:mailto:a@b.org"
    account = {"account": {"homePage": "http://node", "name": "p-1"}}
    assert agent_key(account) == "account:http://node|p-1"
    assert agent_key({"objectType": "Group", "member": []}) is None


def test_person_collects_names_and_identifiers() -> None:
    merged = person(
        [{"name": "A", "mbox": "mailto:a@b.org"}, {"name": "A2", "mbox": "mailto:a@b.org"}]
    )
    assert merged == {"objectType": "Person", "name": ["A", "A2"], "mbox": ["mailto:a@b.org"]}


def test_ids_format_strips_names_and_definitions() -> None:
    statement = {
        "actor": {"objectType": "Agent", "name": "A", "mbox": "mailto:a@b.org"},
        "verb": {"id": "http://v", "display": {"en": "v"}},
        "object": {"objectType": "Activity", "id": "http://a", "definition": {"name": {"en": "a"}}},
    }
    assert ids_format(statement) == {
        "actor": {"objectType": "Agent", "mbox": "mailto:a@b.org"},
        "verb": {"id": "http://v"},
        "object": {"id": "http://a"},
    }


def test_canonical_format_keeps_the_preferred_language() -> None:
    statement = {
        "verb": {"id": "http://v", "display": {"en-US": "read", "zh-CN": "读"}},
        "object": {"id": "http://a"},
    }
    out = canonical_format(statement, accept_languages("zh-CN;q=0.9, en;q=0.1"))
    assert out["verb"]["display"] == {"zh-CN": "读"}
    assert statement["verb"]["display"] == {"en-US": "read", "zh-CN": "读"}


def test_multipart_round_trip() -> None:
    content = b"\x00binary\r\n--not-a-boundary"
    digest = hashlib.sha256(content).hexdigest()
    body, content_type = build_multipart(
        b'{"a":1}', [(digest, "application/octet-stream", content)]
    )
    parts = parse_multipart(body, content_type)
    assert parts[0].body == b'{"a":1}'
    assert parts[1].body == content
    assert sha2_matches(parts[1].body, parts[1].headers["x-experience-api-hash"])


def test_multipart_without_boundary_is_an_error() -> None:
    with pytest.raises(XapiError):
        parse_multipart(b"", "multipart/mixed")


def _jws(header: dict[str, str], payload: dict[str, object]) -> bytes:
    def enc(data: dict[str, object] | dict[str, str]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{enc(header)}.{enc(payload)}.c2ln".encode()


def test_signature_payload_must_match_the_statement() -> None:
    statement = {
        "actor": {"mbox": "mailto:a@b.org"},
        "verb": {"id": "http://v"},
        "object": {"id": "http://a"},
    }
    check_signature(statement, _jws({"alg": "RS256"}, statement), "$")
    with pytest.raises(XapiError, match="does not match"):
        check_signature(
            statement, _jws({"alg": "RS256"}, {**statement, "verb": {"id": "http://w"}}), "$"
        )


def test_signature_algorithm_must_be_rsa() -> None:
    statement = {"verb": {"id": "http://v"}}
    with pytest.raises(XapiError, match="RS256"):
        check_signature(statement, _jws({"alg": "none"}, statement), "$")


def test_offsets_keep_their_sign() -> None:
    moment = parse_timestamp("2020-01-01T07:00:00+07:00")
    assert moment.utcoffset() == timezone(timedelta(hours=7)).utcoffset(None)
