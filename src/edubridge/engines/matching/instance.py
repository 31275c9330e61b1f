"""Turn places and applications into compact integer arrays, checking them on the way.

Everything the algorithm touches becomes a NumPy array indexed by row (one row per
application), applicant code or place code; strings stay only for the way back out.
Checks are done here, once, for every caller (CLI, Django app, tests): `MatchInputError`
carries the offending application row so the CLI can name the file line.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .data import ApplicationColumns, Attributes, MatchInputError, Place
from .lottery import draw_lottery

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


class RowError(MatchInputError):
    """A bad application, pointing at its 0-based row in the input order."""

    def __init__(self, row: int, message: str) -> None:
        super().__init__(message)
        self.row = row


class PlaceError(MatchInputError):
    """A bad place, pointing at its 0-based position in the places given."""

    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index = index


@dataclass(frozen=True)
class Instance:
    """A checked matching instance as arrays.

    Row arrays (`row_*`) hold every application, eligible or not; `priority` is each
    row's position in the order (place, host score descending, lottery position), so
    within one place a smaller priority means ranked higher and all ranks are distinct.
    `by_applicant`/`starts` list each applicant's eligible rows by preference (CSR).
    """

    applicant_ids: list[str]
    place_ids: list[str]
    places: Sequence[Place]
    capacity: IntArray
    row_applicant: IntArray
    row_place: IntArray
    row_preference: IntArray
    row_score: FloatArray
    row_ineligible: list[str]
    eligible: BoolArray
    priority: IntArray
    lottery: tuple[str, ...]
    lottery_position: IntArray  # per applicant code
    by_preference: IntArray  # every row, sorted by (applicant, preference)
    by_applicant: IntArray
    starts: IntArray
    reserve_seats: IntArray  # (places, levels); level j is the place's j-th reserve
    member: BoolArray  # (levels, rows): the row's applicant belongs to that reserve group

    @property
    def levels(self) -> int:
        return int(self.reserve_seats.shape[1])


def _check_places(places: Sequence[Place]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, p in enumerate(places):
        if not p.place_id:
            raise PlaceError(i, "empty place_id")
        if p.place_id in index:
            raise PlaceError(i, f"duplicate place_id {p.place_id!r}")
        if p.capacity < 0:
            raise PlaceError(i, f"negative capacity {p.capacity} for place {p.place_id!r}")
        for r in p.reserves:
            if r.seats < 0:
                raise PlaceError(i, f"negative reserve {r.label}={r.seats} at {p.place_id!r}")
        reserved = sum(r.seats for r in p.reserves)
        if reserved > p.capacity:
            raise PlaceError(
                i, f"place {p.place_id!r} reserves {reserved} seats but has capacity {p.capacity}"
            )
        labels = [r.label for r in p.reserves]
        if len(set(labels)) != len(labels):
            raise PlaceError(i, f"place {p.place_id!r} lists the same reserve twice")
        index[p.place_id] = i
    return index


def _int_array(values: Sequence[int], name: str) -> IntArray:
    """Values as int64, naming the first row that does not fit."""
    try:
        return np.asarray(values, dtype=np.int64).reshape(len(values))
    except OverflowError:
        bad = next(i for i, v in enumerate(values) if not -(2**63) <= v < 2**63)
        raise RowError(bad, f"{name} is too large: {values[bad]}") from None


def _sorted_by_pair(a: IntArray, b: IntArray) -> IntArray:
    """Row order by (a, b), input order among equals; a and b are non-negative."""
    if a.size == 0:
        return np.zeros(0, dtype=np.int64)
    span = int(b.max()) + 1
    if int(a.max()) < (2**62) // span:
        return np.argsort(a * span + b, kind="stable")  # one int key: faster than lexsort
    return np.lexsort((b, a))


def _first_duplicate(order: IntArray, a: IntArray, b: IntArray) -> int | None:
    """The later row of the first repeated (a, b) pair, given rows sorted by (a, b)."""
    same = (a[order][1:] == a[order][:-1]) & (b[order][1:] == b[order][:-1])
    if not same.any():
        return None
    return int(order[1:][same].min())


def _priority(place: IntArray, score: FloatArray, lottery: IntArray) -> IntArray:
    """Each row's position in the order (place, score descending, lottery position)."""
    n = place.size
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    unique, score_rank = np.unique(-score, return_inverse=True)
    score_rank = score_rank.reshape(n).astype(np.int64)
    n_lottery = int(lottery.max()) + 1
    if (int(place.max()) + 1) * unique.size < (2**62) // n_lottery:
        order = np.argsort((place * unique.size + score_rank) * n_lottery + lottery)
    else:
        order = np.lexsort((lottery, score_rank, place))
    priority = np.empty(n, dtype=np.int64)
    priority[order] = np.arange(n, dtype=np.int64)
    return priority


