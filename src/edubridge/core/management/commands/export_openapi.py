"""Write the node's OpenAPI document, or check that the committed copy is current."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from edubridge.core.http_api import api


def openapi_text() -> str:
    schema = api.get_openapi_schema(path_prefix="/api")
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "Write the OpenAPI document to PATH, or with --check fail when PATH is out of date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--check", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        text = openapi_text()
        if options["check"]:
            if not path.exists() or path.read_text() != text:
                raise CommandError(f"{path} is out of date; run `make openapi` and commit it.")
            self.stdout.write(f"{path} is current.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        self.stdout.write(f"Wrote {path}.")
