"""HTTP API for the node itself: health and identity."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from edubridge.core.descriptor import node_descriptor
from edubridge.core.health import database_check, worker_check

router = Router(tags=["node"])


class CheckOut(Schema):
    ok: bool
    detail: str


class HealthOut(Schema):
    status: str
    database: CheckOut
    worker: CheckOut


@router.get(
    "/health",
    response={200: HealthOut, 503: HealthOut},
    auth=None,
    summary="Database and task-worker status",
)
def health(request: HttpRequest) -> Status[dict[str, Any]]:
    """`ok` when the database answers and a worker reported recently; `degraded` when only the
    worker is missing (pages work, background jobs wait); `down` (503) without a database."""
    db, worker = database_check(), worker_check()
    status = "ok" if db.ok and worker.ok else ("degraded" if db.ok else "down")
    body = {"status": status, "database": db.__dict__, "worker": worker.__dict__}
    return Status(200 if db.ok else 503, body)


@router.get(
    "/node", auth=None, summary="The public node descriptor (same as /.well-known/edubridge)"
)
def node(request: HttpRequest) -> dict[str, Any]:
    return node_descriptor()
