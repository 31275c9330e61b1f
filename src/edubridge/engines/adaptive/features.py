"""History features for the PFA-family logistic model, from a learner's EARLIER answers only.

The same raw quantities are computed two ways: vectorized over a whole log (fitting and
evaluation) and incrementally per answer (:class:`HistoryState`, O(1) per answer, for live
learners). Both feed :func:`assemble`, so the transformation is written once; a test checks
that the two ways agree to the last bit on random logs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from edubridge.engines.adaptive.data import ResponseLog
from edubridge.engines.adaptive.ragged import earlier_decayed_sums, earlier_sum, group_starts

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Decay per answer of the recency-weighted counts (per skill; learner-wide fast and slow).
SKILL_DECAY = 0.7
LEARNER_DECAY_SLOW = 0.9
LEARNER_DECAY_FAST = 0.5
#: Population success rate used to smooth learner rates before any answer (ASSISTments ~0.73).
BASE_RATE = 0.7

RAW_FIELDS = (
    "s_n",
    "s_c",
    "s_prev1",
    "s_prev2",
    "s_streak_r",
    "s_streak_w",
    "s_dec_c",
    "s_dec_n",
    "l_n",
    "l_c",
    "l_prev",
    "l_same_skill",
    "l_slow_c",
    "l_slow_n",
    "l_fast_c",
    "l_fast_n",
    "l_distinct",
    "l_first_c",
    "bkt_p",
    "bkt_k",
    "l_res",
    "l_res_slow",
    "l_res_vslow",
    "l_block_n",
    "l_block_c",
    "l_blocks",
    "s_gap",
    "s_first",
)

FEATURE_NAMES = (
    "log_skill_successes",
    "log_skill_failures",
    "first_attempt_on_skill",
    "prev_on_skill_right",
    "prev_on_skill_wrong",
    "prev2_on_skill_right",
    "prev2_on_skill_wrong",
    "skill_right_streak_2plus",
    "skill_right_streak_3plus",
    "skill_wrong_streak_2plus",
    "skill_wrong_streak_3plus",
    "log_recent_skill_successes",
    "log_recent_skill_failures",
    "log_learner_successes",
    "log_learner_failures",
    "logit_learner_rate",
    "logit_learner_recent_rate_slow",
    "logit_learner_recent_rate_fast",
    "prev_answer_right",
    "prev_answer_wrong",
    "same_skill_as_previous",
    "log_skills_seen",
    "logit_first_attempt_rate",
    "logit_bkt_success",
    "logit_bkt_mastery",
    "learner_residual_sum",
    "learner_residual_mean",
    "learner_residual_recent",
    "learner_residual_longterm",
    "log_answers_in_current_run",
    "log_right_in_current_run",
    "log_runs_so_far",
    "log_answers_since_skill_last_seen",
    "first_answer_on_skill_right",
    "first_answer_on_skill_wrong",
)

#: Decays of the learner-wide residual (answer minus the skill's base rate) sums.
RESIDUAL_DECAY_SLOW = 0.9
RESIDUAL_DECAY_VSLOW = 0.97


def _logit(p: FloatArray) -> FloatArray:
    q = np.clip(p, 1e-4, 1.0 - 1e-4)
    return np.asarray(np.log(q / (1.0 - q)), dtype=np.float64)


def assemble(raw: dict[str, FloatArray]) -> FloatArray:
    """Raw history quantities -> dense feature matrix (rows x len(FEATURE_NAMES))."""
    s_n, s_c = raw["s_n"], raw["s_c"]
    l_n, l_c = raw["l_n"], raw["l_c"]
    columns = [
        np.log1p(s_c),
        np.log1p(s_n - s_c),
        (s_n == 0).astype(np.float64),
        (raw["s_prev1"] == 1).astype(np.float64),
        (raw["s_prev1"] == 0).astype(np.float64),
        (raw["s_prev2"] == 1).astype(np.float64),
        (raw["s_prev2"] == 0).astype(np.float64),
        (raw["s_streak_r"] >= 2).astype(np.float64),
        (raw["s_streak_r"] >= 3).astype(np.float64),
        (raw["s_streak_w"] >= 2).astype(np.float64),
        (raw["s_streak_w"] >= 3).astype(np.float64),
        np.log1p(raw["s_dec_c"]),
        np.log1p(np.maximum(raw["s_dec_n"] - raw["s_dec_c"], 0.0)),
        np.log1p(l_c),
        np.log1p(l_n - l_c),
        _logit((l_c + 2.0 * BASE_RATE) / (l_n + 2.0)),
        _logit((raw["l_slow_c"] + BASE_RATE) / (raw["l_slow_n"] + 1.0)),
        _logit((raw["l_fast_c"] + BASE_RATE) / (raw["l_fast_n"] + 1.0)),
        (raw["l_prev"] == 1).astype(np.float64),
        (raw["l_prev"] == 0).astype(np.float64),
        raw["l_same_skill"],
        np.log1p(raw["l_distinct"]),
        _logit((raw["l_first_c"] + 2.0 * BASE_RATE) / (raw["l_distinct"] + 2.0)),
        _logit(raw["bkt_p"]),
        _logit(raw["bkt_k"]),
        raw["l_res"],
        raw["l_res"] / (l_n + 3.0),
        raw["l_res_slow"],
        raw["l_res_vslow"],
        np.log1p(raw["l_block_n"]),
        np.log1p(raw["l_block_c"]),
        np.log1p(raw["l_blocks"]),
        np.log1p(np.maximum(raw["s_gap"], 0.0)),
        (raw["s_first"] == 1).astype(np.float64),
        (raw["s_first"] == 0).astype(np.float64),
    ]
    out = np.empty((columns[0].shape[0], len(columns)))
    for j, column in enumerate(columns):
        out[:, j] = column
    return out


def history_raw(
    log: ResponseLog, bkt_p: FloatArray, bkt_k: FloatArray, base_rate: FloatArray
) -> dict[str, FloatArray]:
    """Raw quantities for every response of ``log``, each from earlier answers only.

    ``base_rate[i]`` is the training success rate of response ``i``'s skill (a fitted
    quantity, not the learner's answer), used for the learner's residual ability.
    """
    n = log.n_responses
    x = log.correct.astype(np.float64)
    skill_key = log.learner * (int(log.skill.max()) + 1 if n else 1) + log.skill
    order = np.argsort(skill_key, kind="stable")
    xs = x[order]
    start, idx = group_starts(skill_key[order])
    pos = np.arange(n)
    prev1 = np.where(idx >= 1, xs[np.maximum(pos - 1, 0)], -1.0)
    prev2 = np.where(idx >= 2, xs[np.maximum(pos - 2, 0)], -1.0)
    streak_r = _streak(xs, start, idx, value=1.0)
    streak_w = _streak(xs, start, idx, value=0.0)
    learner_pos = (np.arange(n) - group_starts(log.learner)[0]).astype(np.float64)[order]
    gap = np.where(idx >= 1, learner_pos - learner_pos[np.maximum(pos - 1, 0)], -1.0)
    first_outcome = np.where(idx >= 1, xs[start], -1.0)
    sorted_fields = {
        "s_gap": gap,
        "s_first": first_outcome,
        "s_n": idx.astype(np.float64),
        "s_c": earlier_sum(xs, start),
        "s_prev1": prev1,
        "s_prev2": prev2,
        "s_streak_r": streak_r,
        "s_streak_w": streak_w,
    }
    raw: dict[str, FloatArray] = {}
    for name, values in sorted_fields.items():
        out = np.empty(n)
        out[order] = values
        raw[name] = out
    raw["s_dec_c"], raw["s_dec_n"] = earlier_decayed_sums(
        skill_key, [(x, SKILL_DECAY), (np.ones(n), SKILL_DECAY)]
    )

    l_start, l_idx = group_starts(log.learner)
    raw["l_n"] = l_idx.astype(np.float64)
    raw["l_c"] = earlier_sum(x, l_start)
    shifted = np.maximum(pos - 1, 0)
    raw["l_prev"] = np.where(l_idx >= 1, x[shifted], -1.0)
    raw["l_same_skill"] = ((l_idx >= 1) & (log.skill[shifted] == log.skill)).astype(np.float64)
    residual = x - base_rate
    (
        raw["l_slow_c"],
        raw["l_slow_n"],
        raw["l_fast_c"],
        raw["l_fast_n"],
        raw["l_res_slow"],
        raw["l_res_vslow"],
    ) = earlier_decayed_sums(
        log.learner,
        [
            (x, LEARNER_DECAY_SLOW),
            (np.ones(n), LEARNER_DECAY_SLOW),
            (x, LEARNER_DECAY_FAST),
            (np.ones(n), LEARNER_DECAY_FAST),
            (residual, RESIDUAL_DECAY_SLOW),
            (residual, RESIDUAL_DECAY_VSLOW),
        ],
    )
    first = (raw["s_n"] == 0).astype(np.float64)
    raw["l_distinct"] = earlier_sum(first, l_start)
    raw["l_first_c"] = earlier_sum(first * x, l_start)
    raw["bkt_p"] = bkt_p
    raw["bkt_k"] = bkt_k
    raw["l_res"] = earlier_sum(residual, l_start)
    run_start = np.r_[True, log.skill[1:] != log.skill[:-1]] if n else np.zeros(0, dtype=bool)
    run_start |= l_idx == 0
    run_id = np.cumsum(run_start) - 1
    r_start, r_idx = group_starts(run_id)
    raw["l_block_n"] = r_idx.astype(np.float64)
    raw["l_block_c"] = earlier_sum(x, r_start)
    raw["l_blocks"] = earlier_sum(run_start.astype(np.float64), l_start)
    return raw


def _streak(xs: FloatArray, start: IntArray, idx: IntArray, value: float) -> FloatArray:
    """Length of the run of ``value`` answers just before each answer, within its group."""
    n = xs.shape[0]
    pos = np.arange(n)
    breaker = np.where(xs != value, pos, -1)
    last_breaker = np.maximum.accumulate(breaker) if n else breaker
    prev_breaker = np.where(idx >= 1, last_breaker[np.maximum(pos - 1, 0)], -1)
    prev_breaker = np.maximum(prev_breaker, start - 1)
    return np.where(idx >= 1, pos - 1 - prev_breaker, 0).astype(np.float64)


@dataclass
class SkillHistory:
    """One learner's history on one skill (state before the next answer)."""

    n: float = 0.0
    c: float = 0.0
    prev1: float = -1.0
    prev2: float = -1.0
    streak_r: float = 0.0
    streak_w: float = 0.0
    dec_c: float = 0.0
    dec_n: float = 0.0
    last_pos: float = -1.0
    first: float = -1.0


