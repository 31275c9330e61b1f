"""Every applicant is told where they matched and why not each higher choice."""

from __future__ import annotations

from hypothesis import given, settings

from edubridge.engines.matching import Application, ChoiceStatus, Place, draw_lottery, match

from .support import Case, cases

PLACES = [Place("P1", 1), Place("P2", 1), Place("P3", 2), Place("P4", 0)]
APPLICATIONS = [
    Application("ana", "P1", 1, 90),
    Application("ana", "P2", 2, 50),
    Application("ben", "P1", 1, 80),
    Application("ben", "P2", 2, 70),
    Application("cai", "P2", 1, 60),
    Application("cai", "P1", 2, 99, ineligible_reason="language level B1, B2 required"),
    Application("cai", "P3", 3, 40),
    Application("dee", "P4", 1, 10),
    Application("dee", "P1", 2, 10),
]


def test_first_choice_match_has_nothing_above_it() -> None:
    ana = match(PLACES, APPLICATIONS, seed=1).outcome("ana")
    assert (ana.place_id, ana.choice) == ("P1", 1)
    assert ana.reason == "matched to choice 1 (P1)"


def test_full_higher_choice_names_the_cutoff_score() -> None:
    ben = match(PLACES, APPLICATIONS, seed=1).outcome("ben")
    assert ben.reason == (
        "matched to choice 2 (P2); choice 1 (P1): full of applicants the host ranked higher: "
        "cutoff score 90, your score 80"
    )
    assert ben.reasons[0].cutoff_score == 90


def test_ineligible_higher_choice_quotes_the_eligibility_reason() -> None:
    cai = match(PLACES, APPLICATIONS, seed=1).outcome("cai")
    assert cai.choice == 3
    assert [r.status for r in cai.reasons] == [
        ChoiceStatus.FULL,
        ChoiceStatus.INELIGIBLE,
        ChoiceStatus.MATCHED,
    ]
    assert "choice 2 (P1): not eligible: language level B1, B2 required" in cai.reason


def test_unmatched_applicant_gets_a_reason_for_every_choice() -> None:
    dee = match(PLACES, APPLICATIONS, seed=1).outcome("dee")
    assert dee.place_id is None
    assert dee.reason == (
        "unmatched; choice 1 (P4): no seats offered; choice 2 (P1): full of applicants the "
        "host ranked higher: cutoff score 90, your score 10"
    )


def test_a_tie_at_the_cutoff_is_explained_by_the_lottery() -> None:
    places = [Place("P", 1)]
    apps = [Application("x", "P", 1, 5), Application("y", "P", 1, 5)]
    winner, loser = draw_lottery(["x", "y"], 3)
    result = match(places, apps, seed=3)
    assert result.outcome(winner).place_id == "P"
    assert result.outcome(loser).reason.endswith(
        "cutoff score 5, your score 5 (tie broken by the lottery: you drew 2, the last "
        "admitted drew 1)"
    )


def test_place_outcomes_report_fill_and_cutoff() -> None:
    result = match(PLACES, APPLICATIONS, seed=1)
    p1, _, p3, p4 = result.places
    assert (p1.filled, p1.open_cutoff_score) == (1, 90)
    assert (p3.filled, p3.remaining, p3.open_cutoff_score) == (1, 1, None)
    assert (p4.capacity, p4.filled) == (0, 0)


@settings(max_examples=150, deadline=None)
@given(cases(max_applicants=10, max_places=4))
def test_reasons_cover_exactly_the_higher_choices_and_cutoffs_are_above_the_applicant(
    case: Case,
) -> None:
    result = match(case.places, case.applications, seed=case.seed, attributes=case.attributes)
    score = {(a.applicant_id, a.place_id): a.host_score for a in case.applications}
    for outcome in result.applicants:
        own = sorted(
            (a for a in case.applications if a.applicant_id == outcome.applicant_id),
            key=lambda a: a.preference,
        )
        expected = [
            a.preference for a in own if outcome.choice is None or a.preference <= outcome.choice
        ]
        assert [r.choice for r in outcome.reasons] == expected
        for r in outcome.reasons:
            if r.status is ChoiceStatus.FULL and r.cutoff_score is not None:
                assert r.cutoff_score >= score[outcome.applicant_id, r.place_id]
            if r.status is ChoiceStatus.MATCHED:
                assert r.place_id == outcome.place_id
