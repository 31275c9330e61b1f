"""Offline verification of joint releases: k of n distinct, unrevoked, designated members."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from edubridge.engines.releases.canonical import (
    CanonicalError,
    canonical_json,
    registry_payload,
    release_body,
    release_payload,
    text_hash,
)
from edubridge.engines.releases.cli import main
from edubridge.engines.releases.documents import b64url_encode, parse_registry, parse_release
from edubridge.engines.releases.verify import verify_registry, verify_release


def _pub(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return b64url_encode(raw)


NODE = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
KEYS = {m: Ed25519PrivateKey.from_private_bytes(bytes([k + 1]) * 32) for k, m in enumerate("ABCD")}
OLD_A = Ed25519PrivateKey.from_private_bytes(bytes([99]) * 32)
OUTSIDER = Ed25519PrivateKey.from_private_bytes(bytes([77]) * 32)


def registry_doc(revoked: set[str] = frozenset()) -> dict[str, Any]:  # type: ignore[assignment]
    members = []
    for m, key in KEYS.items():
        keys = [
            {
                "public_key": _pub(key),
                "created_at": "2026-01-01T00:00:00Z",
                "retired_at": None,
                "revoked_at": "2026-06-01T00:00:00Z" if m in revoked else None,
            }
        ]
        if m == "A":
            keys.append(
                {
                    "public_key": _pub(OLD_A),
                    "created_at": "2025-01-01T00:00:00Z",
                    "retired_at": "2026-01-01T00:00:00Z",
                    "revoked_at": None,
                }
            )
        members.append(
            {"id": m, "name": f"Member {m}", "country": "ID", "status": "active", "keys": keys}
        )
    body = {
        "format": "edubridge-registry/1",
        "issuer": {"node_id": "n1", "name": "secretariat", "public_key": _pub(NODE)},
        "issued_at": "2026-07-01T00:00:00Z",
        "members": members,
    }
    return {"registry": body, "signature": b64url_encode(NODE.sign(registry_payload(body)))}


def release_doc(
    signed_by: list[tuple[str, Ed25519PrivateKey]], threshold: int = 2
) -> dict[str, Any]:
    body = release_body(
        release_id="r1",
        title="Joint statement on AI in assessment",
        version=2,
        language="en",
        issued_by="n1",
        signers=["A", "B", "C"],
        threshold=threshold,
        metadata={"date": "2026-07-01"},
        text="Members agree.\r\nCafe\u0301 meets.",
    )
    payload = release_payload(body)
    sigs = [
        {
            "member": m,
            "key": _pub(k),
            "signed_at": "2026-07-01T00:00:00Z",
            "signature": b64url_encode(k.sign(payload)),
        }
        for m, k in signed_by
    ]
    return {"release": body, "signatures": sigs}


def verdict(doc: dict[str, Any], revoked: set[str] = frozenset()):  # type: ignore[no-untyped-def,assignment]
    return verify_release(parse_release(doc), parse_registry(registry_doc(revoked)))


def test_two_of_three_designated_members_make_a_valid_release() -> None:
    v = verdict(release_doc([("A", KEYS["A"]), ("B", KEYS["B"])]))
    assert v.valid
    assert v.counted_members == ("A", "B")
    assert not v.reasons


def test_one_signature_is_below_a_threshold_of_two() -> None:
    v = verdict(release_doc([("A", KEYS["A"])]))
    assert not v.valid
    assert "below threshold: 1 of 2" in v.reasons[0]


def test_tampered_text_fails_even_with_enough_signatures() -> None:
    doc = release_doc([("A", KEYS["A"]), ("B", KEYS["B"])])
    doc["release"]["text"] += " Not really."
    assert any("tampered text" in r for r in verdict(doc).reasons)


def test_changed_metadata_breaks_every_signature() -> None:
    doc = release_doc([("A", KEYS["A"]), ("B", KEYS["B"])])
    doc["release"]["threshold"] = 1
    v = verdict(doc)
    assert not v.valid
    assert all("does not match" in s.reason for s in v.signatures)


def test_the_same_key_is_never_counted_twice() -> None:
    v = verdict(release_doc([("A", KEYS["A"]), ("A", KEYS["A"])]))
    assert not v.valid
    assert "duplicate signer" in v.signatures[1].reason
    assert "duplicate signer" in v.reasons[0]


def test_one_member_with_two_of_its_keys_counts_once() -> None:
    v = verdict(release_doc([("A", KEYS["A"]), ("A", OLD_A)]))
    assert not v.valid
    assert v.counted_members == ("A",)
    assert "already counted with another key" in v.signatures[1].reason


def test_a_rotated_out_key_still_counts_for_past_signatures() -> None:
    assert verdict(release_doc([("A", OLD_A), ("B", KEYS["B"])])).valid


def test_a_revoked_keys_signature_does_not_count() -> None:
    v = verdict(release_doc([("A", KEYS["A"]), ("B", KEYS["B"])]), revoked={"B"})
    assert not v.valid
    assert "revoked key" in v.signatures[1].reason


def test_a_non_member_signature_is_refused_with_a_reason() -> None:
    v = verdict(release_doc([("A", KEYS["A"]), ("Z", OUTSIDER)]))
    assert not v.valid
    assert "unknown member Z" in v.signatures[1].reason


def test_a_member_signing_with_someone_elses_key_is_refused() -> None:
    v = verdict(release_doc([("A", KEYS["A"]), ("B", KEYS["C"])]))
    assert "not a registered key of Member B" in v.signatures[1].reason


def test_a_member_outside_the_designated_set_is_not_counted() -> None:
    v = verdict(release_doc([("A", KEYS["A"]), ("D", KEYS["D"])]))
    assert not v.valid
    assert "not a designated signer" in v.signatures[1].reason


def test_a_threshold_above_the_number_of_signers_is_invalid() -> None:
    v = verdict(release_doc([("A", KEYS["A"]), ("B", KEYS["B"]), ("C", KEYS["C"])], threshold=4))
    assert any("threshold 4 is not between 1 and 3" in r for r in v.reasons)


def test_an_altered_registry_is_detected() -> None:
    doc = registry_doc()
    doc["registry"]["members"][0]["keys"][0]["public_key"] = _pub(OUTSIDER)
    assert "altered registry" in (verify_registry(parse_registry(doc)) or "")
    assert verify_registry(parse_registry(registry_doc())) is None


def test_canonical_json_sorts_keys_and_has_no_whitespace() -> None:
    assert canonical_json({"b": [1, "é"], "a": None}) == '{"a":null,"b":[1,"é"]}'.encode()


def test_canonical_json_refuses_floats() -> None:
    with pytest.raises(CanonicalError):
        canonical_json({"a": 1.5})


def test_text_hash_ignores_line_endings_and_unicode_composition() -> None:
    assert text_hash("Café\r\nok") == text_hash("Cafe\u0301\nok")


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5), max_size=6))
def test_canonical_json_is_independent_of_insertion_order(d: dict[str, Any]) -> None:
    reversed_d = dict(reversed(list(d.items())))
    assert canonical_json(d) == canonical_json(reversed_d)
    assert json.loads(canonical_json(d)) == d


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from("ABCD"), max_size=6))
def test_counted_members_are_distinct_designated_and_validity_follows_the_threshold(
    who: list[str],
) -> None:
    v = verdict(release_doc([(m, KEYS[m]) for m in who]))
    assert len(set(v.counted_members)) == len(v.counted_members)
    assert set(v.counted_members) <= {"A", "B", "C"}
    assert v.valid == (len(set(who) & {"A", "B", "C"}) >= 2)


def _files(tmp_path: Path, release: dict[str, Any], registry: dict[str, Any]) -> list[str]:
    (tmp_path / "R.json").write_text(json.dumps(release), encoding="utf-8")
    (tmp_path / "REG.json").write_text(json.dumps(registry), encoding="utf-8")
    return ["verify", str(tmp_path / "R.json"), "--registry", str(tmp_path / "REG.json")]


def test_cli_exits_0_for_a_valid_release(tmp_path: Path, capsys: Any) -> None:
    doc = release_doc([("A", KEYS["A"]), ("C", KEYS["C"])])
    assert main(_files(tmp_path, doc, registry_doc())) == 0
    assert capsys.readouterr().out.startswith("valid:")


def test_cli_exits_1_with_the_reason(tmp_path: Path, capsys: Any) -> None:
    doc = release_doc([("A", KEYS["A"]), ("B", KEYS["B"])])
    assert main([*_files(tmp_path, doc, registry_doc(revoked={"B"})), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["valid"] is False
    assert "below threshold" in out["reasons"][0]


def test_cli_exits_1_when_the_issuer_key_is_not_the_pinned_one(tmp_path: Path) -> None:
    doc = release_doc([("A", KEYS["A"]), ("B", KEYS["B"])])
    args = [*_files(tmp_path, doc, registry_doc()), "--issuer-key", _pub(OUTSIDER)]
    assert main(args) == 1


def test_cli_exits_2_on_unreadable_input(tmp_path: Path, capsys: Any) -> None:
    args = _files(tmp_path, {"release": {}}, registry_doc())
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "release format" in err
    (tmp_path / "R.json").write_text("{not json", encoding="utf-8")
    assert main(args) == 2
    assert main(["verify", str(tmp_path / "missing.json"), "--registry", args[3]]) == 2
    assert main(["verify"]) == 2
