"""The node issuing as did:web: its DID document, credentials that name it, verification that
resolves the node's own did:web locally and a member's did:web through the member registry,
never over HTTP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.test import Client, override_settings

from edubridge.core.identity import public_key_text
from edubridge.engines.credentials.issue import IssuerKey, issue_achievement
from edubridge.engines.credentials.multibase import public_key_multibase
from edubridge.secretariat import services as secretariat
from edubridge.training import services
from edubridge.training.selectors import credential_verify
from edubridge.training.signing import context_loader, node_did_document, node_public_key

from .test_training import coordinator, finish, make_cohort, teacher

pytestmark = pytest.mark.usefixtures("demo_network")
NODE_DID = "did:web:node.example"


@pytest.fixture
def as_did_web() -> Iterator[None]:
    node = {**settings.NODE, "BASE_URL": "https://node.example"}
    with override_settings(EDUBRIDGE_CREDENTIAL_ISSUER="did:web", NODE=node):
        yield


@pytest.mark.usefixtures("as_did_web")
def test_the_node_serves_its_did_document_with_its_ed25519_multikey() -> None:
    response = Client().get("/training/did.json")
    assert response.status_code == 200
    document = response.json()
    assert document == node_did_document()
    assert document["id"] == NODE_DID
    (method,) = document["verificationMethod"]
    assert method["type"] == "Multikey"
    assert method["publicKeyMultibase"] == public_key_multibase(node_public_key())
    assert document["assertionMethod"] == [method["id"]]
    # did:web resolvers look for a host-only DID at /.well-known/did.json.
    well_known = Client().get("/.well-known/did.json")
    assert well_known.status_code == 200
    assert well_known.json() == document
    assert well_known["Access-Control-Allow-Origin"] == "*"


@pytest.mark.usefixtures("as_did_web")
def test_a_did_web_credential_verifies_here_and_revocation_follows_it() -> None:
    cohort = make_cohort()
    credential = finish(cohort, teacher("farah"))
    document = credential.document
    assert document["issuer"]["id"] == NODE_DID
    assert document["proof"]["verificationMethod"].startswith(NODE_DID + "#z6Mk")
    assert document["credentialStatus"]["statusListCredential"].endswith("/status/web/1")
    result = credential_verify(document)
    assert result.report.valid, result.report.reason
    assert result.report.issuer_trusted
    status = Client().get("/training/credentials/status/web/1").json()
    assert status["issuer"] == NODE_DID
    services.credential_revoke(by=coordinator(), credential=credential, reason="issued in error")
    result = credential_verify(document)
    assert not result.report.valid
    assert result.report.revoked
    assert result.revoked_reason == "issued in error"


def test_credentials_issued_as_did_key_still_verify_after_switching_to_did_web() -> None:
    cohort = make_cohort()
    credential = finish(cohort, teacher("gita"))
    assert credential.document["issuer"]["id"].startswith("did:key:")
    node = {**settings.NODE, "BASE_URL": "https://node.example"}
    with override_settings(EDUBRIDGE_CREDENTIAL_ISSUER="did:web", NODE=node):
        result = credential_verify(credential.document)
    assert result.report.valid, result.report.reason


def test_an_unknown_issuer_setting_refuses_issuance_with_the_reason() -> None:
    cohort = make_cohort()
    with (
        override_settings(EDUBRIDGE_CREDENTIAL_ISSUER="did:example"),
        pytest.raises(services.TrainingError, match="EDUBRIDGE_CREDENTIAL_ISSUER"),
    ):
        finish(cohort, teacher("hana"))


def member_credential(did: str, key: Ed25519PrivateKey) -> dict[str, Any]:
    from tests.engines.credentials.conftest import make_claim

    public = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    issuer = IssuerKey(public_key=public, sign=key.sign, web_did=did)
    claim = replace(make_claim(issuer), status=None)
    return issue_achievement(
        claim, key=issuer, created="2026-01-10T09:00:00Z", loader=context_loader()
    )


def test_a_members_did_web_resolves_through_the_member_registry() -> None:
    from tests.secretariat.factories import organization

    key = Ed25519PrivateKey.generate()
    member = secretariat.member_admit(
        organization=organization("Partner University", "KE"),
        by=None,
        joined_on=dt.date(2026, 1, 1),
        node_descriptor_url="https://partner.example/.well-known/edubridge",
        public_key=public_key_text(key.public_key()),
    )
    document = member_credential("did:web:partner.example", key)
    result = credential_verify(document)
    assert result.report.valid, result.report.reason
    assert result.report.issuer_trusted
    issuer_check = next(c for c in result.report.checks if c.name == "issuer")
    assert "Partner University" in issuer_check.detail

    secretariat.member_key_revoke(key=member.keys.get(), by=None, reason="key leaked")
    result = credential_verify(document)
    assert not result.report.valid
    assert "partner.example/.well-known/did.json" in (result.report.reason or "")


def test_a_did_web_of_an_unknown_host_fails_without_any_fetch() -> None:
    document = member_credential("did:web:stranger.example", Ed25519PrivateKey.generate())
    result = credential_verify(document)
    assert not result.report.valid
    assert "https://stranger.example/.well-known/did.json" in (result.report.reason or "")
    assert "never used" in (result.report.reason or "")
