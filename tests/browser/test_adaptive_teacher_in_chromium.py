"""The teacher creates a class and assigns a skill in a real Chromium at 360 px; the learner then
sees the assignment on the practice page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from edubridge.adaptive.models import Assignment, Classroom
from tests.browser.pages import no_horizontal_scroll, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def adaptive_demo(transactional_db: None) -> Iterator[None]:
    from edubridge.accounts import demo as accounts_demo
    from edubridge.accounts.models import User
    from edubridge.adaptive import demo, services
    from edubridge.catalogue import demo as catalogue_demo

    services.forget_fitted()
    if not User.objects.filter(username="teacher").exists():
        accounts_demo.load(lambda _label: None)
    catalogue_demo.load(lambda _label: None)
    demo.load(lambda _label: None)
    yield
    services.forget_fitted()


def test_a_teacher_creates_a_class_and_assigns_a_skill_on_a_phone(
    chromium: Any, live_server: Any, adaptive_demo: None, artifacts_dir: Path
) -> None:
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    sign_in(page, "teacher")
    page.goto("/practice/classes/")
    no_horizontal_scroll(page)
    page.fill("#class-name", "Grade 4 afternoon group")
    page.select_option("#class-bank", index=1)
    page.check("text=Meera Kanvi")
    page.click("text=Create the class")
    page.wait_for_url("**/manage/")
    classroom = Classroom.objects.get(name="Grade 4 afternoon group")
    assert list(classroom.learners.values_list("username", flat=True)) == ["learner"]
    no_horizontal_scroll(page)
    page.check("input[name=what][value=skill]")
    page.select_option("#assign-skill", index=1)
    page.fill("#assign-title", "Fractions warm-up")
    page.click("form[action$='/assign/'] button[type=submit]")
    page.wait_for_url(f"**/practice/classes/{classroom.pk}/")
    assert page.locator("text=Fractions warm-up").first.is_visible()
    assert page.locator("text=learners done").first.is_visible()
    no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts_dir / "adaptive-assign-phone-360.png"), full_page=True)
    assignment = Assignment.objects.get(classroom=classroom)
    assert assignment.title == "Fractions warm-up"
    context.close()

    learner = chromium.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, is_mobile=True
    ).new_page()
    sign_in(learner, "learner")
    learner.goto(f"/practice/class/{classroom.pk}/")
    assert learner.locator("text=Your assignments").is_visible()
    assert learner.locator("text=Your teacher assigned").is_visible()
    no_horizontal_scroll(learner)
    learner.context.close()