@dataclass
class HistoryState:
    """One learner's history across skills, updated in O(1) per answer."""

    skills: dict[int, SkillHistory] = field(default_factory=dict)
    n: float = 0.0
    c: float = 0.0
    prev: float = -1.0
    prev_skill: int | None = None
    slow_c: float = 0.0
    slow_n: float = 0.0
    fast_c: float = 0.0
    fast_n: float = 0.0
    distinct: float = 0.0
    first_c: float = 0.0
    res: float = 0.0
    res_slow: float = 0.0
    res_vslow: float = 0.0
    run_n: float = 0.0
    run_c: float = 0.0
    runs: float = 0.0

    def raw_for(self, skill: int, bkt_p: float, bkt_k: float) -> dict[str, float]:
        """Raw quantities for a (hypothetical) next answer on ``skill``."""
        h = self.skills.get(skill) or SkillHistory()
        return {
            "s_n": h.n,
            "s_c": h.c,
            "s_prev1": h.prev1,
            "s_prev2": h.prev2,
            "s_streak_r": h.streak_r,
            "s_streak_w": h.streak_w,
            "s_dec_c": h.dec_c,
            "s_dec_n": h.dec_n,
            "l_n": self.n,
            "l_c": self.c,
            "l_prev": self.prev,
            "l_same_skill": 1.0 if self.prev_skill == skill else 0.0,
            "l_slow_c": self.slow_c,
            "l_slow_n": self.slow_n,
            "l_fast_c": self.fast_c,
            "l_fast_n": self.fast_n,
            "l_distinct": self.distinct,
            "l_first_c": self.first_c,
            "bkt_p": bkt_p,
            "bkt_k": bkt_k,
            "l_res": self.res,
            "l_res_slow": self.res_slow,
            "l_res_vslow": self.res_vslow,
            "l_block_n": self.run_n if self.prev_skill == skill else 0.0,
            "l_block_c": self.run_c if self.prev_skill == skill else 0.0,
            "l_blocks": self.runs,
            "s_gap": self.n - h.last_pos if h.n else -1.0,
            "s_first": h.first,
        }

    def observe(self, skill: int, correct: bool, base_rate: float) -> None:
        """Fold one answer in; constant time. ``base_rate``: the skill's training rate."""
        x = 1.0 if correct else 0.0
        h = self.skills.get(skill)
        if h is None:
            h = self.skills[skill] = SkillHistory()
            self.distinct += 1.0
            self.first_c += x
            h.first = x
        h.last_pos = self.n
        if skill == self.prev_skill:
            self.run_n += 1.0
            self.run_c += x
        else:
            self.runs += 1.0
            self.run_n = 1.0
            self.run_c = x
        residual = x - base_rate
        self.res += residual
        self.res_slow = RESIDUAL_DECAY_SLOW * self.res_slow + residual
        self.res_vslow = RESIDUAL_DECAY_VSLOW * self.res_vslow + residual
        h.prev2, h.prev1 = h.prev1, x
        h.streak_r = h.streak_r + 1.0 if correct else 0.0
        h.streak_w = 0.0 if correct else h.streak_w + 1.0
        h.dec_c = SKILL_DECAY * h.dec_c + x
        h.dec_n = SKILL_DECAY * h.dec_n + 1.0
        h.n += 1.0
        h.c += x
        self.n += 1.0
        self.c += x
        self.prev = x
        self.prev_skill = skill
        self.slow_c = LEARNER_DECAY_SLOW * self.slow_c + x
        self.slow_n = LEARNER_DECAY_SLOW * self.slow_n + 1.0
        self.fast_c = LEARNER_DECAY_FAST * self.fast_c + x
        self.fast_n = LEARNER_DECAY_FAST * self.fast_n + 1.0


