"""Learner models: online state equals batch scoring, no peeking, parameters round-trip,
every model satisfies the versioned interface and carries a model card."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edubridge.engines.adaptive.bkt import BKTConfig
from edubridge.engines.adaptive.context import ContextState
from edubridge.engines.adaptive.data import ResponseLog
from edubridge.engines.adaptive.features import HistoryState, assemble, history_raw
from edubridge.engines.adaptive.interface import Learner, LearnerModel
from edubridge.engines.adaptive.models import (
    BKTModel,
    ContextConfig,
    ContextLearner,
    ContextLRModel,
    HistoryConfig,
    HistoryLearner,
    HistoryLRModel,
    ParameterError,
    PFAModel,
)

from .synthetic import TRUE, bkt_log, bkt_sequences

SEQS = bkt_sequences(
    {**TRUE, 3: {"prior": 0.5, "learn": 0.2, "forget": 0.05, "guess": 0.2, "slip": 0.1}},
    learners=150,
    answers=8,
    seed=5,
)
LOG = ResponseLog.from_sequences(SEQS)
FAST = HistoryConfig(bkt=BKTConfig(restarts=1, max_iter=10))
HISTORY = HistoryLRModel.fit(LOG, FAST)
CONTEXT = ContextLRModel.fit(LOG, ContextConfig(bkt=FAST.bkt, context_l2=5.0))
MODELS: list[LearnerModel] = [
    BKTModel.fit(LOG, BKTConfig(restarts=1, max_iter=10)),
    PFAModel.fit(LOG),
    HISTORY,
    CONTEXT,
]

answers = st.lists(st.tuples(st.sampled_from([1, 2, 3, 4]), st.booleans()), min_size=1, max_size=25)


def online_predictions(model: LearnerModel, seqs: list[tuple[list[int], list[int]]]) -> list[float]:
    """Each answer's prediction by a learner that observed the answers before it, one by one."""
    online = []
    for skills, outcomes in seqs:
        learner = model.new_learner()
        for s, o in zip(skills, outcomes, strict=True):
            online.append(learner.predict(s))
            learner.observe(s, f"item-{s}", bool(o))
    return online


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.name)
def test_online_learner_reproduces_batch_predictions(model: LearnerModel) -> None:
    batch = model.predict_log(LOG)
    online = online_predictions(model, SEQS[:40])
    assert np.allclose(batch[: len(online)], online, atol=1e-9)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.name)
def test_all_skill_predictions_at_once_equal_one_by_one(model: LearnerModel) -> None:
    learner = model.new_learner()
    for s, o in zip(*SEQS[0], strict=True):
        learner.observe(s, "i", bool(o))
    skills = np.array([1, 2, 3, 4], dtype=np.int64)
    success, mastery = learner.skill_state(skills)
    assert np.allclose(success, [learner.predict(int(s)) for s in skills], atol=1e-12)
    assert np.allclose(mastery, [learner.mastery(int(s)) for s in skills], atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(answers, st.integers(min_value=0, max_value=24))
def test_no_prediction_depends_on_later_answers(history: list[tuple[int, bool]], cut: int) -> None:
    cut = min(cut, len(history) - 1)
    flipped = [*history[:cut], (history[cut][0], not history[cut][1]), *history[cut + 1 :]]
    a = HISTORY.predict_log(
        ResponseLog.from_sequences([([s for s, _ in history], [int(o) for _, o in history])])
    )
    b = HISTORY.predict_log(
        ResponseLog.from_sequences([([s for s, _ in flipped], [int(o) for _, o in flipped])])
    )
    assert np.array_equal(a[: cut + 1], b[: cut + 1])


@settings(max_examples=30, deadline=None)
@given(answers, answers, st.integers(min_value=0, max_value=24))
def test_context_model_never_looks_at_later_skills_or_answers(
    history: list[tuple[int, bool]], other: list[tuple[int, bool]], cut: int
) -> None:
    """Replacing everything after answer ``cut`` (skills and outcomes) leaves answers <= cut."""
    cut = min(cut, len(history) - 1)
    changed = [*history[: cut + 1], *other]

    def scored(h: list[tuple[int, bool]]) -> np.ndarray:
        log = ResponseLog.from_sequences([([s for s, _ in h], [int(o) for _, o in h])])
        return CONTEXT.predict_log(log)

    # equal up to rounding: BLAS may sum a longer log in another order (last-bit differences)
    assert np.allclose(scored(history)[: cut + 1], scored(changed)[: cut + 1], rtol=0, atol=1e-12)


def test_context_terms_are_fitted_and_move_predictions() -> None:
    assert np.abs(CONTEXT.context.seen).max() > 0.0
    assert np.abs(CONTEXT.context.prev).max() > 0.0
    learner = CONTEXT.new_learner()
    fresh = learner.context.term(0, CONTEXT.skills[0])
    assert fresh == 0.0  # nothing practised yet: no context
    learner.observe(CONTEXT.skills[1], "i", True)
    assert learner.context.term(0, CONTEXT.skills[0]) != 0.0


def test_context_parameters_of_the_wrong_shape_are_refused() -> None:
    exported = CONTEXT.export_parameters()
    exported["context"]["seen"] = [[0.0]]
    with pytest.raises(ParameterError):
        ContextLRModel.from_parameters(exported)


@settings(max_examples=30, deadline=None)
@given(answers)
def test_incremental_history_equals_vectorized_history(history: list[tuple[int, bool]]) -> None:
    log = ResponseLog.from_sequences([([s for s, _ in history], [int(o) for _, o in history])])
    n = log.n_responses
    base = np.full(n, 0.6)
    batch = assemble(history_raw(log, np.full(n, 0.7), np.full(n, 0.4), base))
    state = HistoryState()
    rows = []
    for s, o in history:
        raw = state.raw_for(s, 0.7, 0.4)
        rows.append(assemble({k: np.array([v]) for k, v in raw.items()})[0])
        state.observe(s, o, 0.6)
    assert np.allclose(batch, np.array(rows), atol=1e-12)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.name)
