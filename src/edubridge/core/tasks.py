"""Background tasks of the node itself."""

from __future__ import annotations

from django.db import connection
from django_tasks import task


@task()
def node_ping(message: str) -> dict[str, object]:
    """Round-trip through the queue and the database; used by health checks and tests."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        ok = cursor.fetchone() == (1,)
    return {"echo": message, "database": ok}
