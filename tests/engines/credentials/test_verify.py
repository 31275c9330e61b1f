"""Issuing and verifying AchievementCredentials: each failure names its reason."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from edubridge.engines.credentials.achievement import changed_fields, credential_summary
from edubridge.engines.credentials.contexts import LocalContextLoader
from edubridge.engines.credentials.issue import IssuerKey, issue_achievement, issue_status_list
from edubridge.engines.credentials.verify import VerificationReport, verify_credential

from .conftest import LIST_URL, make_claim, make_key

NOW = datetime(2026, 6, 1, tzinfo=UTC)
CREATED = "2026-01-10T09:00:00Z"


@pytest.fixture(scope="module")
def credential(node_key: IssuerKey, loader: LocalContextLoader) -> dict[str, Any]:
    return issue_achievement(make_claim(node_key), key=node_key, created=CREATED, loader=loader)


def _lists(
    key: IssuerKey, loader: LocalContextLoader, revoked: set[int]
) -> dict[str, dict[str, Any]]:
    return {
        LIST_URL: issue_status_list(
            list_url=LIST_URL,
            revoked=revoked,
            key=key,
            created="2026-03-01T00:00:00Z",
            loader=loader,
        )
    }


def _verify(
    credential: dict[str, Any], key: IssuerKey, loader: LocalContextLoader, **options: Any
) -> VerificationReport:
    options.setdefault("status_lists", _lists(key, loader, set()).get)
    options.setdefault("trusted_issuers", {key.did: "this node"})
    return verify_credential(credential, loader=loader, now=NOW, **options)


def test_a_fresh_credential_verifies_with_every_check_passing(
    credential: dict[str, Any], node_key: IssuerKey, loader: LocalContextLoader
) -> None:
    report = _verify(credential, node_key, loader)
    assert report.valid, report.reason
    assert [c.name for c in report.checks] == [
        "shape",
        "contexts",
        "proof",
        "issuer",
        "signature",
        "dates",
        "status",
    ]
    assert all(c.ok for c in report.checks)
    assert report.summary["subject_name"] == "Amina Yusuf"
    assert report.summary["achievement"] == "AI for Teaching: Foundations"


def test_the_credential_is_an_open_badges_achievement_credential(
    credential: dict[str, Any],
) -> None:
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "AchievementCredential"]
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert credential["issuer"]["id"].startswith("did:key:z6Mk")


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("credentialSubject", "identifier", 0, "identityHash"), "Someone Else"),
        (("validFrom",), "2025-01-10T00:00:00Z"),
        (("credentialSubject", "achievement", "name"), "AI for Teaching: Trainer"),
    ],
    ids=["recipient name", "date", "achievement"],
)
def test_a_changed_field_fails_the_signature_check(
    credential: dict[str, Any],
    node_key: IssuerKey,
    loader: LocalContextLoader,
    path: tuple[Any, ...],
    value: str,
) -> None:
    tampered = copy.deepcopy(credential)
    target: Any = tampered
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    report = _verify(tampered, node_key, loader)
    assert not report.valid
    assert "signature does not match" in (report.reason or "")


def test_changed_fields_names_what_was_altered(credential: dict[str, Any]) -> None:
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["achievement"]["name"] = "Other"
    assert changed_fields(credential, tampered) == ["credentialSubject.achievement.name"]


def test_a_credential_signed_by_another_key_fails(
    node_key: IssuerKey, loader: LocalContextLoader
) -> None:
    impostor = make_key(9)
    forged = issue_achievement(make_claim(impostor), key=impostor, created=CREATED, loader=loader)
    # Claim the node as issuer while keeping the impostor's signature.
    forged["issuer"]["id"] = node_key.did
    report = _verify(forged, node_key, loader)
    assert not report.valid
    assert "not of the issuer" in (report.reason or "")


def test_an_issuer_unknown_to_the_node_fails_when_trust_is_required(
    node_key: IssuerKey, loader: LocalContextLoader
) -> None:
    stranger = make_key(11)
    other = issue_achievement(
        make_claim(stranger, status=None), key=stranger, created=CREATED, loader=loader
    )
    assert _verify(other, node_key, loader).valid
    report = _verify(other, node_key, loader, require_trusted_issuer=True)
    assert not report.valid
    assert "not known to this node" in (report.reason or "")


def test_a_revoked_credential_says_it_was_revoked(
    credential: dict[str, Any], node_key: IssuerKey, loader: LocalContextLoader
) -> None:
    report = _verify(credential, node_key, loader, status_lists=_lists(node_key, loader, {5}).get)
    assert not report.valid
    assert report.revoked
    assert (report.reason or "").startswith("revoked")
    assert "2026-03-01" in (report.reason or "")


def test_another_revoked_entry_does_not_revoke_this_credential(
    credential: dict[str, Any], node_key: IssuerKey, loader: LocalContextLoader
) -> None:
    assert _verify(
        credential, node_key, loader, status_lists=_lists(node_key, loader, {4, 6}).get
    ).valid


def test_a_status_list_signed_by_someone_else_is_not_trusted(
    credential: dict[str, Any], node_key: IssuerKey, loader: LocalContextLoader
) -> None:
    report = _verify(
        credential, node_key, loader, status_lists=_lists(make_key(3), loader, set()).get
    )
    assert not report.valid
    assert "cannot be trusted" in (report.reason or "")


def test_a_missing_status_list_leaves_revocation_unchecked_unless_required(
    credential: dict[str, Any], node_key: IssuerKey, loader: LocalContextLoader
) -> None:
    relaxed = _verify(credential, node_key, loader, status_lists=None)
    assert relaxed.valid
    assert relaxed.checks[-1].ok is None
    strict = _verify(credential, node_key, loader, status_lists=None, require_status=True)
    assert not strict.valid
    assert "not available offline" in (strict.reason or "")


def test_an_expired_credential_says_when_it_expired(
    node_key: IssuerKey, loader: LocalContextLoader
) -> None:
    old = issue_achievement(
        make_claim(node_key, valid_until="2026-02-01T00:00:00Z"),
        key=node_key,
        created=CREATED,
        loader=loader,
    )
    report = _verify(old, node_key, loader)
    assert report.reason == "expired on 2026-02-01T00:00:00Z"


def test_a_credential_not_yet_valid_fails(node_key: IssuerKey, loader: LocalContextLoader) -> None:
    future = issue_achievement(
        make_claim(node_key, valid_from="2027-01-01T00:00:00Z"),
        key=node_key,
        created=CREATED,
        loader=loader,
    )
    assert (_verify(future, node_key, loader).reason or "").startswith("not valid yet")


def test_an_unknown_context_is_refused_without_touching_the_network(
    credential: dict[str, Any], node_key: IssuerKey, loader: LocalContextLoader
) -> None:
    odd = copy.deepcopy(credential)
    odd["@context"].append("https://evil.example/context.jsonld")
    report = _verify(odd, node_key, loader)
    assert not report.valid
    assert "unknown JSON-LD context 'https://evil.example/context.jsonld'" in (report.reason or "")


def test_a_credential_without_a_proof_fails(
    credential: dict[str, Any], node_key: IssuerKey, loader: LocalContextLoader
) -> None:
    bare = {k: v for k, v in credential.items() if k != "proof"}
    assert _verify(bare, node_key, loader).reason == "the credential has no proof"


def test_a_non_credential_document_fails_the_shape_check(
    node_key: IssuerKey, loader: LocalContextLoader
) -> None:
    report = _verify({"hello": "world"}, node_key, loader)
    assert not report.valid
    assert report.checks[0].name == "shape"


def test_summary_lists_the_competencies(credential: dict[str, Any]) -> None:
    assert credential_summary(credential)["competencies"] == [
        "AICFT-1.1 Human-centred mindset: Human agency"
    ]


def test_an_added_at_key_that_canonicalization_would_drop_is_refused(
    credential: dict[str, Any], node_key: IssuerKey, loader: LocalContextLoader
) -> None:
    padded = copy.deepcopy(credential)
    padded["credentialSubject"]["@grade"] = "A+"
    report = _verify(padded, node_key, loader)
    assert not report.valid
    assert "credentialSubject.@grade is not a JSON-LD keyword" in (report.reason or "")
