"""On small instances without reserves we find the same matching as the `matching` library."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import given, settings

from edubridge.engines.matching import draw_lottery, match

from .support import Case, cases

games = pytest.importorskip("matching.games")


def peer_match(case: Case) -> dict[str, str | None]:
    lottery = {a: k for k, a in enumerate(draw_lottery(case.applicants, case.seed))}
    # The library fails on a place with no seats when an applicant's only choice is that
    # place (IndexError in get_favourite), so those are left out of its input: they can
    # match no one in either implementation.
    open_places = {p.place_id for p in case.places if p.capacity > 0}
    eligible = [
        a for a in case.applications if not a.ineligible_reason and a.place_id in open_places
    ]
    residents: dict[str, list[str]] = {}
    for a in sorted(eligible, key=lambda a: (a.applicant_id, a.preference)):
        residents.setdefault(a.applicant_id, []).append(a.place_id)
    hospitals = {
        p.place_id: [
            a.applicant_id
            for a in sorted(
                (a for a in eligible if a.place_id == p.place_id),
                key=lambda a: (-a.host_score, lottery[a.applicant_id]),
            )
        ]
        for p in case.places
        if p.place_id in open_places
    }
    capacities = {p.place_id: p.capacity for p in case.places if p.place_id in open_places}
    out: dict[str, str | None] = dict.fromkeys(case.applicants)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = games.HospitalResident.create_from_dictionaries(
            residents, hospitals, capacities, clean=True
        )
        for hospital, matched in game.solve(optimal="resident").items():
            for r in matched:
                out[r.name] = hospital.name
    return out


@settings(max_examples=100, deadline=None)
@given(cases(max_applicants=15, max_places=5, reserves=False, max_capacity=4))
def test_same_matching_as_the_matching_library(case: Case) -> None:
    ours = match(case.places, case.applications, seed=case.seed).assignment
    assert ours == peer_match(case)
