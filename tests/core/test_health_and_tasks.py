"""Health reports the database and the task worker; tasks travel through the real task storage."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from huey.contrib.djhuey import HUEY

from edubridge.core.health import HEARTBEAT_KEY, worker_check, worker_heartbeat_write
from edubridge.core.tasks import node_ping

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_queue() -> None:
    HUEY.flush()


def test_health_is_degraded_without_a_worker(client: Client) -> None:
    body = client.get("/api/health").json()
    assert body["database"]["ok"] is True
    assert body["worker"]["ok"] is False
    assert body["status"] == "degraded"


def test_health_is_ok_after_a_recent_heartbeat(client: Client) -> None:
    worker_heartbeat_write()
    body = client.get("/api/health").json()
    assert body == {**body, "status": "ok"}
    assert body["worker"]["ok"] is True


def test_a_stale_heartbeat_is_reported() -> None:
    HUEY.put(HEARTBEAT_KEY, time.time() - 600)
    check = worker_check()
    assert not check.ok
    assert "last seen" in check.detail


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_through_django_tasks_runs_on_the_worker() -> None:
    # Transactional: the worker wrapper closes connections that are inside a transaction, as a real
    # worker process would never be.
    result = node_ping.enqueue(message="hello")
    assert HUEY.pending_count() == 1
    task = HUEY.dequeue()
    HUEY.execute(task)
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == {"echo": "hello", "database": True}
