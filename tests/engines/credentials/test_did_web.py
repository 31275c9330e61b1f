"""did:web issuers: the DID, its document, and verification that resolves it only from documents
the verifier already holds."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from edubridge.engines.credentials.contexts import LocalContextLoader
from edubridge.engines.credentials.did import (
    DidError,
    did_document,
    did_web_document_url,
    did_web_from_url,
    resolve_verification_method,
)
from edubridge.engines.credentials.issue import IssuerKey, issue_achievement, issue_status_list
from edubridge.engines.credentials.multibase import public_key_multibase
from edubridge.engines.credentials.verify import verify_credential

from .conftest import LIST_URL, make_claim, make_key

NOW = datetime(2026, 6, 1, tzinfo=UTC)
DID = "did:web:node.example"


@pytest.mark.parametrize(
    ("url", "did", "document_url"),
    [
        ("https://node.example", DID, "https://node.example/.well-known/did.json"),
        ("https://Node.Example/", DID, "https://node.example/.well-known/did.json"),
        (
            "https://node.example:8443",
            "did:web:node.example%3A8443",
            "https://node.example:8443/.well-known/did.json",
        ),
        (
            "https://node.example/edubridge",
            "did:web:node.example:edubridge",
            "https://node.example/edubridge/did.json",
        ),
    ],
)
def test_the_did_follows_the_did_web_method(url: str, did: str, document_url: str) -> None:
    assert did_web_from_url(url) == did
    assert did_web_document_url(did) == document_url


def test_a_url_without_a_host_gives_no_did_web() -> None:
    with pytest.raises(DidError, match="no host"):
        did_web_from_url("/relative")


def web_key(seed: int = 7) -> IssuerKey:
    return replace(make_key(seed), web_did=DID)


def test_the_document_lists_the_key_as_a_multikey_assertion_method() -> None:
    key = web_key()
    document = did_document(DID, [key.public_key])
    (method,) = document["verificationMethod"]
    assert method == {
        "id": f"{DID}#{public_key_multibase(key.public_key)}",
        "type": "Multikey",
        "controller": DID,
        "publicKeyMultibase": public_key_multibase(key.public_key),
    }
    assert document["assertionMethod"] == [method["id"]]
    assert key.verification_method == method["id"]
    assert resolve_verification_method(method["id"], {DID: document}.get) == key.public_key


def issue(key: IssuerKey, loader: LocalContextLoader) -> dict[str, Any]:
    return issue_achievement(
        make_claim(key), key=key, created="2026-01-10T09:00:00Z", loader=loader
    )


def test_a_did_web_credential_verifies_with_the_issuers_document(
    loader: LocalContextLoader,
) -> None:
    key = web_key()
    credential = issue(key, loader)
    assert credential["issuer"]["id"] == DID
    assert credential["proof"]["verificationMethod"].startswith(DID + "#z6Mk")
    documents = {DID: did_document(DID, [key.public_key])}
    status = issue_status_list(
        list_url=LIST_URL, revoked={5}, key=key, created="2026-03-01T00:00:00Z", loader=loader
    )
    report = verify_credential(
        credential,
        loader=loader,
        now=NOW,
        trusted_issuers={DID: "the node"},
        did_resolver=documents.get,
        status_lists={LIST_URL: status}.get,
    )
    assert not report.valid
    assert report.revoked  # the status list is checked through the same DID document
    clean = issue_status_list(
        list_url=LIST_URL, revoked=set(), key=key, created="2026-03-01T00:00:00Z", loader=loader
    )
    report = verify_credential(
        credential,
        loader=loader,
        now=NOW,
        did_resolver=documents.get,
        status_lists={LIST_URL: clean}.get,
    )
    assert report.valid, report.reason
    assert "DID document" in next(c.detail for c in report.checks if c.name == "issuer")


def test_without_the_document_the_reason_names_the_did_and_its_url(
    loader: LocalContextLoader,
) -> None:
    report = verify_credential(issue(web_key(), loader), loader=loader, now=NOW)
    assert not report.valid
    assert report.reason is not None
    assert "https://node.example/.well-known/did.json" in report.reason


def test_a_document_holding_another_key_fails_the_credential(loader: LocalContextLoader) -> None:
    credential = issue(web_key(7), loader)
    impostor = make_key(9)
    document = did_document(DID, [impostor.public_key])
    report = verify_credential(credential, loader=loader, now=NOW, did_resolver={DID: document}.get)
    assert not report.valid
    assert "not an assertion method" in (report.reason or "")


def test_a_key_removed_from_assertion_methods_no_longer_verifies(
    loader: LocalContextLoader,
) -> None:
    key = web_key()
    document = did_document(DID, [key.public_key])
    document["assertionMethod"] = []
    report = verify_credential(
        issue(key, loader), loader=loader, now=NOW, did_resolver={DID: document}.get
    )
    assert not report.valid
    assert "not an assertion method" in (report.reason or "")


def test_a_tampered_did_web_credential_fails_its_signature(loader: LocalContextLoader) -> None:
    key = web_key()
    credential = copy.deepcopy(issue(key, loader))
    credential["credentialSubject"]["achievement"]["name"] = "Doctorate in Everything"
    documents = {DID: did_document(DID, [key.public_key])}
    report = verify_credential(credential, loader=loader, now=NOW, did_resolver=documents.get)
    assert not report.valid
    assert "signature does not match" in (report.reason or "")


def test_the_command_verifies_a_did_web_credential_with_a_local_did_document(
    tmp_path: Any, loader: LocalContextLoader, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from edubridge.engines.credentials.cli import main

    key = web_key()
    credential = tmp_path / "c.json"
    credential.write_text(json.dumps(issue(key, loader)), encoding="utf-8")
    did_json = tmp_path / "did.json"
    did_json.write_text(json.dumps(did_document(DID, [key.public_key])), encoding="utf-8")
    at = ["--at", "2026-06-01T00:00:00Z"]
    assert main(["verify", str(credential), *at]) == 1
    assert "did.json" in capsys.readouterr().out
    assert main(["verify", str(credential), "--did-document", str(did_json), *at]) == 0
    assert capsys.readouterr().out.startswith("VALID")
    did_json.write_text("[]", encoding="utf-8")
    assert main(["verify", str(credential), "--did-document", str(did_json)]) == 2
