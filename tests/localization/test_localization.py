"""The localization app through HTTP: start, draft in the background, review, publish; packs; API."""

from __future__ import annotations

import pytest
from django.test import Client

from edubridge.accounts.models import User
from edubridge.catalogue.models import Bank
from edubridge.core.models import AuditEvent
from edubridge.localization import services
from edubridge.localization.models import Change, Decision, DraftItem, JobStatus, LocalizationJob

pytestmark = pytest.mark.django_db
SOURCE = "zh-math-g3-5-everyday"


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    jobs: list[int] = []
    monkeypatch.setattr(services, "_enqueue", jobs.append)
    return jobs


def drafted(
    client: Client, queued: list[int], locale: str = "id-ID", grade: str = "4"
) -> LocalizationJob:
    response = client.post("/localization/", {"bank": SOURCE, "locale": locale, "grade": grade})
    assert response.status_code == 302
    job = LocalizationJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    return job


def test_the_demo_draft_is_there_and_partly_reviewed() -> None:
    job = LocalizationJob.objects.get(bank__slug=SOURCE, target_locale="id-ID", grade=4)
    assert job.status == JobStatus.DONE
    assert job.done == job.total == 120
    statuses = set(job.items.values_list("status", flat=True))
    assert Decision.ACCEPTED in statuses
    assert Decision.PENDING in statuses
    assert Change.objects.filter(item__job=job, decision=Decision.EDITED).exists()


