"""Load the demo network (idempotent): every app's demo.py contributes its part, with progress."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table


def _demo_modules() -> list[Any]:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("edubridge."):
            continue
        try:
            modules.append(importlib.import_module(f"{config.name}.demo"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
    return modules


class Command(BaseCommand):
    help = "Load the demo network: organizations in six countries and one user per role. Safe to re-run."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--quiet-logins", action="store_true", help="do not print the demo logins"
        )
        parser.add_argument(
            "--no-background",
            action="store_true",
            help="do not queue the demo's background work (model audits for the model cards)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(file=self.stdout, highlight=False)  # type: ignore[arg-type]
        modules = _demo_modules()
        total = sum(getattr(m, "STEPS", 1) for m in modules)
        logins: list[tuple[str, str, str]] = []
        with Progress(
            TextColumn("[bold]Demo network"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TextColumn("{task.description}"),
            console=console,
            transient=False,
        ) as progress:
            task = progress.add_task("", total=total)

            def advance(label: str) -> None:
                progress.update(task, advance=1, description=label[:50])

            with transaction.atomic():
                for module in modules:
                    logins.extend(module.load(advance) or [])
            progress.update(task, description="done")
        if not options["no_background"]:
            # Slow work that fills in pages (model cards) runs in the task worker afterwards.
            for module in modules:
                queued = getattr(module, "background", None)
                if queued is not None:
                    queued()
        if not options["quiet_logins"] and logins:
            table = Table(title="Demo logins (demo data only)")
            for column in ("username", "password", "role"):
                table.add_column(column)
            for row in logins:
                table.add_row(*row)
            console.print(table)
