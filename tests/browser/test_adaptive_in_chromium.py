"""Adaptive practice in a real Chromium at phone width: the learner answers an item and sees the
feedback (no JavaScript needed); the teacher's heat map fits a 360 px screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from edubridge.adaptive.models import Classroom, Pending
from tests.browser.pages import no_horizontal_scroll, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def adaptive_demo(transactional_db: None) -> None:
    from edubridge.accounts import demo as accounts_demo
    from edubridge.accounts.models import User
    from edubridge.adaptive import demo
    from edubridge.catalogue import demo as catalogue_demo

    if not User.objects.filter(username="teacher").exists():
        accounts_demo.load(lambda _label: None)
    catalogue_demo.load(lambda _label: None)
    demo.load(lambda _label: None)


def _phone(chromium: Any, live_server: Any, **extra: Any) -> Any:
    return chromium.new_context(
        base_url=live_server.url,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        **extra,
    )


def test_a_learner_answers_an_item_and_sees_feedback_at_360px_without_javascript(
    chromium: Any, live_server: Any, adaptive_demo: None, artifacts_dir: Path
) -> None:
    context = _phone(chromium, live_server, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, "learner")
    page.goto("/practice/")
    assert page.locator("text=Why this item").is_visible()
    no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts_dir / "adaptive-practice-phone-360.png"), full_page=True)
    item = Pending.objects.select_related("item").get(learner__username="learner").item
    page.fill("#response", str(item.data["correct_response"]["values"][0]))
    page.click("text=Check my answer")
    assert page.locator("h1").inner_text().endswith("Right!")
    no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts_dir / "adaptive-feedback-phone-360.png"), full_page=True)
    page.click("text=Next item")
    assert page.locator("text=Why this item").is_visible()
    context.close()


def test_the_teacher_dashboard_fits_a_phone(
    chromium: Any, live_server: Any, adaptive_demo: None, artifacts_dir: Path
) -> None:
    context = _phone(chromium, live_server)
    page = context.new_page()
    sign_in(page, "teacher")
    classroom = Classroom.objects.get()
    page.goto(f"/practice/classes/{classroom.pk}/")
    assert page.locator("svg.heatmap").is_visible()
    no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts_dir / "adaptive-dashboard-phone-360.png"), full_page=True)
    context.close()