def _reserve_arrays(
    places: Sequence[Place],
    applicant_ids: list[str],
    attributes: Attributes | None,
    row_applicant: IntArray,
    row_place: IntArray,
) -> tuple[IntArray, BoolArray]:
    levels = max((len(p.reserves) for p in places), default=0)
    seats = np.zeros((len(places), levels), dtype=np.int64)
    rows = row_applicant.size
    if levels == 0:
        return seats, np.zeros((0, rows), dtype=np.bool_)
    dims = sorted({r.attribute for p in places for r in p.reserves})
    dim_index = {d: k for k, d in enumerate(dims)}
    vocab: list[dict[str, int]] = [{} for _ in dims]
    codes = np.full((len(dims), len(applicant_ids)), -1, dtype=np.int64)
    attrs = attributes or {}
    for k, d in enumerate(dims):
        v = vocab[k]
        codes[k] = [
            v.setdefault(attrs[a][d], len(v)) if d in attrs.get(a, {}) else -1
            for a in applicant_ids
        ]
    dim_of = np.zeros((len(places), levels), dtype=np.int64)
    value_of = np.full((len(places), levels), -2, dtype=np.int64)  # -2 never matches
    for i, p in enumerate(places):
        for j, r in enumerate(p.reserves):
            seats[i, j] = r.seats
            dim_of[i, j] = dim_index[r.attribute]
            value_of[i, j] = vocab[dim_index[r.attribute]].get(r.value, -2)
    member = np.zeros((levels, rows), dtype=np.bool_)
    for j in range(levels):
        member[j] = codes[dim_of[row_place, j], row_applicant] == value_of[row_place, j]
    return seats, member


def build_instance(
    places: Sequence[Place],
    columns: ApplicationColumns,
    *,
    seed: int,
    attributes: Attributes | None = None,
) -> Instance:
    """Check and encode an instance; raises `MatchInputError` (with row or index) if bad."""
    place_index = _check_places(places)
    capacity = np.zeros(len(places), dtype=np.int64)
    for i, p in enumerate(places):
        if p.capacity >= 2**62:
            raise PlaceError(i, f"capacity is too large: {p.capacity}")
        capacity[i] = p.capacity
    n = len(columns)
    applicant_ids = list(dict.fromkeys(columns.applicant_id))
    app_index = {a: k for k, a in enumerate(applicant_ids)}
    row_applicant = np.array(list(map(app_index.__getitem__, columns.applicant_id)), np.int64)
    if "" in app_index:
        raise RowError(columns.applicant_id.index(""), "empty applicant_id")
    codes = list(map(place_index.get, columns.place_id))
    if None in codes:
        bad = codes.index(None)
        raise RowError(bad, f"unknown place {columns.place_id[bad]!r}")
    row_place = np.array(codes, dtype=np.int64).reshape(n)
    row_preference = _int_array(columns.preference, "preference")
    if n and row_preference.min() < 1:
        bad = int(np.flatnonzero(row_preference < 1)[0])
        raise RowError(bad, f"preference must be 1 or more, got {row_preference[bad]}")
    row_score = np.asarray(columns.host_score, dtype=np.float64).reshape(n)
    if not np.isfinite(row_score).all():
        bad = int(np.flatnonzero(~np.isfinite(row_score))[0])
        raise RowError(bad, f"host_score must be a finite number, got {row_score[bad]}")
    by_preference = _sorted_by_pair(row_applicant, row_preference)
    dup = _first_duplicate(by_preference, row_applicant, row_preference)
    if dup is not None:
        raise RowError(
            dup,
            f"duplicate preference {row_preference[dup]} for applicant "
            f"{columns.applicant_id[dup]!r}",
        )
    dup = _first_duplicate(_sorted_by_pair(row_applicant, row_place), row_applicant, row_place)
    if dup is not None:
        raise RowError(
            dup,
            f"applicant {columns.applicant_id[dup]!r} applies to place "
            f"{columns.place_id[dup]!r} twice",
        )

    lottery = draw_lottery(applicant_ids, seed)
    position = {a: k for k, a in enumerate(lottery)}
    lottery_position = np.array(list(map(position.__getitem__, applicant_ids)), dtype=np.int64)
    priority = _priority(row_place, row_score, lottery_position[row_applicant])
    eligible = np.array(list(map(operator.not_, columns.ineligible_reason)), np.bool_).reshape(n)
    by_applicant = by_preference[eligible[by_preference]]
    starts = np.searchsorted(
        row_applicant[by_applicant], np.arange(len(applicant_ids) + 1, dtype=np.int64)
    ).astype(np.int64)
    seats, member = _reserve_arrays(places, applicant_ids, attributes, row_applicant, row_place)
    return Instance(
        applicant_ids=applicant_ids,
        place_ids=[p.place_id for p in places],
        places=places,
        capacity=capacity,
        row_applicant=row_applicant,
        row_place=row_place,
        row_preference=row_preference,
        row_score=row_score,
        row_ineligible=columns.ineligible_reason,
        eligible=eligible,
        priority=priority,
        lottery=lottery,
        lottery_position=lottery_position,
        by_preference=by_preference,
        by_applicant=by_applicant,
        starts=starts,
        reserve_seats=seats,
        member=member,
    )
