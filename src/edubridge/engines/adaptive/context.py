"""Skill-context terms: which skills a learner has practised before predicts the next answer.

On ASSISTments the set of skills a learner has already been assigned says a lot about the class
they are in (grade, curriculum, teacher), and the skill practised just before the current run
says what led to it. Neither uses the learner's outcomes, only the order of their own earlier
answers. For a target skill ``s`` the term is

    context(s) = sum over skills s' practised before of W_seen[s, s']
               + W_prev[s, skill of the run before the current one]

(a run is a maximal stretch of consecutive answers on one skill; for an answer that continues a
run, the previous run is the one before it, for an answer that starts a run, it is the skill
answered just before). W is fitted on the residuals of the base logistic model by one Newton
step with an L2 penalty: the gradient is exact over all rows, the Hessian of each target skill's
2K-square block comes from a sample of that skill's rows (scaled up), so the fit costs one pass
over the data plus K small solves. Measured on a validation split of the ASSISTments 2015
training file (ADR 0011): +0.005 AUC over the history model; further steps change the fourth
decimal only.

Everything is computed chunk by chunk (chunks end at learner boundaries) so memory stays at
``chunk x 2C`` floats whatever the log size. The context skills s' are the C most practised
skills: all of them up to ``MAX_COLUMNS`` (ASSISTments 2015 and 2009: 100 and 110 skills, all
kept), fewer on logs with many skills so that the Hessian blocks (K x 2C x 2C floats) stay under
``HESSIAN_BYTES`` (STATICS 2011, 1,223 skills: C = 82; a full K x 2K x 2K block array would have
needed 54.5 GiB).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit

from edubridge.engines.adaptive.blas import single_threaded
from edubridge.engines.adaptive.ragged import group_starts

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

CHUNK_ROWS = 32_768
#: At most this many context skills (columns of W); logs with fewer skills keep them all.
MAX_COLUMNS = 128
#: Memory allowed for the Newton step's Hessian blocks (K blocks of 2C x 2C floats).
HESSIAN_BYTES = 256 * 2**20


def context_columns(counts: FloatArray, budget: int = HESSIAN_BYTES) -> IntArray:
    """Skill rows used as context (ascending): every skill when there are few, else the most
    practised ones (ties: lower row first), as many as the Hessian budget allows."""
    k = counts.shape[0]
    room = int(np.sqrt(budget / (8.0 * max(k, 1))) / 2)
    c = max(1, min(k, MAX_COLUMNS, room)) if k else 0
    if c >= k:
        return np.arange(k, dtype=np.int64)
    order = np.lexsort((np.arange(k), -counts))
    return np.sort(order[:c]).astype(np.int64)


def column_of(columns: IntArray, k: int) -> IntArray:
    """Skill row -> its context column, -1 for a skill that is not a context skill."""
    col_of = np.full(k, -1, dtype=np.int64)
    col_of[columns] = np.arange(columns.shape[0])
    return col_of


def _prev_columns(prev: IntArray, col_of: IntArray) -> IntArray:
    """Context column of each previous-run skill row (-1: none, or not a context skill)."""
    return np.where(prev >= 0, col_of[np.maximum(prev, 0)], -1)


@dataclass(frozen=True)
class ContextLayout:
    """Per response: skill row (-1 unknown), first-on-skill flag, previous run's skill row."""

    learner: IntArray
    row: IntArray
    first: NDArray[np.bool_]
    prev_row: IntArray
    learner_start: IntArray


def layout(learner: IntArray, skill: IntArray, row: IntArray) -> ContextLayout:
    """Context bookkeeping for a learner-then-time ordered log; ``row`` = -1 for unknown skills."""
    n = row.shape[0]
    l_start, l_idx = group_starts(learner)
    key = learner * (int(skill.max()) + 1 if n else 1) + skill
    order = np.argsort(key, kind="stable")
    ks = key[order]
    first_sorted = np.r_[True, ks[1:] != ks[:-1]] if n else np.zeros(0, dtype=bool)
    first = np.zeros(n, dtype=bool)
    first[order[first_sorted]] = True
    first &= row >= 0
    pos = np.arange(n)
    run_start = (np.r_[True, skill[1:] != skill[:-1]] if n else np.zeros(0, dtype=bool)) | (
        l_idx == 0
    )
    run_first = np.maximum.accumulate(np.where(run_start, pos, 0)) if n else pos
    before = run_first - 1
    ok = before >= l_start
    prev_row = np.where(ok, row[np.maximum(before, 0)], -1)
    return ContextLayout(learner, row, first, prev_row.astype(np.int64), l_start)


