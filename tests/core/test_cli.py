"""The edubridge command: help on each command, and one clear sentence for each bad input."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "edubridge.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def _one_clear_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_top_level_help_lists_node_and_engine_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for name in ("serve", "demo", "worker", "data-classes"):
        assert name in result.stdout


@pytest.mark.parametrize("command", ["serve", "demo", "worker", "data-classes", "migrate"])
def test_each_node_command_has_help(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout


def test_unsupported_database_url_is_one_sentence() -> None:
    line = _one_clear_line(run("migrate", env={"DATABASE_URL": "mysql://root@127.0.0.1/test"}))
    assert "DATABASE_URL" in line
    assert "postgres://" in line


def test_unreachable_database_is_one_sentence() -> None:
    line = _one_clear_line(
        run("serve", "--port", "0", env={"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"})
    )
    assert "Cannot reach the PostgreSQL database" in line
    assert "DATABASE_URL" in line


def test_unreachable_redis_is_one_sentence() -> None:
    line = _one_clear_line(run("worker", env={"REDIS_URL": "redis://127.0.0.1:1/0"}))
    assert "Cannot reach Redis" in line
    assert "REDIS_URL" in line


def test_wrong_redis_url_is_one_sentence() -> None:
    line = _one_clear_line(run("worker", env={"REDIS_URL": "http://127.0.0.1:6379"}))
    assert "REDIS_URL" in line


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_port_in_use_is_one_sentence(busy_port: int) -> None:
    line = _one_clear_line(run("serve", "--port", str(busy_port), "--no-worker"))
    assert f"Port {busy_port}" in line
    assert "already in use" in line
