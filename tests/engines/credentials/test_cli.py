"""`edubridge credentials verify FILE.json [--json]`: exit 0 valid, 1 invalid, 2 unreadable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from edubridge.engines.credentials.cli import main
from edubridge.engines.credentials.contexts import LocalContextLoader
from edubridge.engines.credentials.issue import IssuerKey, issue_achievement, issue_status_list

from .conftest import CONTEXTS, LIST_URL, make_claim


@pytest.fixture(scope="module")
def signed(node_key: IssuerKey, loader: LocalContextLoader) -> dict[str, Any]:
    return issue_achievement(
        make_claim(node_key), key=node_key, created="2026-01-10T09:00:00Z", loader=loader
    )


def _write(tmp_path: Path, name: str, document: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def test_a_valid_credential_exits_0_with_a_report(
    tmp_path: Path, signed: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["verify", _write(tmp_path, "c.json", signed), "--at", "2026-06-01T00:00:00Z"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("VALID")
    assert "recipient: Amina Yusuf" in out


def test_json_report_carries_the_checks(
    tmp_path: Path, signed: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    main(["verify", _write(tmp_path, "c.json", signed), "--json", "--at", "2026-06-01T00:00:00Z"])
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is True
    assert {c["name"] for c in report["checks"]} >= {"signature", "dates", "status"}


def test_a_tampered_credential_exits_1_with_the_reason(
    tmp_path: Path, signed: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    tampered = json.loads(json.dumps(signed))
    tampered["credentialSubject"]["achievement"]["name"] = "Forged"
    assert main(["verify", _write(tmp_path, "t.json", tampered)]) == 1
    assert "NOT VALID: the signature does not match" in capsys.readouterr().out


def test_a_revoked_credential_exits_1_when_its_status_list_is_given(
    tmp_path: Path,
    signed: dict[str, Any],
    node_key: IssuerKey,
    loader: LocalContextLoader,
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = issue_status_list(
        list_url=LIST_URL, revoked={5}, key=node_key, created="2026-03-01T00:00:00Z", loader=loader
    )
    code = main(
        [
            "verify",
            _write(tmp_path, "c.json", signed),
            "--status-list",
            _write(tmp_path, "s.json", status),
            "--at",
            "2026-06-01T00:00:00Z",
        ]
    )
    assert code == 1
    assert "NOT VALID: revoked" in capsys.readouterr().out


def test_an_untrusted_issuer_exits_1_when_trust_is_required(
    tmp_path: Path, signed: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", _write(tmp_path, "c.json", signed), "--require-trusted"]) == 1
    assert "not known to this node" in capsys.readouterr().out


@pytest.mark.parametrize("content", ["not json {", "[1, 2]"])
def test_unreadable_input_exits_2_with_one_line(
    tmp_path: Path, content: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    assert main(["verify", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("edubridge credentials:")


def test_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_issue_signs_a_claim_that_then_verifies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = Ed25519PrivateKey.generate()
    pem = tmp_path / "key.pem"
    pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    claim = {
        "credential_id": "urn:uuid:5f0e0c9a-1111-4222-8333-444455556666",
        "issuer_name": "Scripted",
        "subject_id": "urn:uuid:5f0e0c9a-1111-4222-8333-444455556667",
        "subject_name": "Lee",
        "achievement_id": "https://node.example/a",
        "achievement_name": "A",
        "achievement_description": "B",
        "criteria": "C",
        "valid_from": "2026-01-01T00:00:00Z",
    }
    code = main(
        [
            "issue",
            _write(tmp_path, "claim.json", claim),
            "--key",
            str(pem),
            "--contexts",
            str(CONTEXTS),
        ]
    )
    assert code == 0
    issued = tmp_path / "issued.json"
    issued.write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["verify", str(issued)]) == 0
