"""Context skills: every skill on small logs, the most practised ones on logs with many skills, so
a deployment with thousands of skills fits the context model in bounded memory; the online
learner still reproduces batch scoring, and parameters written before columns existed load."""

from __future__ import annotations

import json

import numpy as np
import pytest

from edubridge.engines.adaptive import context
from edubridge.engines.adaptive.context import HESSIAN_BYTES, MAX_COLUMNS, context_columns
from edubridge.engines.adaptive.data import ResponseLog
from edubridge.engines.adaptive.models import ContextConfig, ContextLRModel

from .test_models import FAST, SEQS, online_predictions


def test_every_skill_is_a_context_skill_when_there_are_few() -> None:
    counts = np.arange(100, dtype=np.float64)
    assert np.array_equal(context_columns(counts), np.arange(100))


def test_with_many_skills_the_most_practised_are_kept_within_the_memory_budget() -> None:
    rng = np.random.default_rng(3)
    k = 1223  # as in STATICS 2011
    counts = rng.integers(1, 5000, size=k).astype(np.float64)
    columns = context_columns(counts)
    c = columns.shape[0]
    assert 0 < c < MAX_COLUMNS
    assert k * (2 * c) ** 2 * 8 <= HESSIAN_BYTES
    assert np.all(np.diff(columns) > 0)
    assert counts[columns].min() >= np.sort(counts)[-c]


def _fewer_columns(monkeypatch: pytest.MonkeyPatch) -> ContextLRModel:
    monkeypatch.setattr(context, "MAX_COLUMNS", 2)
    log = ResponseLog.from_sequences(SEQS)
    return ContextLRModel.fit(log, ContextConfig(bkt=FAST.bkt, context_l2=5.0))


def test_a_model_with_fewer_context_skills_scores_online_as_in_batch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = _fewer_columns(monkeypatch)
    assert model.context.seen.shape == (len(model.skills), 2)
    assert len(model.skills) > 2
    log = ResponseLog.from_sequences(SEQS[:30])
    assert np.allclose(model.predict_log(log), online_predictions(model, SEQS[:30]), atol=1e-9)


def test_context_columns_round_trip_through_the_parameters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = _fewer_columns(monkeypatch)
    exported = json.loads(json.dumps(model.export_parameters()))
    assert len(exported["context"]["columns"]) == 2
    restored = ContextLRModel.from_parameters(exported)
    log = ResponseLog.from_sequences(SEQS[:20])
    assert np.allclose(restored.predict_log(log), model.predict_log(log), atol=1e-12)


def test_parameters_written_before_columns_existed_still_load() -> None:
    model = ContextLRModel.fit(
        ResponseLog.from_sequences(SEQS), ContextConfig(bkt=FAST.bkt, context_l2=5.0)
    )
    exported = json.loads(json.dumps(model.export_parameters()))
    del exported["context"]["columns"]  # K x K weights, as stored by earlier versions
    restored = ContextLRModel.from_parameters(exported)
    log = ResponseLog.from_sequences(SEQS[:20])
    assert np.allclose(restored.predict_log(log), model.predict_log(log), atol=1e-12)
