"""A per-dataset privacy budget ledger (plain data) that refuses to overspend.

Pure epsilon-differential privacy composes sequentially: the epsilons of all releases from one
dataset add up. The ledger records each release and refuses, before any noise is drawn, a release
that would take the total past the dataset's budget.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from .errors import BudgetExceededError, PrivacyInputError

_SLACK = 1e-12  # float rounding when summing many small epsilons


@dataclass(frozen=True)
class LedgerEntry:
    label: str
    epsilon: float
    mechanism: str
    at: str  # ISO 8601, aware


@dataclass(frozen=True)
class BudgetLedger:
    """The budget of one dataset and what has been spent from it (immutable; charge returns new)."""

    dataset: str
    total_epsilon: float
    entries: tuple[LedgerEntry, ...] = ()

    def __post_init__(self) -> None:
        if not (math.isfinite(self.total_epsilon) and self.total_epsilon > 0):
            raise PrivacyInputError(
                f"the privacy budget of {self.dataset!r} must be a positive number, "
                f"got {self.total_epsilon}"
            )

    @property
    def spent(self) -> float:
        return math.fsum(e.epsilon for e in self.entries)

    @property
    def remaining(self) -> float:
        return max(self.total_epsilon - self.spent, 0.0)

    def check(self, epsilon: float, label: str) -> None:
        """Raise :class:`BudgetExceededError` if a release of ``epsilon`` would overspend."""
        if not (math.isfinite(epsilon) and epsilon > 0):
            raise PrivacyInputError(f"epsilon must be a positive number, got {epsilon}")
        if self.spent + epsilon > self.total_epsilon + _SLACK:
            raise BudgetExceededError(
                f"privacy budget of dataset {self.dataset!r} would be overspent: release "
                f"{label!r} needs epsilon={epsilon:.6g} but only {self.remaining:.6g} of "
                f"{self.total_epsilon:.6g} remains ({self.spent:.6g} spent over "
                f"{len(self.entries)} release(s)); nothing was released"
            )

    def charge(self, epsilon: float, label: str, mechanism: str, at: datetime) -> BudgetLedger:
        """A new ledger with this release recorded; refuses to overspend."""
        if at.tzinfo is None:
            raise PrivacyInputError("ledger times must be timezone-aware")
        self.check(epsilon, label)
        entry = LedgerEntry(label=label, epsilon=epsilon, mechanism=mechanism, at=at.isoformat())
        return replace(self, entries=(*self.entries, entry))

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "total_epsilon": self.total_epsilon,
            "spent_epsilon": self.spent,
            "entries": [
                {"label": e.label, "epsilon": e.epsilon, "mechanism": e.mechanism, "at": e.at}
                for e in self.entries
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BudgetLedger:
        try:
            entries = tuple(
                LedgerEntry(
                    label=str(e["label"]),
                    epsilon=float(e["epsilon"]),
                    mechanism=str(e["mechanism"]),
                    at=str(e["at"]),
                )
                for e in data.get("entries", [])
            )
            return cls(
                dataset=str(data["dataset"]),
                total_epsilon=float(data["total_epsilon"]),
                entries=entries,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise PrivacyInputError(f"malformed budget ledger: {exc}") from exc
