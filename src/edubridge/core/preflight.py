"""Checks run before the node starts, each failing with one sentence that says what to do."""

from __future__ import annotations

import errno
import socket
from urllib.parse import urlparse

from django.conf import settings
from django.db import connection


class PreflightError(Exception):
    """Something outside the code stops the node from starting; the message says what to do."""


def _database_label() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"SQLite file {db['NAME']}"
    return f"PostgreSQL database '{db.get('NAME')}' at {db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"


def check_database() -> None:
    try:
        connection.ensure_connection()
    except Exception as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        raise PreflightError(
            f"Cannot reach the {_database_label()} ({reason}); start the database or fix DATABASE_URL."
        ) from exc


def check_task_storage() -> None:
    storage = settings.TASK_STORAGE
    if storage.kind != "redis":
        return
    import redis

    try:
        redis.Redis.from_url(storage.location, socket_connect_timeout=3).ping()
    except Exception as exc:
        parsed = urlparse(storage.location)
        raise PreflightError(
            f"Cannot reach Redis at {parsed.hostname}:{parsed.port or 6379} ({exc.__class__.__name__}); "
            "start Redis or unset REDIS_URL to use the embedded task queue."
        ) from exc


def check_port_free(host: str, port: int) -> None:
    with socket.socket(
        socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM
    ) as sock:
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PreflightError(
                    f"Port {port} on {host} is already in use (is EduBridge already running?); "
                    f"stop the other program or choose another port with PORT=<n>."
                ) from exc
            raise PreflightError(
                f"Cannot listen on {host}:{port} ({exc.strerror}); choose another address."
            ) from exc
