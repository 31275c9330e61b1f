"""Catalogue pages and API: anyone searches; only publishers import, align and publish."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase

from edubridge.catalogue.demo_data import frameworks
from edubridge.catalogue.models import Bank, Framework
from tests.engines.standards.case_samples import package

from .helpers import import_json, json_bank, signed_in, unzip

pytestmark = pytest.mark.usefixtures("demo_network")
ZH = "zh-math-g3-5-everyday"


def test_anyone_searches_with_filters() -> None:
    page = Client().get("/catalogue/", {"q": "月饼", "language": "zh-CN", "grade": "3"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "装月饼" in html
    assert "grade" in Client().get("/catalogue/?grade=x").content.decode()


def test_a_publisher_imports_sees_the_report_edits_and_publishes() -> None:
    client = signed_in("publisher")
    upload = SimpleUploadedFile("mine.json", json_bank("t-page"), content_type="application/json")
    response = client.post("/catalogue/banks/import/", {"file": upload, "licence": "CC-BY-SA-4.0"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "2 items imported." in page
    assert "Publish" in page
    bank = Bank.objects.get(slug="t-page")
    assert bank.licence == "CC-BY-SA-4.0"
    assert bank.status == "draft"
    assert Client().get("/catalogue/banks/t-page/").status_code == 404  # drafts are hidden
    client.post(
        "/catalogue/banks/t-page/edit/",
        {
            "title": "Renamed",
            "licence": "CC0-1.0",
            "data_class": "public",
            "sections": json.dumps([{"title": "Part 1", "item_ids": ["t-page-0"]}]),
        },
    )
    client.post("/catalogue/banks/t-page/publish/")
    bank.refresh_from_db()
    assert (bank.title, bank.licence, bank.status, bank.version) == (
        "Renamed",
        "CC0-1.0",
        "published",
        1,
    )
    assert bank.items.get(identifier="t-page-0").licence == "CC0-1.0"


def test_a_bad_upload_shows_the_error_and_stores_nothing() -> None:
    client = signed_in("publisher")
    before = Bank.objects.count()
    upload = SimpleUploadedFile("broken.json", b'[{"id": 1}]')
    response = client.post("/catalogue/banks/import/", {"file": upload})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported." in html
    assert "broken.json" in html
    assert "$[0]" in html
    assert Bank.objects.count() == before


def test_only_publishers_import_align_and_publish() -> None:
    learner = signed_in("learner")
    upload = SimpleUploadedFile("mine.json", json_bank("t-learner"))
    assert learner.post("/catalogue/banks/import/", {"file": upload}).status_code == 403
    assert learner.post(f"/catalogue/banks/{ZH}/publish/").status_code == 403
    item = Bank.objects.get(slug=ZH).items.first()
    assert item is not None
    url = f"/catalogue/banks/{ZH}/items/{item.identifier}/align/"
    assert learner.post(url, {"code": "2.NA.1"}).status_code == 403
    assert Client().get("/catalogue/banks/import/").status_code == 302  # sign in first
    assert not Bank.objects.filter(slug="t-learner").exists()


def test_the_item_page_suggests_and_the_publisher_accepts() -> None:
    client = signed_in("publisher")
    bank = import_json("t-sugg", ("numeric_entry",))
    item = bank.items.get()
    cn = Framework.objects.get(identifier=frameworks.identifier("cn-math-2022"))
    page = client.get(f"/catalogue/banks/t-sugg/items/{item.identifier}/?framework={cn.pk}")
    html = page.content.decode()
    assert "Suggested standards" in html
    assert "matched words" in html
    response = page.context["suggestions"][0]
    client.post(
        f"/catalogue/banks/t-sugg/items/{item.identifier}/align/",
        {"framework_item": response.framework_item.identifier, "action": "accept"},
    )
    assert item.alignments.get().source == "suggested"


def test_the_framework_tree_shows_crosswalks_and_exports_case() -> None:
    cn = Framework.objects.get(identifier=frameworks.identifier("cn-math-2022"))
    html = Client().get(f"/catalogue/frameworks/{cn.pk}/").content.decode()
    assert "2.NA.2" in html
    assert "exactMatchOf" in html
    assert "4.NBT.B.5" in html
    exported = json.loads(Client().get(f"/catalogue/frameworks/{cn.pk}/case.json").content)
    assert exported["CFDocument"]["caseVersion"] == "1.1"


def test_bank_and_item_exports() -> None:
    client = Client()
    entries = unzip(client.get(f"/catalogue/banks/{ZH}/export/qti.zip").content)
    assert "imsmanifest.xml" in entries
    assert len(entries) > 80
    cartridge = unzip(client.get(f"/catalogue/banks/{ZH}/export/cartridge.imscc").content)
    assert "imsmanifest.xml" in cartridge
    lrmi = client.get(f"/catalogue/banks/{ZH}/export/lrmi.jsonld").json()
    assert "LearningResource" in json.dumps(lrmi)
    item = Bank.objects.get(slug=ZH).items.first()
    assert item is not None
    xml = client.get(f"/catalogue/banks/{ZH}/items/{item.identifier}/export/qti.xml").content
    assert b"qti-assessment-item" in xml


# ------------------------------------------------------------------ API


def test_api_search_and_bank_listing() -> None:
    client = signed_in("learner")
    results = client.get("/api/catalogue/search", {"q": "鱼缸", "grade": 5}).json()
    assert results
    assert all(r["grade_min"] == 5 for r in results)
    assert results[0]["score"] > 0
    banks = {b["slug"] for b in client.get("/api/catalogue/banks").json()}
    assert ZH in banks
    assert Client().get("/api/catalogue/search?q=x").status_code == 401


def test_api_import_align_publish_for_publishers_only() -> None:
    learner, publisher = signed_in("learner"), signed_in("publisher")
    data = json_bank("t-api")
    assert (
        learner.post(
            "/api/catalogue/banks/import", {"file": SimpleUploadedFile("a.json", data)}
        ).status_code
        == 403
    )
    bad = publisher.post(
        "/api/catalogue/banks/import", {"file": SimpleUploadedFile("b.json", b"[")}
    )
    assert bad.status_code == 400
    assert "b.json" in bad.json()["detail"]
    created = publisher.post(
        "/api/catalogue/banks/import", {"file": SimpleUploadedFile("a.json", data)}
    )
    assert created.status_code == 201
    assert created.json()["imported"] == 2
    cn = Framework.objects.get(identifier=frameworks.identifier("cn-math-2022"))
    suggestions = publisher.get(
        f"/api/catalogue/banks/t-api/items/t-api-0/suggestions?framework={cn.pk}"
    ).json()
    assert suggestions[0]["matched"]
    aligned = publisher.post(
        "/api/catalogue/banks/t-api/items/t-api-0/alignments",
        {"framework_item": suggestions[0]["framework_item"], "action": "accept"},
        content_type="application/json",
    ).json()
    assert aligned[0]["source"] == "suggested"
    patched = publisher.patch(
        "/api/catalogue/banks/t-api", {"licence": "nope nope"}, content_type="application/json"
    )
    assert patched.status_code == 400
    assert publisher.post("/api/catalogue/banks/t-api/publish").json()["status"] == "published"
    assert learner.post("/api/catalogue/banks/t-api/publish").status_code == 403


def test_api_frameworks_tree_and_case_round_trip() -> None:
    publisher = signed_in("publisher")
    upload = SimpleUploadedFile("case.json", json.dumps(package()).encode())
    created = publisher.post("/api/catalogue/frameworks/import", {"file": upload})
    assert created.status_code == 201
    pk = created.json()["id"]
    tree = publisher.get(f"/api/catalogue/frameworks/{pk}").json()
    assert any(n["parent"] for n in tree["nodes"])
    case = publisher.get(f"/api/catalogue/frameworks/{pk}/case").json()
    assert case["CFDocument"]["identifier"] == created.json()["identifier"]
    assert (
        signed_in("learner")
        .post(
            "/api/catalogue/frameworks/import",
            {
                "file": SimpleUploadedFile(
                    "case.json", io.BytesIO(json.dumps(package()).encode()).read()
                )
            },
        )
        .status_code
        == 403
    )


def test_the_api_is_in_the_openapi_document() -> None:
    schema = signed_in("integrator").get("/api/openapi.json").json()
    paths = schema["paths"]
    assert "/api/catalogue/search" in paths
    assert "/api/catalogue/banks/import" in paths


def test_a_large_upload_is_imported_in_the_background_with_a_status_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from edubridge.catalogue import services

    monkeypatch.setattr(services, "BACKGROUND_BYTES", 10)
    queued: list[int] = []
    monkeypatch.setattr(services, "_enqueue", queued.append)
    client = signed_in("publisher")
    good = SimpleUploadedFile("big.json", json_bank("t-big"))
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/catalogue/banks/import/", {"file": good})
    assert response.status_code == 302
    assert queued
    page = client.get(response["Location"]).content.decode()
    assert "Waiting for a worker" in page
    assert 'http-equiv="refresh"' in page
    job = services.import_job_run(queued[0])
    assert job.status == "done"
    assert job.bank is not None
    assert job.bank.items.count() == 2
    assert "2 items imported." in client.get(response["Location"]).content.decode()
    bad = SimpleUploadedFile("bad-big.json", b'[{"id": "x"}]')
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/catalogue/banks/import/", {"file": bad})
    failed = services.import_job_run(queued[-1])
    assert failed.status == "failed"
    assert "bad-big.json" in failed.error
    assert "Nothing was imported." in client.get(response["Location"]).content.decode()
    assert signed_in("learner").get(response["Location"]).status_code == 403
