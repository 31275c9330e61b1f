"""Audit the alignment suggester on the node's hand alignments; store its model card."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from edubridge.governance.alignment_audit import audit_alignment_suggester
from edubridge.governance.services import GovernanceError


class Command(BaseCommand):
    help = "Bias audit of the alignment suggester by item language, subject and grade band."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--n-boot", type=int, default=200)
        parser.add_argument("--seed", type=int, default=20261122)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["n_boot"] < 10:
            raise CommandError("--n-boot must be at least 10")
        try:
            card = audit_alignment_suggester(
                n_boot=options["n_boot"],
                seed=options["seed"],
                progress=lambda m: self.stdout.write(m),
            )
        except GovernanceError as exc:
            raise CommandError(str(exc)) from exc
        ranking = card.bias_audit["ranking"]
        o = ranking["overall"]
        self.stdout.write(f"model card stored: {card.name} {card.version}")
        self.stdout.write(
            f"top-3 hit rate {o['hit_at_3']} {o['hit_at_3_ci']}, MRR {o['reciprocal_rank']} "
            f"{o['reciprocal_rank_ci']}, candidate AUC {card.bias_audit['overall']['auc']} "
            f"{card.bias_audit['overall']['auc_ci']}"
        )
        for attribute, result in ranking["by_attribute"].items():
            for g in result["groups"]:
                self.stdout.write(
                    f"  {attribute}={g['group']}: {g['n']} items, top-3 {g['hit_at_3']} "
                    f"{g['hit_at_3_ci']}, MRR {g['reciprocal_rank']} {g['reciprocal_rank_ci']}"
                )
            for gap in result["gaps"]:
                self.stdout.write(
                    f"  gap {attribute} {gap['group']} - {gap['reference']} {gap['metric']}: "
                    f"{gap['gap']} (p={gap['p_value']})"
                )
            for s in result["too_small"]:
                self.stdout.write(f"  too small to judge: {attribute}={s['group']} ({s['reason']})")
        for attribute, result in card.bias_audit["by_attribute"].items():
            for c in result["abroca"]:
                self.stdout.write(
                    f"  ABROCA {attribute} {c['group']} vs {c['reference']}: {c['abroca']} "
                    f"(chance 95%: {c['chance_95']}, p={c['p_value']})"
                )
