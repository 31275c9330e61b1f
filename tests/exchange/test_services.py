"""Exchange rules: eligibility, applications, host scores, the match, progress."""

from __future__ import annotations

import pytest

from edubridge.exchange import selectors, services
from edubridge.exchange.eligibility import ineligibility
from edubridge.exchange.models import Participation, ParticipationStatus

from .factories import applicant, org, programme

pytestmark = pytest.mark.usefixtures("demo_network")


def test_an_applicant_from_a_non_partner_country_is_not_eligible() -> None:
    reason = ineligibility(
        sending_country="FR",
        host_country="ID",
        partner_countries=["CN", "ID"],
        language_levels={},
        language_requirements={},
    )
    assert reason == "FR is not a partner country of this programme"


def test_an_exchange_must_cross_a_border() -> None:
    reason = ineligibility(
        sending_country="ID",
        host_country="ID",
        partner_countries=["ID", "CN"],
        language_levels={},
        language_requirements={},
    )
    assert "own country" in reason


def test_a_language_level_below_the_requirement_is_named() -> None:
    reason = ineligibility(
        sending_country="ID",
        host_country="CN",
        partner_countries=[],
        language_levels={"zh": "A2"},
        language_requirements={"zh": "B1"},
    )
    assert reason == "needs zh at B1 or above (has A2)"


def test_an_application_records_eligibility_per_choice() -> None:
    p = programme()
    services.place_add(
        programme=p,
        code="CN1",
        host=org("CN"),
        title="t",
        field="math",
        level="bachelor",
        year=2026,
        capacity=1,
        language_requirements={"zh": "B2"},
    )
    services.place_add(
        programme=p,
        code="US1",
        host=org("US"),
        title="t",
        field="math",
        level="bachelor",
        year=2026,
        capacity=1,
    )
    application = services.application_submit(
        programme=p,
        applicant=applicant("a1", "ID"),
        sending_country="ID",
        place_codes=["CN1", "US1"],
        language_levels={"zh": "b1"},
    )
    reasons = dict(application.choices.values_list("place__code", "ineligible_reason"))
    assert reasons == {"CN1": "needs zh at B2 or above (has B1)", "US1": ""}


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        (["X1", "X1"], "only once"),
        (["X1", "X2", "X3", "X4"], "at most 3"),
        (["NOPE"], "Unknown places"),
        ([], "at least one"),
    ],
)
def test_bad_applications_are_refused_with_a_reason_and_store_nothing(
    codes: list[str], message: str
) -> None:
    p = programme()
    for k in range(1, 5):
        services.place_add(
            programme=p,
            code=f"X{k}",
            host=org("CN"),
            title="t",
            field="f",
            level="l",
            year=2026,
            capacity=1,
        )
    with pytest.raises(services.ExchangeError, match=message):
        services.application_submit(
            programme=p, applicant=applicant("a2", "ID"), sending_country="ID", place_codes=codes
        )
    assert not p.applications.exists()


def test_weighted_criteria_make_the_host_score() -> None:
    assert (
        services.weighted_score({"grades": 0.6, "motivation": 0.4}, {"grades": 9, "motivation": 5})
        == 7.4
    )
    with pytest.raises(services.ExchangeError, match="motivation"):
        services.weighted_score({"grades": 0.6, "motivation": 0.4}, {"grades": 9})


def _scenario() -> tuple[object, dict[str, object]]:
    """Two seats at CN1 and one at ET1; three applicants who all want CN1 first."""
    p = programme()
    services.place_add(
        programme=p,
        code="CN1",
        host=org("CN"),
        title="t",
        field="math",
        level="b",
        year=2026,
        capacity=1,
    )
    services.place_add(
        programme=p,
        code="ET1",
        host=org("ET"),
        title="t",
        field="education",
        level="b",
        year=2026,
        capacity=1,
    )
    people = {}
    for name, score_cn, score_et in (("low", 3, 9), ("high", 9, 1), ("mid", 6, 5)):
        a = services.application_submit(
            programme=p,
            applicant=applicant(name, "ID"),
            sending_country="ID",
            place_codes=["CN1", "ET1"],
        )
        for choice in a.choices.select_related("place"):
            services.choice_score(
                choice=choice,
                by=None,
                host_score=score_cn if choice.place.code == "CN1" else score_et,
            )
        people[name] = a
    return p, people


def test_the_match_is_stable_and_explains_why_not_a_higher_choice() -> None:
    p, people = _scenario()
    summary = services.match_run(programme=p, by=None, round=1)
    assert (summary.run.matched, summary.run.unmatched) == (2, 1)
    placed = dict(
        Participation.objects.filter(application__programme=p).values_list(
            "application__applicant__username", "place__code"
        )
    )
    # CN1 takes its best applicant; ET1 prefers "low" (9) to "mid" (5): no pair would rather swap.
    assert placed == {"high": "CN1", "low": "ET1"}
    low = people["low"].outcomes.get()  # type: ignore[attr-defined]
    assert low.explanation.startswith("matched to choice 2 (ET1)")
    assert "choice 1 (CN1)" in low.explanation
    mid = people["mid"].outcomes.get()  # type: ignore[attr-defined]
    assert mid.place is None
    assert [r["status"] for r in mid.reasons] == ["full", "full"]


def test_round_two_fills_seats_left_empty() -> None:
    p, _ = _scenario()
    services.place_add(
        programme=p,
        code="US9",
        host=org("US"),
        title="t",
        field="f",
        level="b",
        year=2027,
        capacity=2,
    )
    services.match_run(programme=p, by=None, round=1)
    mid = p.applications.get(applicant__username="mid")
    mid.choices.create(place=p.places.get(code="US9"), preference=3, host_score=1.0)
    summary = services.match_run(programme=p, by=None, round=2)
    assert summary.run.matched == 1
    mid = p.applications.get(applicant__username="mid")
    assert Participation.objects.get(application=mid).round == 2


def test_a_round_cannot_be_run_twice() -> None:
    p, _ = _scenario()
    services.match_run(programme=p, by=None, round=1)
    with pytest.raises(services.ExchangeError, match="already been run"):
        services.match_run(programme=p, by=None, round=1)


def test_participants_advance_one_stage_at_a_time_and_progress_counts_cumulatively() -> None:
    p, _ = _scenario()
    services.match_run(programme=p, by=None, round=1)
    first = Participation.objects.filter(application__programme=p).order_by("pk").first()
    assert first is not None
    with pytest.raises(services.ExchangeError, match="cannot go from"):
        services.participation_advance(
            participation=first, status=ParticipationStatus.ARRIVED, by=None
        )
    for status in (
        ParticipationStatus.ACCEPTED,
        ParticipationStatus.VISA,
        ParticipationStatus.ARRIVED,
    ):
        services.participation_advance(participation=first, status=status, by=None)
    year_2026 = selectors.programme_progress(p)["year"][0]
    assert year_2026.key == "2026"
    assert year_2026.target == 3
    assert year_2026.reached == {"admitted": 2, "accepted": 1, "visa": 1, "arrived": 1}


def test_the_match_file_follows_the_command_line_contract() -> None:
    p, _ = _scenario()
    services.match_run(programme=p, by=None, round=1)
    lines = selectors.match_csv(p, 1).splitlines()
    assert lines[0] == "applicant_id,place_id,choice,reason"
    assert len(lines) == 4
