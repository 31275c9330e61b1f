"""Fit every candidate model on a training log and score it on a test log, timed.

Test responses are predicted from the same learner's earlier test responses only: models see
the test log strictly left to right (each feature and each BKT state is computed before the
answer it predicts), and parameters come from the training log alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from edubridge.engines.adaptive.bkt import BKTConfig
from edubridge.engines.adaptive.data import ResponseLog
from edubridge.engines.adaptive.interface import LearnerModel, ModelCard
from edubridge.engines.adaptive.metrics import scores
from edubridge.engines.adaptive.models import (
    BKTModel,
    ContextConfig,
    ContextLRModel,
    HistoryConfig,
    HistoryLRModel,
    PFAModel,
)
from edubridge.engines.adaptive.ragged import group_starts

Fitter = Callable[[ResponseLog], LearnerModel]

#: Candidate models, in the order they are reported.
CANDIDATES: dict[str, Fitter] = {
    "bkt": lambda log: BKTModel.fit(log, BKTConfig(forgets=False)),
    "bkt-forget": lambda log: BKTModel.fit(log, BKTConfig(forgets=True)),
    "pfa": lambda log: PFAModel.fit(log),
    "history-lr": lambda log: HistoryLRModel.fit(log, HistoryConfig()),
    "context-lr": lambda log: ContextLRModel.fit(log, ContextConfig()),
}


@dataclass(frozen=True)
class ModelResult:
    """One model's scores on the test log and its timings (seconds, wall clock)."""

    name: str
    version: str
    auc: float
    rmse: float
    log_loss: float
    accuracy: float
    fit_seconds: float
    predict_seconds: float
    n_test: int
    fit_cpu_seconds: float = 0.0
    card: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "auc": self.auc,
            "rmse": self.rmse,
            "log_loss": self.log_loss,
            "accuracy": self.accuracy,
            "fit_seconds": self.fit_seconds,
            "predict_seconds": self.predict_seconds,
            "fit_cpu_seconds": self.fit_cpu_seconds,
            "n_test": self.n_test,
        }


def evaluate_model(name: str, fitter: Fitter, train: ResponseLog, test: ResponseLog) -> ModelResult:
    start = time.perf_counter()
    cpu = time.process_time()
    model = fitter(train)
    fit_s = time.perf_counter() - start
    fit_cpu = time.process_time() - cpu
    start = time.perf_counter()
    p = model.predict_log(test)
    predict_s = time.perf_counter() - start
    p = np.asarray(p, dtype=np.float64)
    s = scores(test.correct, p)
    card = card_with_metrics(model.model_card(), test, p)
    return ModelResult(
        name=name,
        version=model.version,
        auc=s["auc"],
        rmse=s["rmse"],
        log_loss=s["log_loss"],
        accuracy=s["accuracy"],
        fit_seconds=fit_s,
        predict_seconds=predict_s,
        n_test=test.n_responses,
        fit_cpu_seconds=fit_cpu,
        card=card.as_dict(),
    )


def card_with_metrics(card: ModelCard, test: ResponseLog, p: NDArray[np.float64]) -> ModelCard:
    """The card with test metrics overall and by group.

    Groups: how much history the learner had (answers before this one: 0-9, 10-49, 50+) and
    whether it is the learner's first answer on the skill; a model that only works for
    long-practising learners shows it here.
    """
    _, position = group_starts(test.learner)
    key = test.learner * (int(test.skill.max()) + 1) + test.skill
    order = np.argsort(key, kind="stable")
    _, on_skill = group_starts(key[order])
    first = np.empty(test.n_responses, dtype=bool)
    first[order] = on_skill == 0
    groups = {
        "history 0-9 answers": position < 10,
        "history 10-49 answers": (position >= 10) & (position < 50),
        "history 50+ answers": position >= 50,
        "first answer on skill": first,
        "repeat answer on skill": ~first,
    }
    by_group: dict[str, dict[str, float]] = {}
    for name, mask in groups.items():
        if mask.sum() >= 2:
            g = scores(test.correct[mask], p[mask])
            by_group[name] = {**g, "n": float(mask.sum())}
    return replace(card, metrics=scores(test.correct, p), metrics_by_group=by_group)


def evaluate_all(
    train: ResponseLog,
    test: ResponseLog,
    names: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[ModelResult]:
    results = []
    for name in names or list(CANDIDATES):
        if progress:
            progress(name)
        results.append(evaluate_model(name, CANDIDATES[name], train, test))
    return results