def test_parameters_round_trip_through_json(model: LearnerModel) -> None:
    exported = json.loads(json.dumps(model.export_parameters()))
    restored = type(model).from_parameters(exported)
    assert restored.version == model.version
    assert np.allclose(restored.predict_log(LOG), model.predict_log(LOG), atol=1e-12)


def test_parameters_of_another_model_are_refused() -> None:
    with pytest.raises(ParameterError):
        HistoryLRModel.from_parameters(MODELS[1].export_parameters())


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.name)
def test_models_and_learners_satisfy_the_interface(model: LearnerModel) -> None:
    assert isinstance(model, LearnerModel)
    assert isinstance(model.new_learner(), Learner)
    assert model.version.endswith("-1.0")


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.name)
def test_model_card_names_use_data_and_limits(model: LearnerModel) -> None:
    card = model.model_card().as_dict()
    assert card["intended_use"]
    assert card["data"]
    assert card["limits"]
    assert card["name"] == model.name


def test_history_model_predicts_synthetic_data_better_than_chance() -> None:
    test = bkt_log(TRUE, learners=100, answers=8, seed=11)
    from edubridge.engines.adaptive.metrics import auc

    assert auc(test.correct, HISTORY.predict_log(test)) > 0.6


def test_explanations_state_numbers() -> None:
    learner = HISTORY.new_learner()
    learner.observe(1, "a", True)
    learner.observe(1, "b", False)
    text = learner.explain(1)
    assert "P(known)" in text
    assert "1 right and 1 wrong" in text


@pytest.mark.parametrize("model", [HISTORY, CONTEXT], ids=lambda m: m.name)
def test_learner_rebuilt_from_its_fields_predicts_like_the_original(model: HistoryLRModel) -> None:
    """The app stores a learner's fields and assigns them to a fresh learner; derived caches
    must follow (no stale all-skills predictions after a restore)."""
    original = model.new_learner()
    for s, o in zip(*SEQS[3], strict=True):
        original.observe(s, "i", bool(o))
    skills = np.array([1, 2, 3, 4, 99], dtype=np.int64)  # 99: a skill the fit never saw
    original.skill_state(skills)  # build the caches of the fresh learner below too
    restored = model.new_learner()
    restored.skill_state(skills)
    restored.bkt.known = dict(original.bkt.known)
    restored.history = original.history
    restored.skill_logit = dict(original.skill_logit)
    if isinstance(original, ContextLearner) and isinstance(restored, ContextLearner):
        restored.context = original.context
    for a, b in zip(original.skill_state(skills), restored.skill_state(skills), strict=True):
        assert np.allclose(a, b, atol=1e-12)
    assert np.allclose(
        original.skill_state(skills)[0], [original.predict(int(s)) for s in skills], atol=1e-12
    )


def test_context_model_fitted_on_a_row_sample_scores_every_row() -> None:
    sampled = ContextLRModel.fit(
        LOG, ContextConfig(bkt=FAST.bkt, context_l2=5.0, max_rows=LOG.n_responses // 3)
    )
    test = ResponseLog.from_sequences(bkt_sequences(TRUE, learners=60, answers=8, seed=9))
    from edubridge.engines.adaptive.metrics import auc

    assert auc(test.correct, sampled.predict_log(test)) > 0.6


def test_context_state_round_trips_through_json() -> None:
    learner = CONTEXT.new_learner()
    for s, o in zip(*SEQS[5], strict=True):
        learner.observe(s, "i", bool(o))
    data = json.loads(json.dumps(learner.context.to_dict()))
    restored = ContextState.from_dict(CONTEXT.context, data)
    skills = np.array(CONTEXT.skills, dtype=np.int64)
    rows = np.arange(len(skills), dtype=np.int64)
    # equal up to summation order (the restored sums run over skills in sorted order)
    assert np.allclose(
        learner.context.terms(rows, skills), restored.terms(rows, skills), rtol=0, atol=1e-12
    )
    with pytest.raises(ValueError, match="outside"):
        ContextState.from_dict(CONTEXT.context, {**data, "seen": [999]})


@pytest.mark.parametrize("model", [HISTORY, CONTEXT], ids=lambda m: m.name)
def test_numbers_after_an_answer_equal_their_separate_definitions(model: HistoryLRModel) -> None:
    learner = model.new_learner()
    for s, o in zip(*SEQS[7], strict=True):
        learner.observe(s, "i", bool(o))
    skill = SEQS[7][0][-1]
    reference, shift, exact = model.after_answer(learner.history, learner.bkt, skill)
    assert reference == pytest.approx(
        model.reference_logit(learner.history, learner.bkt, skill), abs=1e-12
    )
    assert shift == pytest.approx(model.learner_shift(learner.history), abs=1e-12)
    assert exact == pytest.approx(HistoryLearner._logit(learner, skill), abs=1e-12)