def test_starting_a_job_queues_it_and_the_page_refreshes_until_drafted(
    django_capture_on_commit_callbacks, queued: list[int]
) -> None:
    client = signed_in("localizer")
    with django_capture_on_commit_callbacks(execute=True):
        job = drafted(client, queued)
    assert queued == [job.pk]
    assert job.pack_version == "id-ID@3"
    assert job.bank_version == Bank.objects.get(slug=SOURCE).version
    page = client.get(f"/localization/jobs/{job.pk}/").content.decode()
    assert 'http-equiv="refresh"' in page
    assert "0/120" in page
    services.job_run(job.pk)
    page = client.get(f"/localization/jobs/{job.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "120/120" in page
    # names are consistent across the whole resource: one source name, one target name
    pairs = set(
        Change.objects.filter(item__job=job, kind="name").values_list("from_value", "to_value")
    )
    sources = [f for f, _ in pairs]
    assert pairs
    assert len(sources) == len(set(sources))
    assert AuditEvent.objects.filter(action="localization.job_started").exists()


def test_bad_requests_store_nothing(queued: list[int]) -> None:
    client = signed_in("localizer")
    before = LocalizationJob.objects.count()
    for data in (
        {"bank": SOURCE, "locale": "xx-XX", "grade": "4"},
        {"bank": "nope", "locale": "id-ID", "grade": "4"},
        {"bank": SOURCE, "locale": "id-ID", "grade": "40"},
        {"bank": SOURCE, "locale": "id-ID", "grade": "four"},
    ):
        response = client.post("/localization/", data)
        assert response.status_code == 422, data
        assert 'role="alert"' in response.content.decode()
    assert LocalizationJob.objects.count() == before
    assert not queued
    assert signed_in("learner").get("/localization/").status_code == 403
    assert Client().get("/localization/").status_code == 302


def _item_with(job: LocalizationJob, kind: str) -> DraftItem:
    return DraftItem.objects.filter(job=job, changes__kind=kind).order_by("position").first()  # type: ignore[return-value]


def test_review_accept_edit_reject_with_the_engine_recheck(queued: list[int]) -> None:
    client = signed_in("localizer")
    job = drafted(client, queued)
    services.job_run(job.pk)
    item = _item_with(job, "price")
    page = client.get(f"/localization/jobs/{job.pk}/items/{item.position}/").content.decode()
    price = item.changes.filter(kind="price").first()
    assert price is not None
    assert "<mark>" in page
    assert price.reason[:30] in page
    for alternative in price.alternatives:
        assert alternative in page
    # an edit that breaks the answer is refused with the engine's reason, nothing stored
    response = client.post(
        f"/localization/jobs/{job.pk}/changes/{price.pk}/decide/",
        {"decision": "edit", "value": price.alternatives[0]},
    )
    assert response.status_code == 422
    assert "no longer follows from the numbers" in response.content.decode()
    price.refresh_from_db()
    assert price.decision == Decision.PENDING
    # accepting works and records who and when
    response = client.post(
        f"/localization/jobs/{job.pk}/changes/{price.pk}/decide/", {"decision": "accept"}
    )
    assert response.status_code == 302
    price.refresh_from_db()
    assert price.decision == Decision.ACCEPTED
    assert price.reviewer.username == "localizer"
    assert price.decided_at is not None
    # a name edit keeps the numbers: accepted after the re-check
    named = _item_with(job, "name")
    name = named.changes.filter(kind="name").first()
    assert name is not None
    response = client.post(
        f"/localization/jobs/{job.pk}/changes/{name.pk}/decide/",
        {"decision": "edit", "value": "Putri"},
    )
    assert response.status_code == 302
    named.refresh_from_db()
    assert "Putri" in named.reviewed["stem"]
    assert name.to_value not in named.reviewed["stem"]
    # an edit bringing back forbidden food is refused
    food = _item_with(job, "food")
    if food is not None:
        change = food.changes.filter(kind="food").first()
        bad = client.post(
            f"/localization/jobs/{job.pk}/changes/{change.pk}/decide/",
            {"decision": "edit", "value": "猪肉"},
        )
        assert bad.status_code == 422
        assert "not suitable" in bad.content.decode()
    # rejecting a name puts the source name back
    other = name.item.changes.exclude(pk=name.pk).filter(kind="name").first() or name
    client.post(f"/localization/jobs/{job.pk}/changes/{other.pk}/decide/", {"decision": "reject"})
    named.refresh_from_db()
    assert other.from_value in named.reviewed["stem"]


def test_publish_creates_a_derivative_with_provenance(queued: list[int]) -> None:
    client = signed_in("localizer")
    job = drafted(client, queued)
    services.job_run(job.pk)
    refused = client.post(f"/api/localization/jobs/{job.pk}/publish")
    assert refused.status_code == 422
    assert "to review" in refused.json()["detail"]
    items = list(job.items.order_by("position"))
    client.post(
        f"/localization/jobs/{job.pk}/items/{items[0].position}/decide/", {"decision": "reject"}
    )
    for item in items[1:]:
        response = client.post(
            f"/localization/jobs/{job.pk}/items/{item.position}/decide/", {"decision": "accept"}
        )
        assert response.status_code == 302
    page = client.post(f"/localization/jobs/{job.pk}/publish/", follow=True).content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.PUBLISHED, page
    bank = job.derivative
    assert bank is not None
    assert bank.derived_from.slug == SOURCE
    assert bank.status == "published"
    assert bank.items.count() == len(items) - 1
    assert "id-ID@3" in bank.description
    assert "localizer" in bank.description
    data = bank.items.order_by("position").first().data
    assert data["provenance"]["derived_from"]["version"] == job.bank_version
    assert data["provenance"]["locale_pack"] == "id-ID@3"
    review = data["metadata"]["localize"]["review"]
    assert review["source_bank"] == SOURCE
    assert review["decisions"]
    assert all(d["reviewer"] == "localizer" and d["at"] for d in review["decisions"])
    assert AuditEvent.objects.filter(action="localization.derivative_published").exists()
    pack = client.get("/localization/packs/id-ID/").content.decode()
    assert bank.slug in pack
    again = client.post(f"/api/localization/jobs/{job.pk}/publish")
    assert again.status_code == 422


def test_packs_are_browsable() -> None:
    client = signed_in("localizer")
    page = client.get("/localization/packs/").content.decode()
    for locale in ("id-ID", "ar-SA", "fa-IR", "am-ET", "hi-IN"):
        assert f"/localization/packs/{locale}/" in page
    pack = client.get("/localization/packs/id-ID/").content.decode()
    assert "Indonesia" in pack
    assert "IDR" in pack
    assert "pork" in pack
    assert client.get("/localization/packs/xx-XX/").status_code == 404


def test_the_api_starts_follows_decides_and_documents(
    django_capture_on_commit_callbacks, queued: list[int]
) -> None:
    client = signed_in("localizer")
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            "/api/localization/jobs",
            {"bank": SOURCE, "locale": "en-US", "grade": 4},
            content_type="application/json",
        )
    assert started.status_code == 202, started.content
    job_id = started.json()["id"]
    assert queued == [job_id]
    assert started.json()["status"] == "queued"
    services.job_run(job_id)
    status = client.get(f"/api/localization/jobs/{job_id}").json()
    assert status["status"] == "done"
    assert status["done"] == status["total"] == 120
    changes = client.get(f"/api/localization/jobs/{job_id}/changes").json()
    assert changes
    assert {"kind", "from_value", "to_value", "reason", "alternatives"} <= set(changes[0])
    decided = client.post(
        f"/api/localization/jobs/{job_id}/changes/{changes[0]['id']}/decision",
        {"decision": "accepted"},
        content_type="application/json",
    )
    assert decided.status_code == 200
    assert decided.json()["reviewer"] == "localizer"
    bad = client.post(
        f"/api/localization/jobs/{job_id}/changes/{changes[0]['id']}/decision",
        {"decision": "maybe"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert (
        client.post(
            "/api/localization/jobs",
            {"bank": SOURCE, "locale": "zz"},
            content_type="application/json",
        ).status_code
        == 422
    )
    assert signed_in("learner").get(f"/api/localization/jobs/{job_id}").status_code == 403
    schema = client.get("/api/openapi.json").json()
    assert "/api/localization/jobs/{job_id}/publish" in schema["paths"]


def test_the_draft_is_queued_as_a_django_task(django_capture_on_commit_callbacks) -> None:
    from huey.contrib.djhuey import HUEY

    from edubridge.localization.tasks import draft_job

    HUEY.flush()
    client = signed_in("localizer")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/localization/", {"bank": SOURCE, "locale": "ar-SA", "grade": "5"})
    job = LocalizationJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert HUEY.pending_count() == 1  # queued for the worker
    HUEY.flush()  # executing it here would close the test's database connection (PostgreSQL)
    assert draft_job.call(job.pk)["status"] == JobStatus.DONE
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.items.count() == 120
    # a job that fails records why and keeps no half draft
    broken = services.job_start(
        by=User.objects.get(username="localizer"),
        bank=Bank.objects.get(slug=SOURCE),
        target_locale="id-ID",
        grade=4,
        enqueue=False,
    )
    LocalizationJob.objects.filter(pk=broken.pk).update(target_locale="xx-XX")
    failed = services.job_run(broken.pk)
    assert failed.status == JobStatus.FAILED
    assert "unknown locale" in failed.error
    assert not failed.items.exists()
