"""Serve the node: check, migrate, optionally load the demo, start the task worker and the web server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from edubridge.core.migrating import migrate_locked
from edubridge.core.preflight import (
    PreflightError,
    check_database,
    check_port_free,
    check_task_storage,
)


class Command(BaseCommand):
    help = (
        "Serve the node at http://HOST:PORT with gunicorn, after migrating; also starts the "
        "embedded task worker unless --no-worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--web-workers",
            type=int,
            default=int(os.environ.get("WEB_WORKERS", "2")),
            help="gunicorn worker processes (default 2)",
        )
        parser.add_argument(
            "--demo", action="store_true", help="load the demo network first (idempotent)"
        )
        parser.add_argument("--no-migrate", action="store_true", help="do not apply migrations")
        parser.add_argument("--no-worker", action="store_true", help="do not start the task worker")

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        try:
            check_port_free(host, port)
            check_database()
            check_task_storage()
        except PreflightError as exc:
            raise CommandError(str(exc)) from exc
        if not options["no_migrate"]:
            self.stdout.write("Applying migrations…")
            migrate_locked(verbosity=0)
        if options["demo"]:
            call_command("demo")
        children: list[subprocess.Popen[bytes]] = []
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "edubridge.core.settings",
            "EDUBRIDGE_DATA_DIR": str(settings.DATA_DIR),
        }
        env.setdefault("EDUBRIDGE_BASE_URL", f"http://{host}:{port}")
        if not options["no_worker"]:
            children.append(
                subprocess.Popen([sys.executable, "-m", "edubridge.cli", "worker"], env=env)
            )
        web = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "edubridge.core.wsgi:application",
                "--bind",
                f"{'[' + host + ']' if ':' in host else host}:{port}",
                "--workers",
                str(options["web_workers"]),
                "--threads",
                "4",
                "--access-logfile",
                "-",
                "--graceful-timeout",
                "10",
            ],
            env=env,
        )
        children.append(web)
        self.stdout.write(
            self.style.SUCCESS(f"EduBridge is serving at http://{host}:{port}/  (Ctrl+C stops it)")
        )
        self._wait(children)

    def _wait(self, children: list[subprocess.Popen[bytes]]) -> None:
        def stop(*_: Any) -> None:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
        failed = [c for c in children if c.returncode not in (0, -signal.SIGTERM, None)]
        if failed:
            raise CommandError("A node process stopped unexpectedly; see the messages above.")
