"""The engine's entry points: `match` (round 1) and `second_round` (unfilled places).

These are what the Django exchange app calls: plain data in, `MatchResult` out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .data import (
    ApplicantOutcome,
    Application,
    ApplicationColumns,
    Attributes,
    MatchResult,
    Place,
    PlaceOutcome,
    Reserve,
)
from .deferred_acceptance import deferred_acceptance
from .explain import applicant_outcomes, place_outcomes, place_state
from .gcpause import paused_gc
from .instance import RowError, build_instance
from .lottery import draw_lottery


def _columns(applications: Sequence[Application] | ApplicationColumns) -> ApplicationColumns:
    if isinstance(applications, ApplicationColumns):
        return applications
    return ApplicationColumns.from_applications(list(applications))


def match(
    places: Sequence[Place],
    applications: Sequence[Application] | ApplicationColumns,
    *,
    seed: int,
    attributes: Attributes | None = None,
) -> MatchResult:
    """Match applicants to places by applicant-proposing deferred acceptance.

    The result is the applicant-optimal stable matching for host scores (ties broken by
    the lottery drawn from `seed`) and the places' reserve-then-open choice rule.
    `attributes` gives the applicant attributes that reserves refer to. Raises
    `MatchInputError` on bad input.
    """
    with paused_gc():
        inst = build_instance(places, _columns(applications), seed=seed, attributes=attributes)
        assignment = deferred_acceptance(inst)
        state = place_state(inst, assignment)
        return MatchResult(
            seed=seed,
            lottery=inst.lottery,
            applicants=applicant_outcomes(inst, assignment, state),
            places=place_outcomes(inst, state),
        )


def residual_places(first: MatchResult, places: Sequence[Place]) -> list[Place]:
    """Places with the seats round 1 left: capacity minus admits, reserves minus their use.

    Unused reserved seats stay reserved, trimmed in listed order to the seats left.
    """
    used = {p.place_id: p for p in first.places}
    out = []
    for place in places:
        done = used.get(place.place_id)
        left = place.capacity - (done.filled if done else 0)
        filled = {label: n for label, _, n in done.reserve_filled} if done else {}
        reserves = []
        budget = left
        for r in place.reserves:
            seats = min(max(r.seats - filled.get(r.label, 0), 0), budget)
            budget -= seats
            reserves.append(Reserve(r.attribute, r.value, seats))
        out.append(Place(place.place_id, left, tuple(reserves)))
    return out


def _merge_places(a: PlaceOutcome, b: PlaceOutcome | None, capacity: int) -> PlaceOutcome:
    if b is None:
        return a
    return PlaceOutcome(
        place_id=a.place_id,
        capacity=capacity,
        filled=a.filled + b.filled,
        open_cutoff_score=b.open_cutoff_score if b.capacity else a.open_cutoff_score,
        reserve_filled=tuple(
            (label, seats, n + m)
            for (label, seats, n), (_, _, m) in zip(a.reserve_filled, b.reserve_filled, strict=True)
        ),
    )


def second_round(
    first: MatchResult,
    places: Sequence[Place],
    applications: Sequence[Application] | ApplicationColumns,
    *,
    attributes: Attributes | None = None,
) -> MatchResult:
    """Match applicants left unmatched by `first` to the seats it left, with new choices.

    Round-1 matches are final. The same seed gives the same lottery (positions depend
    only on seed and id), so ties are broken as in round 1. Applications from applicants
    matched in round 1 are an input error.
    """
    columns = _columns(applications)
    for row, applicant_id in enumerate(columns.applicant_id):
        known = first.get(applicant_id)
        if known is not None and known.matched:
            raise RowError(row, f"applicant {applicant_id!r} was already matched in round 1")
    residual = residual_places(first, places)
    second = match(residual, columns, seed=first.seed, attributes=attributes)
    capacity = {p.place_id: p.capacity for p in places}
    by_place = {p.place_id: p for p in second.places}
    merged_places = tuple(
        _merge_places(p, by_place.get(p.place_id), capacity[p.place_id]) for p in first.places
    )
    outcomes: list[ApplicantOutcome] = []
    seen = set()
    for a in first.applicants:
        seen.add(a.applicant_id)
        b = second.get(a.applicant_id)
        outcomes.append(a if b is None else _merge_applicant(a, b))
    outcomes.extend(
        _merge_applicant(None, b) for b in second.applicants if b.applicant_id not in seen
    )
    lottery = draw_lottery([a.applicant_id for a in outcomes], first.seed)
    position = {a: k for k, a in enumerate(lottery)}
    return MatchResult(
        seed=first.seed,
        lottery=lottery,
        applicants=tuple(replace(a, lottery_position=position[a.applicant_id]) for a in outcomes),
        places=merged_places,
        rounds=2,
    )


def _merge_applicant(a: ApplicantOutcome | None, b: ApplicantOutcome) -> ApplicantOutcome:
    second = tuple(r._replace(round=2) for r in b.reasons)
    return ApplicantOutcome(
        applicant_id=b.applicant_id,
        place_id=b.place_id,
        choice=b.choice,
        round=2 if b.place_id is not None else None,
        lottery_position=b.lottery_position,
        reasons=(a.reasons if a else ()) + second,
    )
