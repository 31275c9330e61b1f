"""Fit the adaptive learner model, audit its predictions for bias by group, store its model card."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from edubridge.governance.adaptive_audit import audit_adaptive_model
from edubridge.governance.services import GovernanceError

DEFAULT_DIR = Path(str(settings.BASE_DIR)).parent / "shared" / "data" / "knowledge-tracing"


class Command(BaseCommand):
    help = (
        "Bias audit of the adaptive learner model on knowledge-tracing data; stores a model card."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--train", type=Path, default=DEFAULT_DIR / "assist2015_train.csv")
        parser.add_argument("--test", type=Path, default=DEFAULT_DIR / "assist2015_test.csv")
        parser.add_argument("--model", default="bkt")
        parser.add_argument("--n-boot", type=int, default=100)
        parser.add_argument("--max-rows", type=int, default=None)
        parser.add_argument("--seed", type=int, default=20261122)

    def handle(self, *args: Any, **options: Any) -> None:
        for name in ("train", "test"):
            if not options[name].is_file():
                raise CommandError(f"--{name}: no file at {options[name]}")
        try:
            card = audit_adaptive_model(
                train=options["train"],
                test=options["test"],
                model=options["model"],
                n_boot=options["n_boot"],
                seed=options["seed"],
                max_rows=options["max_rows"],
                progress=lambda m: self.stdout.write(m),
            )
        except (GovernanceError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        audit = card.bias_audit
        self.stdout.write(f"model card stored: {card.name} {card.version}")
        self.stdout.write(f"overall AUC {audit['overall']['auc']} CI {audit['overall']['auc_ci']}")
        for attribute, result in audit["by_attribute"].items():
            for g in result["groups"]:
                self.stdout.write(
                    f"  {attribute}={g['group']}: n={g['n']} AUC {g['auc']} {g['auc_ci']} "
                    f"ECE {g['ece']} error {g['error_rate']}"
                )
            for c in result["abroca"]:
                self.stdout.write(
                    f"  ABROCA {attribute} {c['group']} vs {c['reference']}: {c['abroca']} "
                    f"(chance 95%: {c['chance_95']}, p={c['p_value']})"
                )
            for s in result["too_small"]:
                self.stdout.write(f"  too small to judge: {attribute}={s['group']} ({s['reason']})")
