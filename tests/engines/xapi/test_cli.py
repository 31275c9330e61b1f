"""The offline validator command: 0 when valid, 2 with one line naming the property otherwise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from edubridge.engines.xapi.cli import main

VALID = {
    "actor": {"mbox": "mailto:ana@example.org"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
    "object": {"id": "http://example.org/items/1"},
}


def test_valid_batch_returns_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps([VALID, VALID]))
    assert main([str(path)]) == 0
    assert "2 statement(s) valid" in capsys.readouterr().out


def test_invalid_statement_returns_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps([VALID, {**VALID, "verb": {"id": "answered"}}]))
    assert main([str(path)]) == 2
    err = capsys.readouterr().err
    assert (
        err.strip() == "invalid statement: $[1].verb.id: must be an IRI (absolute, with a scheme)"
    )


def test_missing_file_returns_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["/nonexistent/statements.json"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_version_1_0_3_rejects_context_agents(tmp_path: Path) -> None:
    party = {"objectType": "contextAgent", "agent": {"mbox": "mailto:t@example.org"}}
    path = tmp_path / "s.json"
    path.write_text(json.dumps({**VALID, "context": {"contextAgents": [party]}}))
    assert main([str(path), "--xapi-version", "2.0.0"]) == 0
    assert main([str(path), "--xapi-version", "1.0.3"]) == 2
