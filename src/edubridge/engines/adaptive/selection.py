"""Choose the learner model for a deployment by cross-validation over learners, and say why.

Interface (engine version 1.x; documented in ADR 0011):

* ``select_model(log, names=None, folds=3, margin=0.002, seed=0) -> SelectionRecord`` and
  ``select_for_sequences(sequences, ...)`` for ``[(skills, outcomes), ...]`` per learner.
* ``names`` defaults to every registered model (:data:`evaluate.CANDIDATES`, listed cheapest
  first); the caller may restrict it to the models it can load.
* The record says which model was chosen (``chosen``), why in one sentence (``reason``), the
  rule applied (``rule``), and per model the mean and per-fold held-out AUC, mean log-loss and
  RMSE and mean fit seconds; ``as_dict()`` is JSON-able, for the deployment to store.

Learners (not answers) are split into folds, so a held-out learner is predicted from their own
earlier answers only, as in production. The rule: walk the models from cheapest to costliest;
a costlier model replaces the current choice only if its mean held-out AUC is higher by more
than ``margin``. Deterministic for a given ``seed``.
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
    rule: str = ""
    mean_log_loss: dict[str, float] = field(default_factory=dict)
    mean_rmse: dict[str, float] = field(default_factory=dict)
    n_learners: int = 0
    n_responses: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "chosen": self.chosen,
            "reason": self.reason,
            "rule": self.rule,
            "folds": self.folds,
            "n_learners": self.n_learners,
            "n_responses": self.n_responses,
            "mean_auc": self.mean_auc,
            "fold_auc": self.fold_auc,
            "mean_log_loss": self.mean_log_loss,
            "mean_rmse": self.mean_rmse,
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
    unknown = [n for n in names if n not in CANDIDATES]
    if unknown:
        raise ValueError(f"unknown model(s) {', '.join(unknown)}; known: {', '.join(CANDIDATES)}")
    if folds < 2 or log.n_learners < folds:
        raise ValueError(f"need at least 2 folds and one learner per fold, got {folds} folds")
    fold_auc: dict[str, list[float]] = {n: [] for n in names}
    fold_ll: dict[str, list[float]] = {n: [] for n in names}
    fold_rmse: dict[str, list[float]] = {n: [] for n in names}
    fit_s: dict[str, list[float]] = {n: [] for n in names}
    for k in range(folds):
        held = parts[k]
        rest = np.concatenate([parts[j] for j in range(folds) if j != k])
        train, test = subset(log, rest), subset(log, held)
        for name in names:
            result = evaluate_model(name, CANDIDATES[name], train, test)
            fold_auc[name].append(result.auc)
            fold_ll[name].append(result.log_loss)
            fold_rmse[name].append(result.rmse)
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
    rule = (
        f"models tried cheapest first ({', '.join(names)}); a costlier model replaces the "
        f"current choice only if its mean held-out AUC over {folds} folds of learners is higher "
        f"by more than {margin:.3f}"
    )
    return SelectionRecord(
        chosen=chosen,
        reason=reason,
        folds=folds,
        mean_auc=mean,
        fold_auc=fold_auc,
        mean_fit_seconds={n: float(np.mean(v)) for n, v in fit_s.items()},
        rule=rule,
        mean_log_loss={n: float(np.mean(v)) for n, v in fold_ll.items()},
        mean_rmse={n: float(np.mean(v)) for n, v in fold_rmse.items()},
        n_learners=log.n_learners,
        n_responses=log.n_responses,
    )


def select_for_sequences(
    sequences: list[tuple[list[int], list[int]]],
    names: list[str] | None = None,
    folds: int = 3,
    margin: float = 0.002,
    seed: int = 0,
) -> SelectionRecord:
    """:func:`select_model` on ``[(skill ids, outcomes 0/1), ...]``, one pair per learner."""
    return select_model(ResponseLog.from_sequences(sequences), names, folds, margin, seed)
