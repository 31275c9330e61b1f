"""Choose the learner model for a deployment by cross-validation over learners, and say why.

Learners (not answers) are split into folds, so a held-out learner is predicted from their own
earlier answers only, as in production. The rule: highest mean held-out AUC; a model that is
more expensive must beat the simpler ones by more than ``margin`` or the simpler one is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from edubridge.engines.adaptive.data import ResponseLog
from edubridge.engines.adaptive.evaluate import CANDIDATES, evaluate_model


@dataclass(frozen=True)
class SelectionRecord:
    """The chosen model, per-model fold scores and the reason in words."""

    chosen: str
    reason: str
    folds: int
    mean_auc: dict[str, float] = field(default_factory=dict)
    fold_auc: dict[str, list[float]] = field(default_factory=dict)
    mean_fit_seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "chosen": self.chosen,
            "reason": self.reason,
            "folds": self.folds,
            "mean_auc": self.mean_auc,
            "fold_auc": self.fold_auc,
            "mean_fit_seconds": self.mean_fit_seconds,
        }


def subset(log: ResponseLog, learners: NDArray[np.int64]) -> ResponseLog:
    """The responses of ``learners``, renumbered 0..k-1 in the given order."""
    keep = np.isin(log.learner, learners)
    renumber = np.full(log.n_learners, -1, dtype=np.int64)
    renumber[np.sort(learners)] = np.arange(len(learners))
    return ResponseLog(renumber[log.learner[keep]], log.skill[keep], log.correct[keep])


def select_model(
    log: ResponseLog,
    names: list[str] | None = None,
    folds: int = 3,
    margin: float = 0.002,
    seed: int = 0,
) -> SelectionRecord:
    """Cross-validate ``names`` (cheapest first, as listed in CANDIDATES) on ``log``."""
    names = names or list(CANDIDATES)
    rng = np.random.default_rng(seed)
    learners = rng.permutation(log.n_learners)
    parts = np.array_split(learners, folds)
    fold_auc: dict[str, list[float]] = {n: [] for n in names}
    fit_s: dict[str, list[float]] = {n: [] for n in names}
    for k in range(folds):
        held = parts[k]
        rest = np.concatenate([parts[j] for j in range(folds) if j != k])
        train, test = subset(log, rest), subset(log, held)
        for name in names:
            result = evaluate_model(name, CANDIDATES[name], train, test)
            fold_auc[name].append(result.auc)
            fit_s[name].append(result.fit_seconds)
    mean = {n: float(np.mean(v)) for n, v in fold_auc.items()}
    chosen = names[0]
    for name in names[1:]:
        if mean[name] > mean[chosen] + margin:
            chosen = name
    ranked = sorted(names, key=lambda n: -mean[n])
    others = ", ".join(f"{n} {mean[n]:.4f}" for n in ranked if n != chosen)
    reason = (
        f"{chosen} chosen: mean held-out AUC {mean[chosen]:.4f} over {folds} learner folds "
        f"(others: {others}); a costlier model must win by more than {margin:.3f} AUC"
    )
    return SelectionRecord(
        chosen=chosen,
        reason=reason,
        folds=folds,
        mean_auc=mean,
        fold_auc=fold_auc,
        mean_fit_seconds={n: float(np.mean(v)) for n, v in fit_s.items()},
    )
