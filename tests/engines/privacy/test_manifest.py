"""Signed export manifests: what, policy version, protections, counts, file hash."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from edubridge.engines.privacy.errors import PrivacyInputError
from edubridge.engines.privacy.manifest import (
    build_manifest,
    public_key_bytes,
    sign_manifest,
    verify_manifest,
)

SEED = bytes(range(100, 132))
FILE = b"sex;age\nMale;30-39\n"


def _manifest() -> dict[str, object]:
    return build_manifest(
        what="learner responses 2026, grade 7",
        file_name="responses.csv",
        file_bytes=FILE,
        policy_id="example-eu-gdpr",
        policy_version="2026.1",
        decision_rule="example-eu-gdpr@2026.1#anonymous-aggregates",
        protections={"k_anonymity": {"k": 10, "l": 3, "suppression_limit": 0.02}},
        row_counts={"input": 120, "output": 118, "suppressed": 2},
        created_at=datetime(2026, 11, 22, 12, 0, tzinfo=UTC),
        node="node.example.org",
        destination="JP",
        purpose="research",
    )


def test_manifest_records_policy_protections_counts_and_hash() -> None:
    manifest = _manifest()
    assert manifest["policy"] == {
        "id": "example-eu-gdpr",
        "version": "2026.1",
        "rule": "example-eu-gdpr@2026.1#anonymous-aggregates",
    }
    assert manifest["row_counts"] == {"input": 120, "output": 118, "suppressed": 2}
    assert manifest["file"] == {
        "name": "responses.csv",
        "bytes": len(FILE),
        "sha256": hashlib.sha256(FILE).hexdigest(),
    }


def test_signature_verifies_with_the_public_key_and_file() -> None:
    signed = sign_manifest(_manifest(), SEED)
    assert verify_manifest(signed, public_key_bytes(SEED), FILE)


def test_a_changed_manifest_fails_verification() -> None:
    signed = sign_manifest(_manifest(), SEED)
    signed["manifest"]["row_counts"]["suppressed"] = 0
    assert not verify_manifest(signed, public_key_bytes(SEED))


def test_a_changed_file_fails_verification() -> None:
    signed = sign_manifest(_manifest(), SEED)
    assert not verify_manifest(signed, public_key_bytes(SEED), FILE + b"x")


def test_another_key_fails_verification() -> None:
    signed = sign_manifest(_manifest(), SEED)
    assert not verify_manifest(signed, public_key_bytes(bytes(32)))


def test_the_private_key_is_not_in_the_signed_manifest() -> None:
    signed = sign_manifest(_manifest(), SEED)
    assert SEED.hex() not in repr(signed)
    assert "value" in signed["signature"]
    assert signed["signature"]["algorithm"] == "Ed25519"


def test_naive_creation_time_is_refused() -> None:
    with pytest.raises(PrivacyInputError, match="timezone-aware"):
        build_manifest(
            what="x",
            file_name="f",
            file_bytes=b"",
            policy_id="p",
            policy_version="1",
            decision_rule="p@1#r",
            protections={},
            row_counts={},
            created_at=datetime(2026, 1, 1),
            node="n",
            destination="FR",
            purpose="research",
        )
