"""Model selection by cross-validation over learners records the choice and why."""

from __future__ import annotations

import numpy as np
import pytest

from edubridge.engines.adaptive.selection import select_for_sequences, select_model, subset

from .synthetic import TRUE, bkt_log

LOG = bkt_log(TRUE, learners=90, answers=6, seed=4)


def test_selection_reports_the_chosen_model_and_the_reason() -> None:
    record = select_model(LOG, names=["bkt", "pfa"], folds=2)
    assert record.chosen in ("bkt", "pfa")
    assert record.reason.startswith(f"{record.chosen} chosen: mean held-out AUC")
    assert set(record.fold_auc) == {"bkt", "pfa"}
    assert all(len(v) == 2 for v in record.fold_auc.values())


def test_costlier_model_needs_a_clear_margin() -> None:
    record = select_model(LOG, names=["bkt", "pfa"], folds=2, margin=1.0)
    assert record.chosen == "bkt"


def test_folds_split_learners_not_answers() -> None:
    part = subset(LOG, np.array([3, 1]))
    assert part.n_learners == 2
    assert part.n_responses == int(np.isin(LOG.learner, [1, 3]).sum())


def test_record_states_the_rule_and_every_models_metrics() -> None:
    record = select_model(LOG, names=["bkt", "pfa"], folds=2)
    data = record.as_dict()
    assert "cheapest first (bkt, pfa)" in record.rule
    assert data["n_learners"] == LOG.n_learners
    for key in ("mean_auc", "mean_log_loss", "mean_rmse", "mean_fit_seconds"):
        assert set(data[key]) == {"bkt", "pfa"}  # type: ignore[arg-type]


def test_sequences_are_accepted_directly() -> None:
    sequences = [([1, 1, 2, 2], [0, 1, 0, 1]), ([2, 1, 2], [1, 1, 0])] * 10
    record = select_for_sequences(sequences, names=["bkt", "pfa"], folds=2)
    assert record.chosen in ("bkt", "pfa")
    assert record.n_responses == 70


def test_unknown_models_and_too_few_learners_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown model"):
        select_model(LOG, names=["bkt", "nope"], folds=2)
    with pytest.raises(ValueError, match="folds"):
        select_model(LOG, names=["bkt"], folds=1)
