"""Issue HTTP Basic credentials for an xAPI client (prints the key and the secret once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from edubridge.accounts.models import User
from edubridge.records.data import Scope
from edubridge.records.services import credential_create


class Command(BaseCommand):
    help = "Create xAPI Basic credentials: --name NAME [--scope all ...] [--owner USERNAME]."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="label of the client")
        parser.add_argument(
            "--scope",
            action="append",
            choices=[s.value for s in Scope],
            help="repeat for several scopes (default: all)",
        )
        parser.add_argument("--owner", help="username accountable for the client")
        parser.add_argument("--key", help="choose the Basic user name (default: generated)")
        parser.add_argument("--secret", help="choose the secret (default: generated)")

    def handle(self, *args: Any, **options: Any) -> None:
        owner = None
        if options["owner"]:
            owner = User.objects.filter(username=options["owner"]).first()
            if owner is None:
                raise CommandError(f"no user named {options['owner']}")
        issued = credential_create(
            name=options["name"],
            scopes=options["scope"] or [Scope.ALL.value],
            owner=owner,
            key=options["key"],
            secret=options["secret"],
        )
        self.stdout.write(
            f"key={issued.key}\nsecret={issued.secret}\nscopes={','.join(issued.scopes)}"
        )
