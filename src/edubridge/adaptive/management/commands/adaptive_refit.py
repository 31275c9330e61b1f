"""Refit the learner model on every answer recorded on this node (run periodically, e.g. nightly):
cross-validate the candidate models, fit the chosen one and re-score learners."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from edubridge.adaptive import services
from edubridge.adaptive.models import RefitStatus


class Command(BaseCommand):
    help = (
        "Choose the learner model by cross-validation on this node's answers and fit it; the "
        "newest fit is used from then on. Runs here, or with --enqueue in the task worker."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--min-answers", type=int, default=50)
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="queue the refit for the task worker (as the page's button does) and return",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            with transaction.atomic():
                job = services.refit_start(by=None)
            self.stdout.write(f"refit queued as job {job.pk} ({job.status})")
            return
        job = services.refit_start(by=None, enqueue=False)
        job = services.refit_run(job.pk, min_answers=options["min_answers"])
        if job.status != RefitStatus.DONE or job.fitted is None:
            raise CommandError(job.error)
        fitted = job.fitted
        self.stdout.write(f"fitted {fitted.name} on {fitted.n_responses} answers (id {fitted.pk})")
        self.stdout.write(fitted.reason)
