"""Serve the node: check, migrate, optionally load the demo, start the task worker and the web server."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
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

#: Seconds an idle keep-alive connection stays open. gunicorn's default (2 s) is meant for a
#: proxy in front; learners talk to the node directly and spend 5-60 s on an item, so with 2 s
#: nearly every request opened a new connection (handshake, a worker thread waiting for the
#: request, the connection set up again). 75 s is what nginx keeps; browsers keep idle
#: connections longer, and a connection the server closes is reopened by the browser.
KEEP_ALIVE = 75
#: Threads per worker process (gthread). Python runs one thread of a process at a time, so
#: threads only help while another waits on the database; with 4, requests of a process shared
#: its core and each took longer (practice load test, 100 learners at 10 s think time: p99 93-113
#: ms with 4, 64 ms with 2, 46 ms with 1 on SQLite; on PostgreSQL 1 thread waited on each round
#: trip, p99 482 ms, against 154 ms with 2). See bench/adaptive/load/README.md.
THREADS = 2
#: Open connections per worker process, idle keep-alive ones included (gunicorn's default);
#: beyond this a process stops accepting until one closes.
WORKER_CONNECTIONS = 1000


def warm_application() -> Any:
    """The WSGI application for gunicorn (``serve:warm_application()``), loaded with its URL
    configuration: Django imports the URL configuration, and with it every view and API module,
    on the first request, which took 2-8 s on a busy two-core machine and made the first
    learners of each worker process wait. gunicorn loads the application in each worker before
    it accepts connections, so a worker is ready when it takes its first learner."""
    from django.core.wsgi import get_wsgi_application
    from django.db import connections
    from django.urls import get_resolver

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edubridge.core.settings")
    application = get_wsgi_application()
    get_resolver().url_patterns  # noqa: B018  (imports the URL configuration)
    connections.close_all()  # a request opens its own
    # Everything loaded so far lives as long as the worker: keep it out of the cyclic collector's
    # full passes, which otherwise walk the whole heap and pause every thread of the worker.
    gc.collect()
    gc.freeze()
    return application


def gunicorn_command(
    host: str, port: int, *, workers: int, keep_alive: int, threads: int = THREADS
) -> list[str]:
    """The gunicorn command line of the node's web server."""
    # gunicorn's control socket defaults to one path per user (~/.gunicorn/gunicorn.ctl), which
    # a second node on the machine takes over; each node keeps its own in its data folder (a
    # Unix socket path has at most 107 bytes: none when the folder's path is longer)
    control = str(Path(settings.DATA_DIR).resolve() / "gunicorn.ctl")
    control_args = (
        ["--control-socket", control] if len(control.encode()) < 100 else ["--no-control-socket"]
    )
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "edubridge.core.management.commands.serve:warm_application()",
        "--bind",
        f"{'[' + host + ']' if ':' in host else host}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--worker-connections",
        str(WORKER_CONNECTIONS),
        "--keep-alive",
        str(keep_alive),
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "10",
        *control_args,
    ]


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
            "--web-threads",
            type=int,
            default=int(os.environ.get("WEB_THREADS", str(THREADS))),
            help=f"threads per web worker process (default {THREADS})",
        )
        parser.add_argument(
            "--keep-alive",
            type=int,
            default=int(os.environ.get("WEB_KEEP_ALIVE", str(KEEP_ALIVE))),
            help=f"seconds an idle keep-alive connection stays open (default {KEEP_ALIVE})",
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
            gunicorn_command(
                host,
                port,
                workers=options["web_workers"],
                keep_alive=options["keep_alive"],
                threads=options["web_threads"],
            ),
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