def _chunks(ctx: ContextLayout, col_of: IntArray, c: int) -> Iterator[tuple[int, int, FloatArray]]:
    """(start, stop, seen) per chunk; ``seen[i, j] = 1`` if the skill of context column j was
    practised before response i."""
    n = ctx.row.shape[0]
    start = 0
    while start < n:
        stop = min(n, start + CHUNK_ROWS)
        if stop < n:
            # end at a learner boundary (a learner longer than a chunk makes the chunk longer)
            boundary = int(ctx.learner_start[stop])
            stop = boundary if boundary > start else _next_learner(ctx, stop)
        events = np.zeros((stop - start, c))
        hit = np.flatnonzero(ctx.first[start:stop])  # first answers on a known skill
        cols = col_of[ctx.row[start:stop][hit]]
        keep = cols >= 0
        events[hit[keep], cols[keep]] = 1.0
        total = np.cumsum(events, axis=0)
        earlier = total - events  # exact: integer-valued floats
        local_start = ctx.learner_start[start:stop] - start
        yield start, stop, earlier - earlier[local_start]
        start = stop


def _next_learner(ctx: ContextLayout, at: int) -> int:
    n = ctx.row.shape[0]
    later = np.flatnonzero(ctx.learner_start[at:] == np.arange(at, n))
    return at + int(later[0]) if later.size else n


@dataclass
class ContextWeights:
    """``seen[s, j]`` and ``prev[s, j]`` for target skill row s and context column j (K x C
    each); ``columns[j]`` is the skill row of column j (all K rows in order when C = K)."""

    seen: FloatArray
    prev: FloatArray
    l2: float = 100.0
    columns: IntArray | None = None
    col_of: IntArray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.seen.ndim != 2 or self.prev.shape != self.seen.shape:
            raise ValueError("context weights must be two K x C matrices of the same shape")
        k, c = self.seen.shape
        if self.columns is None:
            if c != k:
                raise ValueError("context weights without columns must be K x K")
            self.columns = np.arange(k, dtype=np.int64)
        columns = np.asarray(self.columns, dtype=np.int64)
        if columns.shape != (c,) or (c and (columns.min() < 0 or columns.max() >= k)):
            raise ValueError("context columns must name C distinct skill rows of the model")
        if np.unique(columns).shape[0] != c:
            raise ValueError("context columns must name C distinct skill rows of the model")
        self.columns = columns
        self.col_of = column_of(columns, k)

    @staticmethod
    def empty(k: int) -> ContextWeights:
        """No context (every term 0), over all K skills."""
        return ContextWeights(np.zeros((k, k)), np.zeros((k, k)))

    def logit(self, ctx: ContextLayout) -> FloatArray:
        """Context term of every response of ``ctx`` (0 for skills unknown to the fit)."""
        out = np.zeros(ctx.row.shape[0])
        with single_threaded():
            self._fill(ctx, out)
        return out

    def _fill(self, ctx: ContextLayout, out: FloatArray) -> None:
        for start, stop, seen in _chunks(ctx, self.col_of, self.seen.shape[1]):
            row = ctx.row[start:stop]
            known = row >= 0
            safe = np.where(known, row, 0)
            term = np.einsum("ij,ij->i", seen, self.seen[safe])
            pc = _prev_columns(ctx.prev_row[start:stop], self.col_of)
            has_prev = known & (pc >= 0)
            term[has_prev] += self.prev[row[has_prev], pc[has_prev]]
            out[start:stop] = np.where(known, term, 0.0)

    def to_dict(self) -> dict[str, object]:
        assert self.columns is not None
        return {
            "seen": self.seen.tolist(),
            "prev": self.prev.tolist(),
            "l2": self.l2,
            "columns": self.columns.tolist(),
        }

    @staticmethod
    def from_dict(data: dict[str, object]) -> ContextWeights:
        """Parameters written before context columns existed have K x K weights and no list."""
        seen = np.asarray(data["seen"], dtype=np.float64)
        prev = np.asarray(data["prev"], dtype=np.float64)
        raw = data.get("columns")
        columns = None if raw is None else np.asarray(raw, dtype=np.int64)
        return ContextWeights(seen, prev, float(data.get("l2", 100.0)), columns)  # type: ignore[arg-type]


