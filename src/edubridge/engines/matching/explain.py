"""Per-applicant explanations read off the final, stable matching.

In a stable matching every place an applicant preferred to their own either rejects them
given the applicants it holds, or was closed to them (ineligible, no seats). So each
"why not" is computed from the final state, not from the history of the run, and can be
checked by anyone from the published scores, lottery and cutoffs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import ApplicantOutcome, ChoiceReason, ChoiceStatus, PlaceOutcome
from .deferred_acceptance import OPEN, REJECTED, Assignment, choose
from .instance import BoolArray, Instance, IntArray

FULL = ChoiceStatus.FULL
MATCHED = ChoiceStatus.MATCHED


def format_score(x: float) -> str:
    """A score as people write it: 81.5, 80 (never 80.0 or 8.1e+01)."""
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(float(x))


@dataclass(frozen=True)
class PlaceState:
    """Per place (and per reserve level) who holds the last seat of each kind."""

    filled: IntArray
    open_seats: IntArray  # capacity minus seats taken by reserves
    open_filled: IntArray
    open_cutoff: IntArray  # row of the lowest-ranked open-seat admit, -1 if none
    reserve_filled: IntArray  # (places, levels)
    reserve_cutoff: IntArray  # (places, levels) row, -1 if none
    seat_of_row: dict[int, int]


def _last_per_place(n_places: int, places: IntArray, rows: IntArray, mask: BoolArray) -> IntArray:
    """Per place, the lowest-ranked row among `rows[mask]` (rows sorted by place, rank)."""
    out = np.full(n_places, -1, dtype=np.int64)
    idx = np.flatnonzero(mask)
    if idx.size:
        p = places[idx]
        last = np.append(p[1:] != p[:-1], True)
        out[p[last]] = rows[idx[last]]
    return out


def place_state(inst: Instance, assignment: Assignment) -> PlaceState:
    """Re-apply each place's choice rule to what it holds, recording who took which seat."""
    held = assignment.row_of_applicant[assignment.row_of_applicant >= 0]
    rows, seat = choose(inst, held)
    if (seat == REJECTED).any():
        raise RuntimeError("internal error: a place rejects an applicant it holds")
    n_places = inst.capacity.size
    places = inst.row_place[rows]
    filled = np.bincount(places, minlength=n_places).astype(np.int64)
    is_open = seat == OPEN
    open_filled = np.bincount(places[is_open], minlength=n_places).astype(np.int64)
    open_cutoff = _last_per_place(n_places, places, rows, is_open)
    levels = inst.levels
    reserve_filled = np.zeros((n_places, levels), dtype=np.int64)
    reserve_cutoff = np.full((n_places, levels), -1, dtype=np.int64)
    for j in range(levels):
        on_j = seat == j
        reserve_filled[:, j] = np.bincount(places[on_j], minlength=n_places)
        reserve_cutoff[:, j] = _last_per_place(n_places, places, rows, on_j)
    return PlaceState(
        filled=filled,
        open_seats=inst.capacity - reserve_filled.sum(axis=1),
        open_filled=open_filled,
        open_cutoff=open_cutoff,
        reserve_filled=reserve_filled,
        reserve_cutoff=reserve_cutoff,
        seat_of_row=dict(zip(rows.tolist(), seat.tolist(), strict=True)),
    )


def place_outcomes(inst: Instance, state: PlaceState) -> tuple[PlaceOutcome, ...]:
    out = []
    for p, place in enumerate(inst.places):
        c = int(state.open_cutoff[p])
        full = state.open_seats[p] > 0 and state.open_filled[p] == state.open_seats[p]
        out.append(
            PlaceOutcome(
                place_id=place.place_id,
                capacity=int(inst.capacity[p]),
                filled=int(state.filled[p]),
                open_cutoff_score=float(inst.row_score[c]) if full else None,
                reserve_filled=tuple(
                    (r.label, r.seats, int(state.reserve_filled[p, j]))
                    for j, r in enumerate(place.reserves)
                ),
            )
        )
    return tuple(out)


