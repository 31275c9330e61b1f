"""Time-major layout of many short sequences, so recurrences run over all of them at once.

Sequences are sorted longest first; step ``t`` of every sequence still running at ``t`` sits in
one contiguous slice ``offsets[t]:offsets[t] + active[t]``, and those sequences are a prefix of
the ones running at ``t - 1``. A recurrence over all sequences is then a Python loop over time
steps (the longest sequence, ~130 in ASSISTments 2015) of NumPy operations on slices, and the
total work is proportional to the number of responses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class TimeMajor:
    """``order[p]`` is the original element index stored at time-major position ``p``."""

    order: IntArray
    offsets: IntArray  # start of each time step, length T + 1
    active: IntArray  # number of sequences still running at each step, length T
    group_of_seq: IntArray  # sequence rank -> group id as given by the caller
    seq_of_pos: IntArray  # time-major position -> sequence rank

    @property
    def steps(self) -> int:
        return int(self.active.shape[0])

    def at(self, t: int) -> slice:
        start = int(self.offsets[t])
        return slice(start, start + int(self.active[t]))


def time_major(group: IntArray) -> TimeMajor:
    """Lay out elements by group (a sequence id per element, elements in time order)."""
    n = group.shape[0]
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return TimeMajor(empty, np.zeros(1, dtype=np.int64), empty, empty, empty)
    by_group = np.argsort(group, kind="stable")
    sorted_groups = group[by_group]
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    lengths = np.diff(np.r_[starts, n])
    step = np.arange(n) - np.repeat(starts, lengths)
    # rank sequences longest first (stable, so ties keep group order)
    rank_of_seq = np.empty(len(starts), dtype=np.int64)
    by_length = np.argsort(-lengths, kind="stable")
    rank_of_seq[by_length] = np.arange(len(starts))
    active = np.bincount(step, minlength=int(lengths.max())).astype(np.int64)
    # active[t] = sequences with length > t; bincount of steps counts exactly that
    offsets = np.r_[0, np.cumsum(active)].astype(np.int64)
    seq_rank = np.repeat(rank_of_seq, lengths)
    position = offsets[step] + seq_rank
    order = np.empty(n, dtype=np.int64)
    order[position] = by_group
    seq_of_pos = np.empty(n, dtype=np.int64)
    seq_of_pos[position] = seq_rank
    group_of_seq = np.empty(len(starts), dtype=np.int64)
    group_of_seq[rank_of_seq] = sorted_groups[starts]
    return TimeMajor(order, offsets, active, group_of_seq, seq_of_pos)


def group_starts(group: IntArray) -> tuple[IntArray, IntArray]:
    """For elements in group-contiguous order: (start index of own group, index within it)."""
    n = group.shape[0]
    is_start = np.r_[True, group[1:] != group[:-1]] if n else np.zeros(0, dtype=bool)
    start = np.maximum.accumulate(np.where(is_start, np.arange(n), 0)) if n else group.copy()
    return start.astype(np.int64), (np.arange(n) - start).astype(np.int64)


def earlier_sum(x: NDArray[np.float64], start: IntArray) -> NDArray[np.float64]:
    """Sum of ``x`` over the earlier elements of each element's group (exclusive cumsum).

    Computed from the running sum *before* each element (not ``cumsum - x``), so no value
    depends on its own element, even in the last bit.
    """
    if not x.size:
        return x.copy()
    before = np.r_[0.0, np.cumsum(x)[:-1]]
    return np.asarray(before - before[start], dtype=np.float64)


def earlier_decayed_sum(
    x: NDArray[np.float64], group: IntArray, decay: float
) -> NDArray[np.float64]:
    """``D_t = decay * D_{t-1} + x_{t-1}``, ``D_0 = 0``, per group (elements in time order)."""
    return earlier_decayed_sums(group, [(x, decay)])[0]


def earlier_decayed_sums(
    group: IntArray, series: list[tuple[NDArray[np.float64], float]]
) -> list[NDArray[np.float64]]:
    """:func:`earlier_decayed_sum` for several (values, decay) pairs sharing one layout."""
    tm = time_major(group)
    xt = np.stack([x[tm.order] for x, _ in series])
    decays = np.array([d for _, d in series])[:, None]
    out = np.zeros_like(xt)
    for t in range(1, tm.steps):
        cur = tm.at(t)
        start = int(tm.offsets[t - 1])
        n = int(tm.active[t])
        out[:, cur] = decays * out[:, start : start + n] + xt[:, start : start + n]
    result = np.empty_like(out)
    result[:, tm.order] = out
    return list(result)
