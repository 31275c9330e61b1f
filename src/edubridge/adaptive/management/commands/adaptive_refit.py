"""Refit the learner model on every answer recorded on this node (run periodically, e.g. nightly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from edubridge.adaptive import services


class Command(BaseCommand):
    help = "Refit BKT with forgetting on all recorded answers; the newest fit is used from then on."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--min-answers", type=int, default=50)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            fitted = services.refit(min_answers=options["min_answers"])
        except services.AdaptiveError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"fitted {fitted.name} on {fitted.n_responses} answers (id {fitted.pk})")
