"""Print the data-class registry: every stored field, its class and its purpose."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from edubridge.core.data_classes import registry, registry_markdown, registry_problems


class Command(BaseCommand):
    help = "Print every stored field with its data class and purpose (JSON or Markdown)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["json", "markdown"], default="markdown")

    def handle(self, *args: Any, **options: Any) -> None:
        problems = registry_problems()
        if problems:
            raise CommandError("Unclassified fields: " + "; ".join(problems))
        rows = registry()
        if options["format"] == "json":
            self.stdout.write(json.dumps([r.as_dict() for r in rows], indent=2, ensure_ascii=False))
        else:
            self.stdout.write(registry_markdown(rows), ending="")
