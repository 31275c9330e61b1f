"""Migrate under an exclusive lock so two starts never migrate the same database at once."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command


@contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def migrate_locked(*, verbosity: int = 1) -> None:
    """Apply migrations; each migration runs in its own transaction, so none is left half-applied."""
    with _exclusive(Path(settings.DATA_DIR) / ".migrate.lock"):
        call_command("migrate", interactive=False, verbosity=verbosity)
