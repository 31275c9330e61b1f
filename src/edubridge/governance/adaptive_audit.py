"""Bias audit of the adaptive learner model on a knowledge-tracing dataset, stored as a model card.

The public knowledge-tracing data (ASSISTments 2015, three-line format) records no country,
gender or language, so the audit uses two kinds of groups and says which is which:

* ``history``: how many answers the learner had given before this one (0-9, 10-49, 50+), a real
  attribute of the data, where a knowledge-tracing model is expected to differ;
* ``synthetic_group``: a seeded random split of learners into groups of unequal size (one of them
  deliberately tiny), standing in for a demographic attribute until the node records one. Being
  random, it should show no real disparity; it checks the audit itself, not the model's fairness.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from edubridge.engines.adaptive.data import read_three_line
from edubridge.engines.adaptive.evaluate import CANDIDATES
from edubridge.engines.adaptive.metrics import scores
from edubridge.engines.adaptive.ragged import group_starts
from edubridge.governance.bias import bias_audit
from edubridge.governance.models import ModelCard
from edubridge.governance.services import GovernanceError, model_card_store

SYNTHETIC_GROUPS = (("A", 0.5), ("B", 0.35), ("C", 0.1495), ("D", 0.0005))
ETHICS = (
    "Predictions steer which exercises a learner sees and when a skill counts as mastered; they "
    "must not be used to grade, place or rank learners. Groups the model serves worse get less "
    "accurate mastery estimates: check the audit below before relying on it for a group. The "
    "training data is a public US dataset (ASSISTments 2015) and may not represent learners of "
    "other countries, languages or school types; audit again on each node's own data, with "
    "the attributes it actually records."
)


def _history_label(position: int) -> str:
    return "0-9 answers" if position < 10 else "10-49 answers" if position < 50 else "50+ answers"


def audit_adaptive_model(
    *,
    train: Path,
    test: Path,
    model: str = "bkt",
    n_boot: int = 100,
    seed: int = 20261122,
    max_rows: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> ModelCard:
    """Fit ``model`` on ``train``, predict ``test``, audit by group and store the model card."""
    fitter = CANDIDATES.get(model)
    if fitter is None:
        raise GovernanceError(f"unknown model {model!r}; known: {', '.join(CANDIDATES)}")
    say = progress or (lambda _m: None)
    say(f"reading {train} and {test}")
    train_log, test_log = read_three_line(train), read_three_line(test)
    say(f"fitting {model} on {train_log.n_responses} responses")
    fitted = fitter(train_log)
    p = np.asarray(fitted.predict_log(test_log), dtype=np.float64)
    y = np.asarray(test_log.correct, dtype=np.int64)
    _, position = group_starts(test_log.learner)
    rng = np.random.default_rng(seed)
    names = [g for g, _ in SYNTHETIC_GROUPS]
    weights = np.array([w for _, w in SYNTHETIC_GROUPS])
    learner_group = rng.choice(len(names), size=test_log.n_learners, p=weights / weights.sum())
    index = np.arange(y.size)
    if max_rows is not None and y.size > max_rows:
        index = np.sort(rng.choice(y.size, size=max_rows, replace=False))
    rows: list[dict[str, Any]] = [
        {
            "unit": int(test_log.learner[i]),
            "y_true": int(y[i]),
            "y_score": float(min(max(p[i], 0.0), 1.0)),
            "history": _history_label(int(position[i])),
            "synthetic_group": names[int(learner_group[test_log.learner[i]])],
        }
        for i in index
    ]
    say(f"auditing {len(rows)} predictions with {n_boot} bootstrap resamples")
    audit = bias_audit(rows, attributes=["history", "synthetic_group"], n_boot=n_boot, seed=seed)
    audit["groups_note"] = (
        "history is a real attribute of the data; synthetic_group is a seeded random split of "
        "learners standing in for a demographic attribute the dataset does not record."
    )
    audit["data"] = {"test_file": test.name, "rows_audited": len(rows), "rows_in_test": int(y.size)}
    card = fitted.model_card()
    metrics = {k: float(v) for k, v in scores(test_log.correct, p).items()}
    metrics["n_test"] = float(y.size)
    return model_card_store(
        name=card.name,
        version=card.version,
        intended_use=card.intended_use,
        training_data=f"{card.data} ({train.name}); tested on {test_log.n_responses} responses "
        f"of {test_log.n_learners} other learners ({test.name}).",
        metrics=metrics,
        metrics_by_group={
            g["group"]: {"auc": g["auc"], "ece": g["ece"], "n": g["n"]}
            for g in audit["by_attribute"]["history"]["groups"]
        },
        limits=list(card.limits),
        ethical_considerations=ETHICS,
        bias_audit=audit,
        used_at="adaptive practice: next-item choice and mastery bars",
    )
