"""Translating a localization draft: XLIFF 2.1 download and upload, and machine translation
through an OpenAI-compatible endpoint (a local fake speaking the chat-completions protocol)."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client
from lxml import etree

from edubridge.accounts.models import User
from edubridge.localization import services
from edubridge.localization.models import Change, Decision, JobStatus, LocalizationJob
from tests.engines.localize.test_translate import _Fake

pytestmark = pytest.mark.django_db
NS = "urn:oasis:names:tc:xliff:document:2.0"


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def job() -> LocalizationJob:
    return LocalizationJob.objects.get(
        bank__slug="zh-math-g3-5-everyday", target_locale="id-ID", grade=4, status=JobStatus.DONE
    )


def translated_xliff(data: bytes, fill: Any) -> bytes:
    """What a translator's tool returns: a <target> after each <source>, <ph/> kept."""
    root = etree.fromstring(data)
    for segment in root.iter(f"{{{NS}}}segment"):
        source = segment.find(f"{{{NS}}}source")
        target = etree.SubElement(segment, f"{{{NS}}}target")
        target.text = fill(source.text or "")
        for child in source:
            copy = etree.SubElement(target, child.tag, dict(child.attrib))
            copy.tail = child.tail
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def test_the_texts_download_as_xliff_with_names_and_amounts_as_placeholders(job) -> None:
    response = signed_in("localizer").get(f"/localization/jobs/{job.pk}/xliff/")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlf"')
    root = etree.fromstring(response.content)
    assert root.get("version") == "2.1"
    assert root.get("trgLang") == "id"
    sources = [etree.tostring(s, encoding="unicode") for s in root.iter(f"{{{NS}}}source")]
    assert sources
    assert not any(re.search(r">[^<]*\d[^<]*<", s) for s in sources)  # digits only in <ph/>
    assert any("<ph " in s for s in sources)


def test_an_uploaded_translation_becomes_changes_to_review(job) -> None:
    client = signed_in("localizer")
    data = client.get(f"/localization/jobs/{job.pk}/xliff/").content
    done = translated_xliff(data, lambda text: "ID " + text)
    response = client.post(
        f"/localization/jobs/{job.pk}/xliff/upload/",
        {"file": _upload(done)},
    )
    assert response.status_code == 302
    added = Change.objects.filter(item__job=job, kind="translation", its_type="other")
    assert added.count() == len(etree.fromstring(done).findall(f".//{{{NS}}}unit"))
    change = added.select_related("item").first()
    assert change.needs_review
    assert change.decision == Decision.PENDING
    assert change.to_value.startswith("ID ")
    item = change.item
    item.refresh_from_db()
    assert item.reviewed["stem"].startswith("ID ")
    if all(c.its_type != "untranslated" or c.decision == Decision.ACCEPTED
           for c in item.changes.all()):  # fmt: skip
        assert item.reviewed["language"] == "id-ID"
    # rejecting the translation brings the adapted text back
    services.change_decide(
        by=User.objects.get(username="localizer"), change=change, decision=Decision.REJECTED
    )
    item.refresh_from_db()
    assert not item.reviewed["stem"].startswith("ID ")


def test_a_bad_text_in_an_upload_is_listed_and_nothing_is_applied(job) -> None:
    client = signed_in("localizer")
    data = client.get(f"/localization/jobs/{job.pk}/xliff/").content
    count = {"n": 0}

    def fill(text: str) -> str:
        count["n"] += 1
        return "ID 99 " + text if count["n"] == 2 else "ID " + text  # a number typed in

    response = client.post(
        f"/localization/jobs/{job.pk}/xliff/upload/",
        {"file": _upload(translated_xliff(data, fill))},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="rejected"' in page
    assert "numbers appear outside placeholders" in page
    assert not Change.objects.filter(item__job=job, kind="translation", its_type="other").exists()


def test_a_file_that_is_not_xliff_is_refused_with_a_reason(job) -> None:
    response = signed_in("localizer").post(
        f"/localization/jobs/{job.pk}/xliff/upload/", {"file": _upload(b"not xml at all")}
    )
    assert response.status_code == 400
    assert "not a readable XLIFF file" in response.content.decode()


def test_without_a_provider_the_translation_is_an_open_task(job, settings) -> None:
    settings.EDUBRIDGE_TRANSLATION_URL = ""
    client = signed_in("localizer")
    page = client.get(f"/localization/jobs/{job.pk}/").content.decode()
    assert 'id="translation-task"' in page
    assert "Translate draft" not in page
    response = client.post(f"/localization/jobs/{job.pk}/translate/", follow=True)
    assert "No translation service is configured" in response.content.decode()


@pytest.fixture
def endpoint() -> Iterator[type[_Fake]]:
    handler = type(
        "Handler",
        (_Fake,),
        {"requests": [], "answer": staticmethod(lambda texts: {"translations": [
            "ID " + t for t in texts]})},
    )  # fmt: skip
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    handler.url = f"http://127.0.0.1:{server.server_port}/v1"  # type: ignore[attr-defined]
    yield handler
    server.shutdown()
    server.server_close()


def test_translate_draft_puts_machine_translations_in_as_changes_to_review(
    job, settings, endpoint, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    settings.EDUBRIDGE_TRANSLATION_URL = endpoint.url  # type: ignore[attr-defined]
    settings.EDUBRIDGE_TRANSLATION_MODEL = "fake-model"
    queued: list[tuple[int, int]] = []
    monkeypatch.setattr(services, "_enqueue_translation", lambda *a: queued.append(a))
    client = signed_in("localizer")
    assert "Translate draft" in client.get(f"/localization/jobs/{job.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/localization/jobs/{job.pk}/translate/")
    assert response.status_code == 302
    assert queued == [(job.pk, User.objects.get(username="localizer").pk)]
    applied, refused = services.translate_run(*queued[0])  # what the worker runs
    assert applied > 0
    assert refused == []
    body = endpoint.requests[0]["body"]
    assert endpoint.requests[0]["path"] == "/v1/chat/completions"
    assert body["model"] == "fake-model"
    assert body["response_format"] == {"type": "json_object"}
    sent = json.loads(body["messages"][-1]["content"])
    assert not any(re.search(r"\d", re.sub(r"\{ph\d+\}", "", t)) for t in sent)  # numbers masked
    machine = Change.objects.filter(item__job=job, kind="translation", its_type="other")
    assert machine.count() == applied
    assert all(c.needs_review and c.decision == Decision.PENDING for c in machine)


def _upload(data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("done.xlf", data, content_type="application/xliff+xml")