def fit_context(
    ctx: ContextLayout,
    offset: FloatArray,
    y: FloatArray,
    k: int,
    l2: float = 100.0,
    hessian_rows: int = 400,
    seed: int = 0,
) -> ContextWeights:
    """One penalized Newton step from W = 0 on log-loss with the base model's logit as offset.

    Minimizes sum log-loss(y, offset + context) + l2/2 |W|^2 to second order around W = 0. Each
    target skill's 2K coefficients form an independent block (the offset is fixed), so the
    Hessian is block-diagonal by target skill; each block is estimated on at most
    ``hessian_rows`` of that skill's rows (scaled by the skill's row count), the gradient on all.
    """
    p = expit(offset)
    r = y - p
    w = p * (1.0 - p)
    row = ctx.row
    counts = np.bincount(row[row >= 0], minlength=k).astype(np.float64)
    # a seeded sample of up to hessian_rows rows per target skill
    rng = np.random.default_rng(seed)
    rank = rng.permutation(row.shape[0])
    order = np.lexsort((rank, row))
    sorted_rows = row[order]
    first_of = np.searchsorted(sorted_rows, np.arange(k))
    within = np.arange(row.shape[0]) - first_of[np.clip(sorted_rows, 0, k - 1)]
    take = (sorted_rows >= 0) & (within < hessian_rows)
    sampled = np.zeros(row.shape[0], dtype=bool)
    sampled[order[take]] = True
    n_sampled = np.bincount(row[sampled], minlength=k).astype(np.float64)
    scale = counts / np.maximum(n_sampled, 1.0)

    columns = context_columns(counts)
    with single_threaded():
        return _fit_context(ctx, r, w, sampled, scale, k, l2, columns)


def _fit_context(
    ctx: ContextLayout,
    r: FloatArray,
    w: FloatArray,
    sampled: NDArray[np.bool_],
    scale: FloatArray,
    k: int,
    l2: float,
    columns: IntArray,
) -> ContextWeights:
    row = ctx.row
    c = columns.shape[0]
    col_of = column_of(columns, k)
    grad_seen = np.zeros((k, c))
    grad_prev = np.zeros((k, c))
    # Each target skill's Hessian block is summed chunk by chunk from that chunk's sampled rows.
    hess = np.zeros((k, 2 * c, 2 * c))
    for start, stop, seen in _chunks(ctx, col_of, c):
        rc = row[start:stop]
        known = rc >= 0
        idx = np.flatnonzero(known)
        target = rc[idx]
        by = np.argsort(target, kind="stable")
        idx, target = idx[by], target[by]
        if idx.size:
            present, seg = np.unique(target, return_index=True)
            grad_seen[present] += np.add.reduceat(seen[idx] * r[start:stop][idx, None], seg, axis=0)
        pc = _prev_columns(ctx.prev_row[start:stop], col_of)
        has_prev = known & (pc >= 0)
        grad_prev += np.bincount(
            rc[has_prev] * c + pc[has_prev], weights=r[start:stop][has_prev], minlength=k * c
        ).reshape(k, c)
        pick = np.flatnonzero(sampled[start:stop])
        if pick.size:
            targets = rc[pick]
            by = np.argsort(targets, kind="stable")
            pick, targets = pick[by], targets[by]
            design = np.zeros((pick.size, 2 * c))
            design[:, :c] = seen[pick]
            pp = pc[pick]
            design[np.flatnonzero(pp >= 0), c + pp[pp >= 0]] = 1.0
            weight = w[start:stop][pick] * scale[targets]
            present, seg = np.unique(targets, return_index=True)
            ends = np.r_[seg[1:], pick.size]
            for s, a, b in zip(present.tolist(), seg.tolist(), ends.tolist(), strict=True):
                d = design[a:b]
                hess[s] += d.T @ (d * weight[a:b, None])
    hess[:, np.arange(2 * c), np.arange(2 * c)] += l2
    grad = np.concatenate([grad_seen, grad_prev], axis=1)
    step = np.linalg.solve(hess, grad[:, :, None])[:, :, 0]
    return ContextWeights(step[:, :c].copy(), step[:, c:].copy(), l2, columns)


