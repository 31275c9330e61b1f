"""Applicant-proposing deferred acceptance with capacities and soft reserves, on arrays.

Each round every applicant without a held offer proposes to their next eligible choice;
each place that received proposals applies its choice rule to what it holds plus the new
proposals, keeps the chosen and rejects the rest. Places that received nothing are left
alone, so late rounds cost only what changed.

The choice rule of a place (reserves first, then open seats):
1. for each reserve in the order the place lists them, take the highest-ranked applicants
   of that group not yet taken, up to the reserved seats (fewer if the group runs out);
2. fill the remaining capacity (capacity minus seats actually taken in 1) with the
   highest-ranked applicants not yet taken.
Rank is host score, ties by the one lottery. The rule is substitutable and satisfies the
law of aggregate demand (see docs/adr/0010-exchange-matching.md), so the outcome is the
applicant-optimal stable matching and truthful ranking is a dominant strategy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .instance import BoolArray, Instance, IntArray

OPEN = -1  # seat kind of an applicant admitted on an open seat
REJECTED = -2  # not chosen


def rank_in_groups(keys: IntArray) -> IntArray:
    """0-based position of each element within its run of equal `keys` (keys sorted)."""
    n = keys.size
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    idx = np.arange(n, dtype=np.int64)
    first = np.empty(n, dtype=np.bool_)
    first[0] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    return idx - np.maximum.accumulate(np.where(first, idx, 0))


def choose(inst: Instance, rows: IntArray) -> tuple[IntArray, IntArray]:
    """Apply each place's choice rule to the applications `rows` (any order).

    Returns the rows sorted by (place, rank) and, for each, its seat kind: a reserve
    level j >= 0, `OPEN`, or `REJECTED`.
    """
    rows = rows[np.argsort(inst.priority[rows])]
    places = inst.row_place[rows]
    seat = np.full(rows.size, REJECTED, dtype=np.int64)
    capacity = inst.capacity[places]
    if inst.levels:
        for j in range(inst.levels):
            quota = inst.reserve_seats[places, j]
            idx = np.flatnonzero(inst.member[j, rows] & (seat == REJECTED) & (quota > 0))
            if idx.size:
                won = idx[rank_in_groups(places[idx]) < quota[idx]]
                seat[won] = j
        taken = np.bincount(places[seat >= 0], minlength=inst.capacity.size)
        capacity = capacity - taken[places]
    idx = np.flatnonzero(seat == REJECTED)
    won = idx[rank_in_groups(places[idx]) < capacity[idx]]
    seat[won] = OPEN
    return rows, seat


@dataclass(frozen=True)
class Assignment:
    """The matching as arrays: each applicant's held row (-1 if none) and the round count."""

    row_of_applicant: IntArray
    rounds: int


def deferred_acceptance(inst: Instance, active: BoolArray | None = None) -> Assignment:
    """Run applicant-proposing DA; `active` (per applicant) limits who takes part."""
    n = len(inst.applicant_ids)
    pointer = inst.starts[:-1].copy()
    end = inst.starts[1:]
    free = np.arange(n, dtype=np.int64)
    if active is not None:
        free = free[active]
    held = np.zeros(0, dtype=np.int64)
    touched = np.zeros(inst.capacity.size, dtype=np.bool_)
    rounds = 0
    while True:
        free = free[pointer[free] < end[free]]
        if free.size == 0:
            break
        rounds += 1
        new = inst.by_applicant[pointer[free]]
        pointer[free] += 1
        touched[:] = False
        touched[inst.row_place[new]] = True
        contested = touched[inst.row_place[held]]
        rows, seat = choose(inst, np.concatenate((held[contested], new)))
        held = np.concatenate((held[~contested], rows[seat != REJECTED]))
        free = inst.row_applicant[rows[seat == REJECTED]]
    row_of_applicant = np.full(n, -1, dtype=np.int64)
    row_of_applicant[inst.row_applicant[held]] = held
    return Assignment(row_of_applicant=row_of_applicant, rounds=rounds)