class _Explainer:
    """Builds the reason for one (applicant, choice) pair; per-place text is built once."""

    def __init__(self, inst: Instance, state: PlaceState, round_: int) -> None:
        self.inst = inst
        self.state = state
        self.round = round_
        self.score = inst.row_score.tolist()
        self.priority = inst.priority.tolist()
        self.place = inst.row_place.tolist()
        self.applicant = inst.row_applicant.tolist()
        self.pref = inst.row_preference.tolist()
        self.lottery = inst.lottery_position.tolist()
        self.capacity = inst.capacity.tolist()
        self.reserved = [bool(p.reserves) for p in inst.places]
        self._formatted: dict[float, str] = {}
        open_seats = state.open_seats.tolist()
        open_filled = state.open_filled.tolist()
        self.cutoff = state.open_cutoff.tolist()
        # For each place: the open-seat "full" sentence without the applicant's own score,
        # or None when the place has no open seat at all.
        self.full_text: list[str | None] = []
        for p, c in enumerate(self.cutoff):
            if open_seats[p] == 0:
                self.full_text.append(None)
            elif open_filled[p] < open_seats[p]:
                self.full_text.append("")  # not full: must never reject anyone
            else:
                self.full_text.append(
                    "full of applicants the host ranked higher: cutoff score "
                    f"{self.fmt(self.score[c])}, your score "
                )

    def fmt(self, x: float) -> str:
        s = self._formatted.get(x)
        if s is None:
            s = self._formatted[x] = format_score(x)
        return s

    def matched(self, r: int) -> ChoiceReason:
        p = self.place[r]
        seat = self.state.seat_of_row[r]
        text = (
            "matched on an open seat"
            if seat == OPEN
            else f"matched on a seat reserved for {self.inst.places[p].reserves[seat].label}"
        )
        return ChoiceReason(self.round, self.pref[r], self.inst.place_ids[p], MATCHED, text)

    def rejected(self, r: int) -> ChoiceReason:
        inst, p = self.inst, self.place[r]
        place_id = inst.place_ids[p]
        if inst.row_ineligible[r]:
            return ChoiceReason(
                self.round,
                self.pref[r],
                place_id,
                ChoiceStatus.INELIGIBLE,
                f"not eligible: {inst.row_ineligible[r]}",
            )
        if self.capacity[p] == 0:
            return ChoiceReason(
                self.round, self.pref[r], place_id, ChoiceStatus.NO_SEATS, "no seats offered"
            )
        full = self.full_text[p]
        cutoff_score: float | None = None
        if full is None:
            labels = ", ".join(x.label for x in inst.places[p].reserves)
            text = f"full: all {self.capacity[p]} seats are reserved ({labels})"
        else:
            c = self.cutoff[p]
            if not full or self.priority[c] > self.priority[r]:
                raise RuntimeError(f"internal error: unstable at {place_id!r}")
            cutoff_score = self.score[c]
            text = full + self.fmt(self.score[r])
            if self.score[r] == cutoff_score:
                text += (
                    f" (tie broken by the lottery: you drew {self.lottery[self.applicant[r]] + 1},"
                    f" the last admitted drew {self.lottery[self.applicant[c]] + 1})"
                )
        if self.reserved[p]:
            parts = [text]
            for j, res in enumerate(inst.places[p].reserves):
                if res.seats and inst.member[j, r]:
                    c = int(self.state.reserve_cutoff[p, j])
                    seats = f"{res.seats} seat{'' if res.seats == 1 else 's'}"
                    parts.append(
                        f"the {seats} reserved for {res.label} went to that group's "
                        f"higher-ranked applicants: cutoff score {self.fmt(self.score[c])}"
                    )
            text = "; ".join(parts)
        return ChoiceReason(
            self.round, self.pref[r], place_id, ChoiceStatus.FULL, text, cutoff_score
        )


def applicant_outcomes(
    inst: Instance, assignment: Assignment, state: PlaceState, round_: int = 1
) -> tuple[ApplicantOutcome, ...]:
    """One outcome per applicant, in the order applicants first appear in the input.

    The common reason (eligible, place full, no reserve, no tie at the cutoff) is built
    for all rows at once; the rest go through `_Explainer.rejected` one by one.
    """
    ex = _Explainer(inst, state, round_)
    held = assignment.row_of_applicant
    order = inst.by_preference
    applicant = inst.row_applicant[order]
    matched_pref = np.where(
        held >= 0, inst.row_preference[np.maximum(held, 0)], np.iinfo(np.int64).max
    )
    keep = inst.row_preference[order] <= matched_pref[applicant]
    rows = order[keep]
    applicant = applicant[keep]
    starts = np.searchsorted(applicant, np.arange(len(inst.applicant_ids) + 1)).tolist()
    place = inst.row_place[rows]
    is_matched = held[applicant] == rows
    cutoff = state.open_cutoff[place]
    simple = (
        ~is_matched
        & inst.eligible[rows]
        & (inst.capacity[place] > 0)
        & (inst.reserve_seats.sum(axis=1)[place] == 0)
        & (state.open_filled[place] == state.open_seats[place])
        & (cutoff >= 0)
    )
    if (inst.priority[rows[simple]] < inst.priority[cutoff[simple]]).any():
        raise RuntimeError("internal error: a place rejects someone it ranks above its cutoff")
    simple &= inst.row_score[rows] != inst.row_score[np.maximum(cutoff, 0)]
    unique, inverse = np.unique(inst.row_score[rows], return_inverse=True)
    formatted = [ex.fmt(x) for x in unique.tolist()]
    full_text = ex.full_text
    place_ids = inst.place_ids
    rows_l, place_l, simple_l = rows.tolist(), place.tolist(), simple.tolist()
    pref_l = inst.row_preference[rows].tolist()
    cutoff_score = inst.row_score[np.maximum(cutoff, 0)].tolist()
    reasons: list[ChoiceReason] = [
        ChoiceReason(round_, k, place_ids[p], FULL, f"{full_text[p]}{formatted[u]}", c)
        if ok
        else (ex.matched(r) if m else ex.rejected(r))
        for r, p, k, u, c, ok, m in zip(
            rows_l,
            place_l,
            pref_l,
            inverse.reshape(-1).tolist(),
            cutoff_score,
            simple_l,
            is_matched.tolist(),
            strict=True,
        )
    ]
    held_l = held.tolist()
    out = []
    for i, applicant_id in enumerate(inst.applicant_ids):
        m = held_l[i]
        out.append(
            ApplicantOutcome(
                applicant_id=applicant_id,
                place_id=place_ids[ex.place[m]] if m >= 0 else None,
                choice=ex.pref[m] if m >= 0 else None,
                round=round_ if m >= 0 else None,
                lottery_position=ex.lottery[i],
                reasons=tuple(reasons[starts[i] : starts[i + 1]]),
            )
        )
    return tuple(out)