#: One-hot bins (right-open edges; the lowest bin is the reference and has no column) of
#: counts whose effect is not log-linear: answers on the skill, position in the current
#: same-skill run (ASSISTments skill builders end after three right in a row), right and wrong
#: streaks, and the learner's total answers. Chosen on a validation split of the training file
#: (ADR 0011): +0.001 AUC over the log-scaled counts alone.
BINS: tuple[tuple[str, str, tuple[float, ...]], ...] = (
    ("s_n", "answers_on_skill", (0.5, 1.5, 2.5, 3.5, 5.5, 8.5, 15.5)),
    ("l_block_n", "answers_in_current_run", (0.5, 1.5, 2.5, 3.5, 5.5, 8.5)),
    ("s_streak_r", "skill_right_streak", (0.5, 1.5, 2.5, 3.5, 5.5)),
    ("s_streak_w", "skill_wrong_streak", (0.5, 1.5, 2.5, 3.5, 5.5)),
    ("l_n", "learner_answers", (0.5, 2.5, 5.5, 10.5, 20.5, 50.5, 100.5)),
)


def _bin_name(label: str, edges: tuple[float, ...], j: int) -> str:
    low = edges[j]
    high = edges[j + 1] if j + 1 < len(edges) else None
    lo = int(low + 0.5)
    return f"{label}_{lo}plus" if high is None else f"{label}_{lo}_to_{int(high - 0.5)}"


BINNED_FEATURE_NAMES = FEATURE_NAMES + tuple(
    _bin_name(label, edges, j) for _, label, edges in BINS for j in range(len(edges))
)
#: Bin columns that depend on the learner only (for the separable all-skills prediction).
LEARNER_BIN_NAMES = frozenset(
    _bin_name(label, edges, j)
    for field_name, label, edges in BINS
    if field_name.startswith("l_n")
    for j in range(len(edges))
)


def assemble_binned(raw: dict[str, FloatArray]) -> FloatArray:
    """:func:`assemble` plus the one-hot count bins of :data:`BINS`."""
    base = assemble(raw)
    width = sum(len(edges) for _, _, edges in BINS)
    out = np.zeros((base.shape[0], base.shape[1] + width))
    out[:, : base.shape[1]] = base
    col = base.shape[1]
    rows = np.arange(base.shape[0])
    for field_name, _, edges in BINS:
        b = np.digitize(raw[field_name], edges)  # 0 = reference bin, no column
        hit = b > 0
        out[rows[hit], col + b[hit] - 1] = 1.0
        col += len(edges)
    return out
