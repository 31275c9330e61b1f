"""Health checks for the database and the background task worker."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection

HEARTBEAT_KEY = "edubridge:worker-heartbeat"
HEARTBEAT_SECONDS = 15
STALE_AFTER_SECONDS = 3 * HEARTBEAT_SECONDS


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str


def database_check() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return Check(False, f"database unreachable: {exc.__class__.__name__}")
    return Check(True, f"{connection.vendor} reachable")


def _huey() -> Any:
    from huey.contrib.djhuey import HUEY

    return HUEY


def worker_heartbeat_write(now: float | None = None) -> None:
    """Called by the worker every few seconds so the node can tell whether work is being done."""
    _huey().put(HEARTBEAT_KEY, now if now is not None else time.time())


def worker_check(now: float | None = None) -> Check:
    storage = settings.TASK_STORAGE.kind
    try:
        last = _huey().get(HEARTBEAT_KEY, peek=True)
        pending = _huey().pending_count()
    except Exception as exc:
        return Check(False, f"task storage ({storage}) unreachable: {exc.__class__.__name__}")
    if last is None:
        return Check(
            False, f"no task worker has reported ({storage} storage, {pending} tasks waiting)"
        )
    age = (now if now is not None else time.time()) - float(last)
    if age > STALE_AFTER_SECONDS:
        return Check(False, f"task worker last seen {int(age)} s ago ({pending} tasks waiting)")
    return Check(
        True, f"task worker seen {int(age)} s ago ({storage} storage, {pending} tasks waiting)"
    )
