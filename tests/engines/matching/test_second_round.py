"""A second round offers the seats round 1 left to applicants round 1 left unmatched."""

from __future__ import annotations

import pytest

from edubridge.engines.matching import (
    Application,
    MatchInputError,
    Place,
    Reserve,
    match,
    residual_places,
    second_round,
)

PLACES = [Place("A", 1), Place("B", 2)]
ROUND1 = [
    Application("u", "A", 1, 9),
    Application("v", "A", 1, 5),
    Application("w", "B", 1, 3),
]


def test_unmatched_applicant_takes_a_seat_left_over() -> None:
    first = match(PLACES, ROUND1, seed=4)
    assert first.outcome("v").place_id is None
    final = second_round(first, PLACES, [Application("v", "B", 1, 1)])
    v = final.outcome("v")
    assert (v.place_id, v.choice, v.round) == ("B", 1, 2)
    assert v.reason.startswith("matched to choice 1 (B) in the second round; choice 1 (A): full")


def test_round_one_matches_are_kept() -> None:
    first = match(PLACES, ROUND1, seed=4)
    final = second_round(first, PLACES, [Application("v", "B", 1, 1)])
    assert final.outcome("u") == first.outcome("u")
    assert final.outcome("w").round == 1
    assert [(p.place_id, p.filled) for p in final.places] == [("A", 1), ("B", 2)]


def test_an_applicant_matched_in_round_one_cannot_apply_again() -> None:
    first = match(PLACES, ROUND1, seed=4)
    with pytest.raises(MatchInputError, match="already matched in round 1"):
        second_round(first, PLACES, [Application("u", "B", 1, 1)])


def test_residual_places_keep_unused_reserved_seats() -> None:
    places = [Place("A", 3, (Reserve("gender", "f", 2),))]
    apps = [Application("m1", "A", 1, 9)]
    first = match(places, apps, seed=0, attributes={"m1": {"gender": "m"}})
    assert residual_places(first, places) == [Place("A", 2, (Reserve("gender", "f", 2),))]
