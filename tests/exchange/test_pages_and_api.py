"""Exchange pages and API: coordinators run and follow programmes; applicants apply and read why."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
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


def test_a_coordinator_creates_a_programme_and_adds_places_from_csv() -> None:
    client = signed_in("exchange")
    response = client.post(
        "/exchange/new/",
        {
            "name": "Summer school 2028",
            "partner_countries": "CN, ID",
            "start_year": "2028",
            "end_year": "2028",
            "targets": "2028:50",
            "max_choices": "3",
        },
    )
    assert response.status_code == 302
    programme = Programme.objects.get(name="Summer school 2028")
    assert programme.target_total == 50
    csv_text = (
        "code,host,title,field,level,year,capacity,languages,quotas,criteria\n"
        "S1,Xinhe Normal University,AI summer school,education,bachelor,2028,20,zh:A2,first_generation=yes:5,grades:1\n"
    )
    upload = SimpleUploadedFile("places.csv", csv_text.encode(), content_type="text/csv")
    page = client.post(f"/exchange/{programme.pk}/places/", {"csv": upload})
    assert page.status_code == 200
    place = programme.places.get(code="S1")
    assert place.language_requirements == {"zh": "A2"}
    assert place.reserves == [{"attribute": "first_generation", "value": "yes", "seats": 5}]


def test_a_places_file_with_bad_rows_adds_nothing_and_lists_every_problem() -> None:
    programme = Programme.objects.get(name=OPEN_PROGRAMME)
    before = programme.places.count()
    csv_text = (
        "code,host,title,field,level,year,capacity\n"
        "N1,Xinhe Normal University,ok,education,teacher,2027,3\n"
        "N2,Nowhere College,bad host,education,teacher,2027,3\n"
        "N3,Xinhe Normal University,bad year,education,teacher,1999,3\n"
    )
    upload = SimpleUploadedFile("places.csv", csv_text.encode(), content_type="text/csv")
    page = signed_in("exchange").post(f"/exchange/{programme.pk}/places/", {"csv": upload})
    assert page.status_code == 400
    text = page.content.decode()
    assert "line 3" in text
    assert "Nowhere College" in text
    assert "line 4" in text
    assert programme.places.count() == before


def test_an_application_keeps_its_documents_and_refuses_other_file_types() -> None:
    programme = Programme.objects.get(name=OPEN_PROGRAMME)
    client = signed_in("learner")
    bad = SimpleUploadedFile("cv.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        f"/exchange/{programme.pk}/apply/", {"choice_1": "T01", "documents": [bad]}
    )
    assert response.status_code == 400
    assert "PDF, PNG or JPEG" in response.content.decode()
    good = SimpleUploadedFile("transcript.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    response = client.post(
        f"/exchange/{programme.pk}/apply/", {"choice_1": "T01", "documents": [good]}
    )
    assert response.status_code == 302
    application = programme.applications.get(applicant__username="learner")
    assert application.documents.count() == 1


def test_the_published_lottery_can_be_downloaded() -> None:
    programme = Programme.objects.get(name=MATCHED_PROGRAMME)
    response = signed_in("exchange").get(f"/exchange/{programme.pk}/lottery-round-1.csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == "position,applicant_id"
    assert len(lines) == 1 + programme.applications.count()
