"""Exchange pages and API: coordinators run and follow programmes; applicants apply and read why."""

from __future__ import annotations

import pytest
from django.test import Client

from edubridge.accounts.models import User
from edubridge.exchange.demo import MATCHED_PROGRAMME, OPEN_PROGRAMME
from edubridge.exchange.models import Programme

pytestmark = pytest.mark.usefixtures("demo_network")


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_demo_programme_has_been_matched_with_explanations() -> None:
    programme = Programme.objects.get(name=MATCHED_PROGRAMME)
    assert programme.match_runs.count() == 2
    assert programme.applications.count() == 240
    assert all(o.explanation for o in programme.applications.first().outcomes.all())


def test_the_coordinator_sees_progress_against_targets_as_a_chart() -> None:
    programme = Programme.objects.get(name=MATCHED_PROGRAMME)
    page = signed_in("exchange").get(f"/exchange/{programme.pk}/").content.decode()
    assert "<svg" in page
    assert "Participants per year against the target" in page
    assert "Run the match" in page


def test_learners_see_a_programme_but_not_its_coordination() -> None:
    programme = Programme.objects.get(name=MATCHED_PROGRAMME)
    client = signed_in("learner")
    assert "Run the match" not in client.get(f"/exchange/{programme.pk}/").content.decode()
    assert client.get(f"/exchange/{programme.pk}/scores/").status_code == 403
    assert client.get(f"/exchange/{programme.pk}/progress.csv").status_code == 403


def test_a_learner_applies_through_the_form_and_reads_the_eligibility_of_each_choice() -> None:
    programme = Programme.objects.get(name=OPEN_PROGRAMME)
    client = signed_in("learner")  # from IN, no English level given
    response = client.post(
        f"/exchange/{programme.pk}/apply/", {"choice_1": "T01", "choice_2": "T06", "level_en": "B2"}
    )
    assert response.status_code == 302
    page = client.get(f"/exchange/{programme.pk}/my-application/").content.decode()
    assert "own country" in page  # T06 is hosted in India, the learner's country


def test_an_invalid_application_shows_the_reason_and_keeps_nothing() -> None:
    programme = Programme.objects.get(name=OPEN_PROGRAMME)
    response = signed_in("learner").post(
        f"/exchange/{programme.pk}/apply/", {"choice_1": "T01", "choice_2": "T01"}
    )
    assert response.status_code == 400
    assert "only once" in response.content.decode()
    assert not programme.applications.exists()


def test_progress_exports_as_csv() -> None:
    programme = Programme.objects.get(name=MATCHED_PROGRAMME)
    response = signed_in("exchange").get(f"/exchange/{programme.pk}/progress.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert (
        response.content.decode().splitlines()[0]
        == "group,key,target,admitted,accepted,visa,arrived,completed,declined"
    )


def test_the_api_runs_a_match_for_coordinators_only() -> None:
    programme = Programme.objects.get(name=OPEN_PROGRAMME)
    apply = signed_in("learner").post(
        f"/api/exchange/programmes/{programme.pk}/applications",
        {"sending_country": "IN", "choices": ["T02"], "language_levels": {"en": "B2"}},
        content_type="application/json",
    )
    assert apply.status_code == 201
    assert apply.json()["choices"][0]["eligible"] is True
    assert (
        signed_in("learner")
        .post(f"/api/exchange/programmes/{programme.pk}/match", {}, content_type="application/json")
        .status_code
        == 403
    )
    run = signed_in("exchange").post(
        f"/api/exchange/programmes/{programme.pk}/match",
        {"seed": 11},
        content_type="application/json",
    )
    assert run.status_code == 200
    assert run.json()["matched"] == 1
    mine = (
        signed_in("learner")
        .get(f"/api/exchange/programmes/{programme.pk}/applications/mine")
        .json()
    )
    assert mine["outcome"].startswith("matched to choice 1")
