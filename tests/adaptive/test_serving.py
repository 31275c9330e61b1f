"""The web server of ``edubridge serve`` as learners meet it: one connection per learner stays
open while the learner reads an item, and a worker loads the node before it takes a learner."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from gunicorn.config import Config

from edubridge.core.management.commands import serve


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _request(sock: socket.socket, path: str) -> bytes:
    """One HTTP/1.1 request on an open connection; the status line and headers of the reply."""
    sock.sendall(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n".encode()
    )
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"the server closed the connection; got {data!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        (
            int(line.split(b":")[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        ),
        0,
    )
    while len(body) < length:
        body += sock.recv(65536)
    return head


def test_the_gunicorn_settings_are_the_ones_meant_for_learners() -> None:
    command = serve.gunicorn_command("127.0.0.1", 8123, workers=2, keep_alive=75)
    assert command[3] == "edubridge.core.management.commands.serve:warm_application()"
    parsed = Config().parser().parse_args(command[4:])
    assert parsed.bind == ["127.0.0.1:8123"]
    assert parsed.workers == 2
    assert parsed.worker_class == "gthread"
    assert parsed.threads == serve.THREADS
    assert parsed.keepalive == 75
    assert parsed.worker_connections == serve.WORKER_CONNECTIONS
    # its own control socket, not the one every gunicorn of this user shares
    assert parsed.control_socket == str(
        Path(os.environ["EDUBRIDGE_DATA_DIR"]).resolve() / "gunicorn.ctl"
    )


@pytest.fixture
def server(tmp_path: Path) -> Iterator[int]:
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "edubridge.core.settings",
        "EDUBRIDGE_DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    command = serve.gunicorn_command("127.0.0.1", port, workers=1, keep_alive=75)
    # the test's own control socket (the data folder of this process is another one)
    command[command.index("--control-socket") + 1] = str(tmp_path / "gunicorn.ctl")
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"gunicorn stopped: {proc.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_learners_connection_stays_open_while_they_read_an_item(server: int) -> None:
    """gunicorn's own default closed an idle connection after 2 s, so nearly every request of a
    learner (who reads an item for 5-60 s) opened a new connection."""
    with socket.create_connection(("127.0.0.1", server), timeout=60) as sock:
        first = _request(sock, "/api/adaptive/next?classroom=1")
        assert first.startswith(b"HTTP/1.1 401")  # no API key: refused, connection kept
        assert b"connection: close" not in first.lower()
        time.sleep(3.5)
        again = _request(sock, "/api/adaptive/next?classroom=1")
        assert again.startswith(b"HTTP/1.1 401")
