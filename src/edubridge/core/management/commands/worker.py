"""Run the background task worker (Huey consumer) with a heartbeat the health check reads."""

from __future__ import annotations

import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from edubridge.core.health import HEARTBEAT_SECONDS, worker_heartbeat_write
from edubridge.core.preflight import PreflightError, check_database, check_task_storage


class Command(BaseCommand):
    help = "Run the background task worker: runs queued jobs (imports, drafts, exports, refits)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=2, help="worker threads (default 2)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            check_database()
            check_task_storage()
        except PreflightError as exc:
            raise CommandError(str(exc)) from exc
        from huey.contrib.djhuey import HUEY

        stop = threading.Event()

        def beat() -> None:
            while not stop.is_set():
                try:
                    worker_heartbeat_write()
                except Exception as exc:  # storage hiccup: report, keep beating
                    self.stderr.write(f"worker heartbeat failed: {exc}")
                stop.wait(HEARTBEAT_SECONDS)

        threading.Thread(target=beat, name="edubridge-heartbeat", daemon=True).start()
        self.stdout.write(
            f"Task worker started ({options['workers']} threads, "
            f"{HUEY.__class__.__name__} storage)."
        )
        consumer = HUEY.create_consumer(
            workers=options["workers"],
            worker_type="thread",
            periodic=True,
            check_worker_health=True,
        )
        try:
            consumer.run()
        finally:
            stop.set()
