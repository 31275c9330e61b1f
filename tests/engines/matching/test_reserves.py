"""Soft reserves: a minimum guarantee for a group, never a cap, never an empty seat."""

from __future__ import annotations

from edubridge.engines.matching import Application, Place, Reserve, match

PLACE = [Place("P", 2, (Reserve("country", "KE", 1),))]
COUNTRY = {"x": {"country": "GH"}, "y": {"country": "GH"}, "z": {"country": "KE"}}


def run(
    scores: dict[str, float], attributes: dict[str, dict[str, str]] = COUNTRY
) -> dict[str, str | None]:
    apps = [Application(a, "P", 1, s) for a, s in scores.items()]
    return match(PLACE, apps, seed=0, attributes=attributes).assignment


def test_reserved_seat_goes_to_the_group_even_when_its_score_is_lower() -> None:
    assert run({"x": 90, "y": 80, "z": 10}) == {"x": "P", "y": None, "z": "P"}


def test_unclaimed_reserved_seat_goes_to_everyone_else() -> None:
    assert run({"x": 90, "y": 80}) == {"x": "P", "y": "P"}


def test_a_group_member_admitted_on_merit_counts_toward_the_reserve() -> None:
    # z would be admitted anyway, so the reserve does not add a second KE applicant
    attrs = {**COUNTRY, "w": {"country": "KE"}}
    assert run({"z": 95, "x": 90, "w": 50}, attrs) == {"z": "P", "x": "P", "w": None}


def test_rejected_group_member_is_told_about_the_reserve_cutoff() -> None:
    attrs = {**COUNTRY, "w": {"country": "KE"}}
    apps = [Application(a, "P", 1, s) for a, s in {"z": 95, "x": 90, "w": 50}.items()]
    w = match(PLACE, apps, seed=0, attributes=attrs).outcome("w")
    assert w.reason == (
        "unmatched; choice 1 (P): full of applicants the host ranked higher: cutoff score 90, "
        "your score 50; the 1 seat reserved for country=KE went to that group's higher-ranked "
        "applicants: cutoff score 95"
    )


def test_matched_reason_says_which_kind_of_seat() -> None:
    apps = [Application(a, "P", 1, s) for a, s in {"x": 90, "y": 80, "z": 10}.items()]
    result = match(PLACE, apps, seed=0, attributes=COUNTRY)
    assert result.outcome("z").reasons[-1].text == "matched on a seat reserved for country=KE"
    assert result.outcome("x").reasons[-1].text == "matched on an open seat"
    assert result.places[0].reserve_filled == (("country=KE", 1, 1),)
