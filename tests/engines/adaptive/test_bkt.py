"""BKT fitting recovers known parameters, respects its bounds, and the online update agrees
with the batch filter."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from edubridge.engines.adaptive.bkt import (
    BOUNDS,
    PARAM_NAMES,
    BKTConfig,
    bkt_predict,
    bkt_trace,
    bkt_update,
    fit_bkt,
)
from edubridge.engines.adaptive.data import ResponseLog

from .synthetic import TRUE, bkt_log

LOG = bkt_log(TRUE, learners=500, answers=15, seed=3)


def test_em_recovers_generating_parameters() -> None:
    fitted = fit_bkt(LOG, BKTConfig(forgets=False, restarts=3, max_iter=60, seed=1))
    for skill, truth in TRUE.items():
        got = fitted.for_skill(skill)
        for name in ("prior", "learn", "guess", "slip"):
            assert abs(got[name] - truth[name]) < 0.06, (skill, name, got[name], truth[name])


def test_without_forgetting_forget_is_zero() -> None:
    fitted = fit_bkt(LOG, BKTConfig(forgets=False, restarts=1, max_iter=10))
    assert np.all(fitted.values["forget"] == 0.0)


def test_fitted_parameters_stay_within_bounds() -> None:
    # outcomes unrelated to practice tempt EM toward degenerate guess/slip values
    rng = np.random.default_rng(0)
    seqs = [([1] * 12, rng.integers(0, 2, 12).tolist()) for _ in range(200)]
    fitted = fit_bkt(ResponseLog.from_sequences(seqs), BKTConfig(restarts=2, max_iter=30))
    for name in PARAM_NAMES:
        low, high = BOUNDS[name]
        assert np.all(fitted.values[name] >= low - 1e-12)
        assert np.all(fitted.values[name] <= high + 1e-12)


def test_skill_with_little_data_is_shrunk_toward_pooled() -> None:
    seqs = [([7], [0]) for _ in range(2)] + [([1] * 10, [1] * 10) for _ in range(50)]
    fitted = fit_bkt(
        ResponseLog.from_sequences(seqs), BKTConfig(restarts=1, max_iter=20, prior_strength=10)
    )
    sparse = fitted.for_skill(7)
    # two wrong first answers alone would push P(known) to the lower bound
    assert sparse["prior"] > BOUNDS["prior"][0] + 0.1


def test_unseen_skill_gets_pooled_parameters() -> None:
    fitted = fit_bkt(LOG, BKTConfig(restarts=1, max_iter=5))
    assert fitted.for_skill(999) == fitted.pooled


def test_identical_sequences_merge_without_changing_the_fit() -> None:
    one = ResponseLog.from_sequences([([1, 1, 1], [0, 1, 1]), ([1, 1], [1, 0])])
    doubled = ResponseLog.from_sequences([([1, 1, 1], [0, 1, 1]), ([1, 1], [1, 0])] * 2)
    a = fit_bkt(one, BKTConfig(restarts=1, max_iter=15, prior_strength=0.0))
    b = fit_bkt(doubled, BKTConfig(restarts=1, max_iter=15, prior_strength=0.0))
    for name in PARAM_NAMES:
        assert np.allclose(a.values[name], b.values[name], atol=1e-9)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(st.sampled_from([1, 2, 3]), st.booleans()), min_size=1, max_size=12),
        min_size=1,
        max_size=5,
    )
)
def test_online_update_matches_batch_filter(learners: list[list[tuple[int, bool]]]) -> None:
    fitted = fit_bkt(LOG, BKTConfig(restarts=1, max_iter=5))
    seqs = [([s for s, _ in a], [int(o) for _, o in a]) for a in learners]
    log = ResponseLog.from_sequences(seqs)
    batch, _ = bkt_trace(fitted, log)
    online = []
    for skills, outcomes in seqs:
        known: dict[int, float] = {}
        for s, o in zip(skills, outcomes, strict=True):
            p = fitted.for_skill(s)
            k = known.get(s, p["prior"])
            online.append(bkt_predict(k, p))
            known[s] = bkt_update(k, bool(o), p)
    assert np.allclose(batch, online, atol=1e-12)