@dataclass
class ContextState:
    """One learner's context, updated in O(K) per answer (K = skills in the fit).

    ``seen_sum[s]`` = sum of ``W_seen[s, s']`` over the skill rows s' practised so far.
    """

    weights: ContextWeights
    seen_sum: FloatArray = field(init=False)
    seen: set[int] = field(default_factory=set)
    last_row: int = -1  # row of the skill answered last (-1: none or unknown skill)
    last_skill: int | None = None
    run_prev_row: int = -1  # row of the skill of the run before the current run

    def __post_init__(self) -> None:
        self.seen_sum = np.zeros(self.weights.seen.shape[0])

    def term(self, row: int, skill: int) -> float:
        """Context term for a next answer on ``skill`` (row -1: unknown to the fit)."""
        if row < 0:
            return 0.0
        prev = self.run_prev_row if skill == self.last_skill else self.last_row
        col = int(self.weights.col_of[prev]) if prev >= 0 else -1
        value = float(self.seen_sum[row])
        return value + float(self.weights.prev[row, col]) if col >= 0 else value

    def terms(self, rows: IntArray, skills: IntArray) -> FloatArray:
        """:meth:`term` for many skills at once (vectorized)."""
        known = rows >= 0
        safe = np.where(known, rows, 0)
        out = self.seen_sum[safe].copy()
        prev = np.where(skills == self.last_skill, self.run_prev_row, self.last_row)
        pc = _prev_columns(prev, self.weights.col_of)
        has_prev = known & (pc >= 0)
        out[has_prev] += self.weights.prev[safe[has_prev], pc[has_prev]]
        return np.where(known, out, 0.0)

    def to_dict(self) -> dict[str, object]:
        """The learner's context as JSON-able data (``seen_sum`` is derived, not stored)."""
        return {
            "seen": sorted(self.seen),
            "last_row": self.last_row,
            "last_skill": self.last_skill,
            "run_prev_row": self.run_prev_row,
        }

    @staticmethod
    def from_dict(weights: ContextWeights, data: dict[str, Any]) -> ContextState:
        """Rebuild from :meth:`to_dict` under ``weights`` (rows must be the fit's)."""
        state = ContextState(weights)
        k = weights.seen.shape[0]
        rows = [int(r) for r in data["seen"]]
        if any(not 0 <= r < k for r in rows):
            raise ValueError("context state names skill rows outside the fitted model")
        for r in rows:
            state.seen.add(r)
            col = int(weights.col_of[r])
            if col >= 0:
                state.seen_sum += weights.seen[:, col]
        state.last_row = int(data["last_row"])
        skill = data["last_skill"]
        state.last_skill = None if skill is None else int(skill)
        state.run_prev_row = int(data["run_prev_row"])
        return state

    def observe(self, row: int, skill: int) -> None:
        if skill != self.last_skill:
            self.run_prev_row = self.last_row if self.last_skill is not None else -1
        if row >= 0 and row not in self.seen:
            self.seen.add(row)
            col = int(self.weights.col_of[row])
            if col >= 0:
                self.seen_sum += self.weights.seen[:, col]
        self.last_row = row
        self.last_skill = skill
