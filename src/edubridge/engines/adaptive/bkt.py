"""Bayesian Knowledge Tracing with forgetting, fitted by vectorized, bounded, shrunk EM.

Per skill: ``prior`` P(known before the first answer), ``learn`` P(unknown -> known) per answer,
``forget`` P(known -> unknown), ``guess`` P(right | unknown), ``slip`` P(wrong | known).

Fitting is exact EM (scaled forward-backward) over every (learner, skill) sequence at once,
every skill and every restart at once, using the time-major layout of :mod:`ragged`.
Against degenerate fits (the known "guess > 1 - slip" and "learn-by-guessing" solutions) each
M-step is clipped to :data:`BOUNDS` (guess and slip at most 0.30, so a known learner is always
likelier to answer right than an unknown one). Skills with little data are shrunk toward the
pooled fit of all skills by Beta pseudo-counts (``prior_strength`` pseudo-answers), and unseen
skills use the pooled parameters (cold start).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from edubridge.engines.adaptive.data import ResponseLog
from edubridge.engines.adaptive.ragged import TimeMajor, time_major

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

PARAM_NAMES = ("prior", "learn", "forget", "guess", "slip")

#: Inclusive bounds applied after every M-step (documented in ADR 0011).
BOUNDS: dict[str, tuple[float, float]] = {
    "prior": (0.01, 0.99),
    "learn": (0.001, 0.60),
    "forget": (0.0, 0.20),
    "guess": (0.01, 0.30),
    "slip": (0.01, 0.30),
}

_INIT_RANGES: dict[str, tuple[float, float]] = {
    "prior": (0.1, 0.9),
    "learn": (0.01, 0.3),
    "forget": (0.0, 0.05),
    "guess": (0.05, 0.3),
    "slip": (0.05, 0.3),
}


@dataclass(frozen=True)
class BKTConfig:
    """Fitting options; defaults chosen on ASSISTments 2015 (see ADR 0011)."""

    forgets: bool = True
    restarts: int = 3
    max_iter: int = 40
    tol: float = 1e-5
    prior_strength: float = 10.0
    seed: int = 0


@dataclass
class BKTParameters:
    """Fitted parameters: one row per skill plus the pooled row used for unseen skills."""

    skills: list[int]
    values: dict[str, FloatArray]
    pooled: dict[str, float]
    log_likelihood: float = 0.0
    n_responses: dict[int, int] = field(default_factory=dict)

    def index(self) -> dict[int, int]:
        return {s: i for i, s in enumerate(self.skills)}

    def for_skill(self, skill: int) -> dict[str, float]:
        i = self.index().get(skill)
        if i is None:
            return dict(self.pooled)
        return {name: float(self.values[name][i]) for name in PARAM_NAMES}

    def to_dict(self) -> dict[str, Any]:
        return {
            "skills": list(self.skills),
            "values": {k: [float(x) for x in v] for k, v in self.values.items()},
            "pooled": dict(self.pooled),
            "log_likelihood": self.log_likelihood,
            "n_responses": {str(k): v for k, v in self.n_responses.items()},
        }

    @staticmethod
    def from_dict(data: dict[str, Any]) -> BKTParameters:
        return BKTParameters(
            skills=[int(s) for s in data["skills"]],
            values={k: np.asarray(v, dtype=np.float64) for k, v in data["values"].items()},
            pooled={k: float(v) for k, v in data["pooled"].items()},
            log_likelihood=float(data.get("log_likelihood", 0.0)),
            n_responses={int(k): int(v) for k, v in data.get("n_responses", {}).items()},
        )


@dataclass(frozen=True)
class _Layout:
    tm: TimeMajor
    obs: FloatArray  # time-major outcomes (1.0 right, 0.0 wrong)
    seq_param: IntArray  # parameter row of each sequence (in time-major sequence rank)
    seq_weight: FloatArray  # multiplicity of each sequence (identical ones merged)


def _layout(
    log: ResponseLog,
    param_of_response: IntArray,
    n_skills_rows: int,
    weight: FloatArray | None = None,
) -> _Layout:
    group = log.learner * n_skills_rows + param_of_response
    tm = time_major(group)
    w = np.ones(log.n_responses) if weight is None else weight
    first = tm.order[: int(tm.active[0])] if tm.steps else np.zeros(0, dtype=np.int64)
    return _Layout(tm, log.correct[tm.order].astype(np.float64), param_of_response[first], w[first])


def _merge_identical(log: ResponseLog, param: IntArray) -> tuple[ResponseLog, IntArray, FloatArray]:
    """Merge identical (parameter row, outcome sequence) pairs into one weighted sequence.

    EM statistics of identical sequences under the same parameters are identical, so this is
    exact; on ASSISTments 2015 it cuts 484k responses to ~200k.
    """
    group = log.learner * (int(param.max()) + 1 if param.size else 1) + param
    order = np.argsort(group, kind="stable")
    sorted_group = group[order]
    starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
    ends = np.r_[starts[1:], sorted_group.shape[0]]
    data = log.correct[order].astype(np.uint8)
    buffer = data.tobytes()  # one byte per outcome: slicing bytes is far cheaper than np.split
    rows = param[order][starts]
    seen: dict[tuple[int, bytes], int] = {}
    keep = np.zeros(starts.shape[0], dtype=bool)
    owner = np.empty(starts.shape[0], dtype=np.int64)
    for i, (row, a, b) in enumerate(
        zip(rows.tolist(), starts.tolist(), ends.tolist(), strict=True)
    ):
        key = (row, buffer[a:b])
        j = seen.get(key)
        if j is None:
            seen[key] = i
            keep[i] = True
            owner[i] = i
        else:
            owner[i] = j
    counts = np.bincount(owner, minlength=starts.shape[0]).astype(np.float64)
    kept = np.flatnonzero(keep)
    lengths = (ends - starts)[kept]
    learner = np.repeat(np.arange(kept.shape[0], dtype=np.int64), lengths)
    correct = data[np.repeat(keep, ends - starts)].astype(np.int64)
    new_param = np.repeat(rows[kept], lengths)
    weight = np.repeat(counts[kept], lengths)
    return ResponseLog(learner, new_param.copy(), correct), new_param, weight


def _forward(
    lay: _Layout, p: dict[str, FloatArray]
) -> tuple[FloatArray, FloatArray, FloatArray, dict[str, FloatArray]]:
    """Filter: returns (P(known) before each answer, after it, P(answer | past), seq params).

    Parameters are constant along a sequence and the sequences running at step ``t`` are a
    prefix of the sequence ranks, so per-sequence parameter arrays are sliced, never gathered.
    """
    tm, obs = lay.tm, lay.obs
    g = {name: p[name][lay.seq_param] for name in PARAM_NAMES}
    prior, learn, forget, guess, slip = (g[name] for name in PARAM_NAMES)
    stay = 1.0 - forget
    before = np.empty_like(obs)
    after = np.empty_like(obs)
    like = np.empty_like(obs)
    for t in range(tm.steps):
        cur = tm.at(t)
        n = int(tm.active[t])
        if t == 0:
            k = prior[:n]
        else:
            start = int(tm.offsets[t - 1])
            a = after[start : start + n]
            k = a * stay[:n] + (1.0 - a) * learn[:n]
        o = obs[cur] > 0
        s = slip[:n]
        gu = guess[:n]
        n1 = k * np.where(o, 1.0 - s, s)
        c = n1 + (1.0 - k) * np.where(o, gu, 1.0 - gu)
        before[cur] = k
        after[cur] = n1 / c
        like[cur] = c
    return before, after, like, g


_STATS = (
    "guess_num",
    "guess_den",
    "slip_num",
    "slip_den",
    "learn_num",
    "learn_den",
    "forget_num",
    "forget_den",
    "loglik",
)


def _e_step(lay: _Layout, p: dict[str, FloatArray], n_rows: int) -> dict[str, FloatArray]:
    """Expected sufficient statistics per parameter row (scaled forward-backward)."""
    tm, obs = lay.tm, lay.obs
    _, after, like, g = _forward(lay, p)
    learn, forget, guess, slip = g["learn"], g["forget"], g["guess"], g["slip"]
    n_seq = lay.seq_param.shape[0]
    acc = {name: np.zeros(n_seq) for name in _STATS}
    beta1_next = np.ones(0)
    beta0_next = np.ones(0)
    first_known = np.zeros(n_seq)
    for t in range(tm.steps - 1, -1, -1):
        cur = tm.at(t)
        n = int(tm.active[t])
        m = int(tm.active[t + 1]) if t + 1 < tm.steps else 0
        a1 = after[cur]
        beta1 = np.ones(n)
        beta0 = np.ones(n)
        if m:
            nxt = tm.at(t + 1)
            o = obs[nxt] > 0
            s = slip[:m]
            gu = guess[:m]
            w1 = np.where(o, 1.0 - s, s) * beta1_next / like[nxt]
            w0 = np.where(o, gu, 1.0 - gu) * beta0_next / like[nxt]
            lt, ft = learn[:m], forget[:m]
            beta1[:m] = (1.0 - ft) * w1 + ft * w0
            beta0[:m] = lt * w1 + (1.0 - lt) * w0
            am = a1[:m]
            acc["learn_num"][:m] += (1.0 - am) * lt * w1
            acc["learn_den"][:m] += (1.0 - am) * beta0[:m]
            acc["forget_num"][:m] += am * ft * w0
            acc["forget_den"][:m] += am * beta1[:m]
        gamma1 = a1 * beta1
        gamma0 = 1.0 - gamma1
        oc = obs[cur]
        acc["guess_num"][:n] += gamma0 * oc
        acc["guess_den"][:n] += gamma0
        acc["slip_num"][:n] += gamma1 * (1.0 - oc)
        acc["slip_den"][:n] += gamma1
        acc["loglik"][:n] += np.log(like[cur])
        if t == 0:
            first_known = gamma1
        beta1_next, beta0_next = beta1, beta0

    def total(values: FloatArray) -> FloatArray:
        out = np.bincount(lay.seq_param, weights=values * lay.seq_weight, minlength=n_rows)
        return out.astype(np.float64)

    stats = {name: total(values) for name, values in acc.items()}
    stats["first_known"] = total(first_known)
    stats["first_n"] = total(np.ones(n_seq))
    return stats


def _m_step(
    stats: dict[str, FloatArray], centre: dict[str, FloatArray], strength: float, forgets: bool
) -> dict[str, FloatArray]:
    """Beta-shrunk updates toward ``centre`` then clipping to :data:`BOUNDS`."""

    def shrunk(num: FloatArray, den: FloatArray, name: str) -> FloatArray:
        value = (num + strength * centre[name]) / (den + strength)
        low, high = BOUNDS[name]
        return np.clip(value, low, high)

    new = {
        "prior": shrunk(stats["first_known"], stats["first_n"], "prior"),
        "learn": shrunk(stats["learn_num"], stats["learn_den"], "learn"),
        "forget": shrunk(stats["forget_num"], stats["forget_den"], "forget"),
        "guess": shrunk(stats["guess_num"], stats["guess_den"], "guess"),
        "slip": shrunk(stats["slip_num"], stats["slip_den"], "slip"),
    }
    if not forgets:
        new["forget"] = np.zeros_like(new["forget"])
    return new


def _run_em(
    lay: _Layout,
    init: dict[str, FloatArray],
    centre: dict[str, FloatArray],
    config: BKTConfig,
    strength: float,
) -> tuple[dict[str, FloatArray], FloatArray]:
    n_rows = init["prior"].shape[0]
    params = init
    previous = -np.inf
    loglik = np.zeros(n_rows)
    for _ in range(config.max_iter):
        stats = _e_step(lay, params, n_rows)
        loglik = stats["loglik"]
        params = _m_step(stats, centre, strength, config.forgets)
        current = float(loglik.sum())
        if abs(current - previous) <= config.tol * abs(current):
            break
        previous = current
    final = _e_step(lay, params, n_rows)["loglik"]
    return params, final


def _random_init(rng: np.random.Generator, n: int, forgets: bool) -> dict[str, FloatArray]:
    init = {name: rng.uniform(lo, hi, size=n) for name, (lo, hi) in _INIT_RANGES.items()}
    if not forgets:
        init["forget"] = np.zeros(n)
    return init


def fit_bkt(log: ResponseLog, config: BKTConfig | None = None) -> BKTParameters:
    """Fit per-skill BKT (with forgetting unless ``config.forgets`` is False).

    Two stages: a pooled fit (one parameter set for all skills, the cold-start default and the
    centre of shrinkage), then per-skill fits with ``config.restarts`` random starts each, all
    run as one vectorized EM; the restart with the highest likelihood wins per skill.
    """
    config = config or BKTConfig()
    rng = np.random.default_rng(config.seed)
    restarts = max(1, config.restarts)
    skills, skill_idx = np.unique(log.skill, return_inverse=True)
    n_skills = len(skills)

    # Stage 1: pooled parameters, restarts as parallel rows over replicated data.
    merged, _, weight = _merge_identical(log, np.zeros(log.n_responses, dtype=np.int64))
    pooled_log, pooled_param, pooled_weight = _replicate(
        merged, np.zeros(merged.n_responses, dtype=np.int64), 1, restarts, weight
    )
    pooled_lay = _layout(pooled_log, pooled_param, restarts, pooled_weight)
    init = _random_init(rng, restarts, config.forgets)
    centre0 = {name: np.zeros(restarts) for name in PARAM_NAMES}
    pooled, pooled_ll = _run_em(pooled_lay, init, centre0, config, 0.0)
    best = int(np.argmax(pooled_ll))
    pooled_values = {name: float(pooled[name][best]) for name in PARAM_NAMES}

    # Stage 2: per-skill, all restarts at once (row = restart * n_skills + skill).
    merged, merged_param, weight = _merge_identical(log, skill_idx.astype(np.int64))
    rep_log, rep_param, rep_weight = _replicate(merged, merged_param, n_skills, restarts, weight)
    lay = _layout(rep_log, rep_param, n_skills * restarts, rep_weight)
    init = _random_init(rng, n_skills * restarts, config.forgets)
    # one restart starts from the pooled fit, so no skill does worse than the pooled start
    for name in PARAM_NAMES:
        init[name][:n_skills] = pooled_values[name]
    centre = {name: np.full(n_skills * restarts, pooled_values[name]) for name in PARAM_NAMES}
    params, loglik = _run_em(lay, init, centre, config, config.prior_strength)
    per_restart = loglik.reshape(restarts, n_skills)
    winner = np.argmax(per_restart, axis=0)
    rows = winner * n_skills + np.arange(n_skills)
    counts = np.bincount(skill_idx, minlength=n_skills)
    return BKTParameters(
        skills=[int(s) for s in skills],
        values={name: params[name][rows].copy() for name in PARAM_NAMES},
        pooled=pooled_values,
        log_likelihood=float(per_restart[winner, np.arange(n_skills)].sum()),
        n_responses={int(s): int(c) for s, c in zip(skills, counts, strict=True)},
    )


def _replicate(
    log: ResponseLog, param: IntArray, n_rows: int, copies: int, weight: FloatArray
) -> tuple[ResponseLog, IntArray, FloatArray]:
    """Stack ``copies`` of the log whose parameter rows are offset by ``n_rows`` each."""
    if copies == 1:
        return log, param, weight
    n_learners = log.n_learners
    learner = np.concatenate([log.learner + c * n_learners for c in range(copies)])
    rep = ResponseLog(learner, np.tile(log.skill, copies), np.tile(log.correct, copies))
    rep_param = np.concatenate([param + c * n_rows for c in range(copies)])
    return rep, rep_param, np.tile(weight, copies)


def bkt_trace(params: BKTParameters, log: ResponseLog) -> tuple[FloatArray, FloatArray]:
    """Predict every response from that learner's earlier responses on the same skill.

    Returns (P(right), P(known) before the answer), aligned with ``log``'s order.
    """
    skills = np.array([*params.skills, -1], dtype=np.int64)
    known = np.isin(log.skill, skills[:-1])
    idx = np.where(known, np.searchsorted(skills[:-1], log.skill), len(params.skills))
    idx = np.minimum(idx, len(params.skills))
    values = {name: np.r_[params.values[name], params.pooled[name]] for name in PARAM_NAMES}
    idx = idx.astype(np.int64)
    lay = _layout(log, idx, len(params.skills) + 1)
    before, _, _, _ = _forward(lay, values)
    tm_idx = idx[lay.tm.order]
    slip, guess = values["slip"][tm_idx], values["guess"][tm_idx]
    p_right = before * (1.0 - slip) + (1.0 - before) * guess
    out_p = np.empty_like(p_right)
    out_k = np.empty_like(before)
    out_p[lay.tm.order] = p_right
    out_k[lay.tm.order] = before
    return out_p, out_k


def bkt_update(known: float, correct: bool, p: dict[str, float]) -> float:
    """One online step: P(known) before this answer -> P(known) before the next. O(1)."""
    if correct:
        num = known * (1.0 - p["slip"])
        post = num / (num + (1.0 - known) * p["guess"])
    else:
        num = known * p["slip"]
        post = num / (num + (1.0 - known) * (1.0 - p["guess"]))
    return post * (1.0 - p["forget"]) + (1.0 - post) * p["learn"]


def bkt_predict(known: float, p: dict[str, float]) -> float:
    """P(right answer) given P(known)."""
    return known * (1.0 - p["slip"]) + (1.0 - known) * p["guess"]
