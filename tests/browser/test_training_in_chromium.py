"""Teacher training in a real Chromium: the coordinator's cohort and cascade pages at phone width,
the teacher's page with the credential QR code, and public verification without JavaScript."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from edubridge.training import demo
from edubridge.training.models import Cohort, IssuedCredential
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def training_demo(transactional_db: None, demo_network: None) -> None:
    demo.load(lambda _label: None)


def _overflow(page: Any) -> int:
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


def test_coordinator_pages_fit_a_phone(
    chromium: Any, live_server: Any, training_demo: None, artifacts_dir: Path
) -> None:
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    sign_in(page, "trainer")
    page.goto("/training/")
    page.click("text=Abay cohort 2026 (demo)")
    assert page.locator("h1").inner_text() == "Abay cohort 2026 (demo)"
    assert _overflow(page) <= 0
    page.screenshot(path=str(artifacts_dir / "training-cohort-phone-360.png"), full_page=True)
    page.goto("/training/cascade/")
    assert page.locator("svg.chart").is_visible()
    assert "Selam Bekele" in page.content()
    assert _overflow(page) <= 0
    page.screenshot(path=str(artifacts_dir / "training-cascade-phone-360.png"), full_page=True)
    context.close()


def test_a_seed_teacher_sees_the_credential_and_anyone_verifies_it_without_javascript(
    chromium: Any, live_server: Any, training_demo: None, artifacts_dir: Path
) -> None:
    seed_credential = IssuedCredential.objects.get(enrolment__teacher__username="demo-seed-teacher")
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, java_script_enabled=False
    )
    page = context.new_page()
    sign_in(page, "teacher")
    page.goto("/training/my/")
    assert "AICFT-1.1" in page.content()
    assert "Upcoming sessions" in page.content()
    assert _overflow(page) <= 0
    page.screenshot(path=str(artifacts_dir / "training-teacher-phone-360.png"), full_page=True)
    public = chromium.new_context(base_url=live_server.url, java_script_enabled=False).new_page()
    public.goto("/training/verify/")
    public.fill("textarea[name=credential]", json.dumps(seed_credential.document))
    public.click("main form.stack button")
    assert public.locator("h2").first.inner_text() == "Valid credential"
    assert "Selam Bekele" in public.content()
    tampered = json.loads(json.dumps(seed_credential.document))
    tampered["credentialSubject"]["achievement"]["name"] = "Doctorate"
    public.fill("textarea[name=credential]", json.dumps(tampered))
    public.click("main form.stack button")
    assert public.locator("h2").first.inner_text() == "Not valid"
    assert "credentialSubject.achievement.name" in public.content()
    assert Cohort.objects.filter(generation=2).exists()
    context.close()
