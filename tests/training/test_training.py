"""Teacher training through services and HTTP: framework, cohorts, CSV enrolment, assessment,
completion with a signed credential, revocation, public verification and the cascade."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from edubridge.accounts.models import Organization, User
from edubridge.core.models import AuditEvent
from edubridge.training import services
from edubridge.training.demo import COMPETENCIES
from edubridge.training.models import (
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Framework,
    IssuedCredential,
    SessionMode,
)
from edubridge.training.selectors import cascade_generations, credential_verify, enrolment_progress

pytestmark = pytest.mark.usefixtures("demo_network")


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def coordinator() -> User:
    return User.objects.get(username="trainer")


def centre() -> Organization:
    return Organization.objects.get(name="Abay Regional Teacher Training Centre")


def teacher(name: str) -> User:
    return User.objects.create(username=name, first_name=name.title(), organization=centre())


def make_cohort(trains_trainers: bool = True) -> Cohort:
    programme = services.programme_create(
        by=coordinator(),
        name="Test programme",
        framework=services.framework_load_aicft(),
        competency_codes=COMPETENCIES[:2],
        target_level=1,
        language="en",
        hours=12,
        trains_trainers=trains_trainers,
    )
    return services.cohort_open(
        by=coordinator(),
        programme=programme,
        centre=centre(),
        name="Test cohort",
        starts_on=date(2026, 9, 1),
    )


def finish(cohort: Cohort, person: User) -> IssuedCredential:
    enrolment = Enrolment.objects.filter(cohort=cohort, teacher=person).first() or services.enrol(
        by=coordinator(), cohort=cohort, teacher=person
    )
    session = services.session_schedule(
        by=coordinator(),
        cohort=cohort,
        title="Day one",
        local_start=datetime(2026, 9, 2, 9, 0),
        time_zone="Africa/Addis_Ababa",
        minutes=90,
        mode=SessionMode.IN_PERSON,
    )
    services.attendance_record(by=coordinator(), session=session, present=[enrolment.pk])
    for competency in cohort.programme.target_competencies.all():
        services.evidence_assess(
            by=cohort.lead,
            enrolment=enrolment,
            competency=competency,
            title="Lesson plan",
            scores={c["name"]: 3 for c in cohort.programme.rubric},
        )
    return services.enrolment_complete(by=cohort.lead, enrolment=enrolment)


def test_the_framework_has_five_dimensions_by_three_levels() -> None:
    framework = services.framework_load_aicft()
    services.framework_load_aicft()  # idempotent
    assert Framework.objects.filter(code=framework.code).count() == 1
    assert framework.competencies.count() == 15
    assert set(framework.competencies.values_list("dimension_number", flat=True)) == {1, 2, 3, 4, 5}
    assert set(framework.competencies.values_list("level", flat=True)) == {1, 2, 3}


def test_cohorts_open_only_at_training_centres() -> None:
    programme = make_cohort().programme
    school = Organization.objects.get(name="Riverbend Unified School Network")
    with pytest.raises(services.TrainingError, match="training centre"):
        services.cohort_open(
            by=coordinator(),
            programme=programme,
            centre=school,
            name="x",
            starts_on=date(2026, 1, 1),
        )


def test_csv_enrolment_reports_every_rejected_row_and_waits_for_confirmation() -> None:
    cohort = make_cohort()
    teacher("alpha")
    teacher("beta")
    text = "username\nalpha\nnobody\n  \nalpha\nbeta\ntrainer\n\n"
    batch = services.enrolment_import_check(by=coordinator(), cohort=cohort, text=text)
    assert [r["username"] for r in batch.accepted] == ["alpha", "beta"]
    assert [(r["line"], r["reason"]) for r in batch.rejected] == [
        (3, "no account with this username or email on this node"),
        (4, "empty row"),
        (5, "listed twice in this file"),
        (7, "leads this cohort"),
    ]
    assert cohort.enrolments.count() == 0
    assert services.enrolment_import_confirm(by=coordinator(), batch=batch) == 2
    assert cohort.enrolments.count() == 2
    with pytest.raises(services.TrainingError, match="already"):
        services.enrolment_import_confirm(by=coordinator(), batch=batch)


def test_a_csv_without_a_username_column_is_refused_and_stores_nothing() -> None:
    cohort = make_cohort()
    with pytest.raises(services.TrainingError, match="header"):
        services.enrolment_import_check(by=coordinator(), cohort=cohort, text="name\nx\n")
    assert cohort.imports.count() == 0


def test_completion_needs_attendance_and_passed_evidence() -> None:
    cohort = make_cohort()
    enrolment = services.enrol(by=coordinator(), cohort=cohort, teacher=teacher("gamma"))
    with pytest.raises(services.TrainingError, match="Not complete yet"):
        services.enrolment_complete(by=coordinator(), enrolment=enrolment)
    assert not IssuedCredential.objects.filter(enrolment=enrolment).exists()


def test_a_low_rubric_score_does_not_pass() -> None:
    cohort = make_cohort()
    enrolment = services.enrol(by=coordinator(), cohort=cohort, teacher=teacher("delta"))
    competency = cohort.programme.target_competencies.first()
    evidence = services.evidence_assess(
        by=coordinator(),
        enrolment=enrolment,
        competency=competency,
        title="Plan",
        scores={c["name"]: 1 for c in cohort.programme.rubric},
    )
    assert not evidence.passed
    assert not enrolment_progress(enrolment).competencies[0].passed


def test_a_rubric_score_out_of_range_is_refused() -> None:
    cohort = make_cohort()
    enrolment = services.enrol(by=coordinator(), cohort=cohort, teacher=teacher("eps"))
    with pytest.raises(services.TrainingError, match="between 0 and 3"):
        services.evidence_assess(
            by=coordinator(),
            enrolment=enrolment,
            competency=cohort.programme.target_competencies.first(),
            title="Plan",
            scores={c["name"]: 9 for c in cohort.programme.rubric},
        )


def test_completion_issues_a_credential_that_verifies() -> None:
    cohort = make_cohort()
    issued = finish(cohort, teacher("zeta"))
    assert issued.enrolment.status == EnrolmentStatus.COMPLETED
    document = issued.document
    assert document["type"] == ["VerifiableCredential", "AchievementCredential"]
    assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    result = credential_verify(document)
    assert result.report.valid, result.report.reason
    assert result.report.issuer_trusted
    assert AuditEvent.objects.filter(
        action="training.credential_issued", target=str(issued.pk)
    ).exists()


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["credentialSubject"]["identifier"][0].update(identityHash="Mallory"),
        lambda d: d.update(validFrom="2020-01-01T00:00:00Z"),
        lambda d: d["credentialSubject"]["achievement"].update(name="Doctorate"),
    ],
    ids=["name", "date", "achievement"],
)
def test_a_changed_credential_fails_and_names_the_changed_field(change: Any) -> None:
    issued = finish(make_cohort(), teacher("eta"))
    tampered = copy.deepcopy(issued.document)
    change(tampered)
    result = credential_verify(tampered)
    assert not result.report.valid
    assert "signature does not match" in (result.report.reason or "")
    assert len(result.changed) == 1


def test_a_revoked_credential_says_it_was_revoked_and_when() -> None:
    issued = finish(make_cohort(), teacher("theta"))
    services.credential_revoke(
        by=coordinator(), credential=issued, reason="Evidence was plagiarised"
    )
    result = credential_verify(issued.document)
    assert not result.report.valid
    assert result.report.revoked
    assert (result.report.reason or "").startswith("revoked")
    assert result.revoked_at is not None
    page = Client().get(f"/training/verify/?credential={issued.pk}").content.decode()
    assert "Revoked on" in page
    assert "Evidence was plagiarised" in page


def test_a_completed_trainer_becomes_a_seed_teacher_who_runs_the_next_generation() -> None:
    cohort = make_cohort(trains_trainers=True)
    seed = teacher("iota")
    finish(cohort, seed)
    assert services.seed_generation(seed) == 1
    second = services.cohort_open(
        by=seed,
        programme=cohort.programme,
        centre=centre(),
        name="Gen 2",
        starts_on=date(2026, 11, 1),
        coordinator=False,
    )
    assert second.generation == 2
    services.enrol(by=seed, cohort=second, teacher=teacher("kappa"))
    generations = {g.generation: g for g in cascade_generations()}
    assert generations[2].enrolled >= 1


def test_a_teacher_who_is_not_a_seed_teacher_cannot_lead_a_cohort() -> None:
    cohort = make_cohort()
    with pytest.raises(services.TrainingError, match="not a seed teacher"):
        services.cohort_open(
            by=teacher("lambda"),
            programme=cohort.programme,
            centre=centre(),
            name="x",
            starts_on=date(2026, 1, 1),
            coordinator=False,
        )


def test_the_session_calendar_is_icalendar_in_utc() -> None:
    cohort = make_cohort()
    services.session_schedule(
        by=coordinator(),
        cohort=cohort,
        title="Opening, with coffee",
        local_start=datetime(2026, 9, 2, 9, 0),
        time_zone="Asia/Jakarta",
        minutes=60,
        mode=SessionMode.ONLINE,
    )
    response = signed_in("trainer").get(f"/training/cohorts/{cohort.pk}/sessions.ics")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "DTSTART:20260902T020000Z" in text  # 09:00 in Jakarta is 02:00 UTC
    assert "SUMMARY:Opening\\, with coffee" in text
    assert "\r\n" in text


def test_an_unknown_time_zone_is_refused() -> None:
    with pytest.raises(services.TrainingError, match="time zone"):
        services.session_schedule(
            by=coordinator(),
            cohort=make_cohort(),
            title="x",
            local_start=datetime(2026, 9, 2, 9),
            time_zone="Mars/Olympus",
            minutes=60,
            mode=SessionMode.ONLINE,
        )


def test_csv_upload_page_lists_rejections_then_enrols_after_confirmation() -> None:
    cohort = make_cohort()
    teacher("mu")
    client = signed_in("trainer")
    upload = SimpleUploadedFile("t.csv", b"username\nmu\nghost\n", content_type="text/csv")
    response = client.post(f"/training/cohorts/{cohort.pk}/import/", {"file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "ghost" in page
    assert "no account with this username" in page
    assert cohort.enrolments.count() == 0
    client.post(response["Location"])
    assert list(cohort.enrolments.values_list("teacher__username", flat=True)) == ["mu"]


def test_the_teacher_page_shows_progress_and_credential_downloads() -> None:
    cohort = make_cohort()
    person = teacher("nu")
    issued = finish(cohort, person)
    client = Client()
    client.force_login(person)
    page = client.get("/training/my/").content.decode()
    assert "AICFT-1.1" in page
    assert f"/training/credentials/{issued.pk}.json" in page
    download = client.get(f"/training/credentials/{issued.pk}.json")
    assert json.loads(download.content)["id"] == f"urn:uuid:{issued.pk}"
    qr = client.get(f"/training/credentials/{issued.pk}/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content


def test_someone_else_cannot_download_a_credential() -> None:
    issued = finish(make_cohort(), teacher("xi"))
    assert signed_in("learner").get(f"/training/credentials/{issued.pk}.json").status_code == 403


def test_the_public_verification_page_accepts_a_pasted_credential() -> None:
    issued = finish(make_cohort(), teacher("omicron"))
    page = (
        Client()
        .post("/training/verify/", {"credential": json.dumps(issued.document)})
        .content.decode()
    )
    assert "Valid credential" in page, page[page.find("<main") : page.find("</main>")]
    assert "Omicron" in page


def test_the_verification_page_explains_unreadable_input() -> None:
    response = Client().post("/training/verify/", {"credential": "{not json"})
    assert response.status_code == 400
    assert "This is not JSON" in response.content.decode()


def test_the_verification_api_reports_the_reason() -> None:
    issued = finish(make_cohort(), teacher("pi"))
    tampered = copy.deepcopy(issued.document)
    tampered["validFrom"] = "2020-01-01T00:00:00Z"
    response = Client().post(
        "/api/training/verify", json.dumps(tampered), content_type="application/json"
    )
    body = response.json()
    assert response.status_code == 200, body
    assert body["valid"] is False
    assert body["changed_fields"] == ["validFrom"]


def test_the_status_list_is_public_and_signed() -> None:
    body = Client().get("/training/credentials/status/1").json()
    assert body["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert body["proof"]["cryptosuite"] == "eddsa-rdfc-2022"


def test_the_cascade_page_shows_a_chart_and_a_tree() -> None:
    cohort = make_cohort()
    finish(cohort, teacher("rho"))
    page = signed_in("trainer").get("/training/cascade/").content.decode()
    assert "<svg" in page
    assert "Rho" in page


def test_teachers_cannot_open_the_coordinator_pages() -> None:
    assert signed_in("teacher").get("/training/cascade/").status_code == 403
    cohort = make_cohort()
    assert signed_in("teacher").get(f"/training/cohorts/{cohort.pk}/").status_code == 403


def test_the_demo_loads_a_seed_teacher_with_a_credential_and_a_second_generation() -> None:
    from edubridge.training import demo

    demo.load(lambda _label: None)
    demo.load(lambda _label: None)  # idempotent
    assert Cohort.objects.filter(name__contains="(demo)").count() == 2
    assert Cohort.objects.filter(generation=2, name__contains="(demo)").exists()
    seed = User.objects.get(username="demo-seed-teacher")
    assert services.seed_generation(seed) == 1
    assert IssuedCredential.objects.filter(enrolment__teacher=seed).exists()
    assert (
        timezone.now() - timedelta(days=1) < IssuedCredential.objects.latest("issued_at").issued_at
    )


def test_a_seed_teacher_opens_a_cohort_from_the_programme_page() -> None:
    cohort = make_cohort(trains_trainers=True)
    seed = teacher("sigma")
    finish(cohort, seed)
    client = Client()
    client.force_login(seed)
    assert "Open a cohort" in client.get("/training/my/").content.decode()
    response = client.post(
        f"/training/programmes/{cohort.programme_id}/cohorts/",
        {"name": "Sigma's cohort", "centre": centre().pk, "starts_on": "2026-12-01"},
    )
    assert response.status_code == 302
    assert Cohort.objects.get(name="Sigma's cohort").generation == 2


def test_a_coordinator_builds_a_programme_from_the_form() -> None:
    client = signed_in("trainer")
    assert "AICFT-5.3" in client.get("/training/programmes/new/").content.decode()
    response = client.post(
        "/training/programmes/new/",
        {
            "name": "AI pedagogy, deepen",
            "competencies": ["AICFT-4.2", "AICFT-2.2"],
            "target_level": "2",
            "language": "fr",
            "hours": "30",
            "modules": "Designing with AI\nAssessment",
            "attendance_share": "75",
            "pass_score": "6",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "AICFT-4.2" in page
    assert "Assessment" in page
    home = client.get("/training/").content.decode()
    assert "AI pedagogy, deepen" in home


def test_a_programme_without_competencies_is_refused_with_a_reason() -> None:
    response = signed_in("trainer").post(
        "/training/programmes/new/", {"name": "Empty", "hours": "3", "language": "en"}
    )
    assert "Unknown competencies" in response.content.decode()


def test_the_framework_page_is_public() -> None:
    framework = services.framework_load_aicft()
    page = Client().get(f"/training/framework/{framework.pk}/").content.decode()
    assert "AI pedagogy" in page
    assert page.count('id="AICFT-') == 15
