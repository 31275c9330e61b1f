"""A teacher takes a catalogue quiz in a real Chromium at phone width with JavaScript off:
one form, a mistake is named with every answer kept, then the score is shown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password

from edubridge.accounts.demo import DEMO_PASSWORD
from edubridge.accounts.models import User
from edubridge.training import services

from .test_quizzes import make_bank, make_quiz
from .test_training import centre, coordinator

pytestmark = pytest.mark.browser


@pytest.fixture
def quiz_enrolment(transactional_db: None, demo_network: None) -> str:
    quiz = make_quiz(make_bank(), items=["q-choice", "q-number", "q-order"], pass_percent=60)
    teacher = User.objects.create(
        username="quiz-teacher",
        first_name="Layla",
        password=make_password(DEMO_PASSWORD),
        organization=centre(),
    )
    enrolment = services.enrol(
        by=coordinator(), cohort=quiz.programme.cohorts.get(), teacher=teacher
    )
    return f"/training/enrolments/{enrolment.pk}/quizzes/{quiz.pk}/"


def test_a_quiz_is_answered_without_javascript_on_a_phone(
    chromium: Any, live_server: Any, quiz_enrolment: str, artifacts_dir: Path
) -> None:
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        java_script_enabled=False,
    )
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", "quiz-teacher")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("form.stack button[type=submit]")
    page.goto(quiz_enrolment)
    assert (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        <= 0
    )
    page.check("input[name=q1][value=a]")
    page.fill("input[name=q2]", "twenty-four")
    page.select_option("select[name=q3-1]", "x")
    page.select_option("select[name=q3-2]", "y")
    page.select_option("select[name=q3-3]", "z")
    page.click("text=Send my answers")
    assert "enter a number" in page.content()
    assert page.is_checked("input[name=q1][value=a]")
    assert page.input_value("select[name=q3-2]") == "y"
    page.screenshot(path=str(artifacts_dir / "training-quiz-phone-360.png"), full_page=True)
    page.fill("input[name=q2]", "24")
    page.click("text=Send my answers")
    assert "/training/evidence/" in page.url
    assert page.locator("#score").inner_text().startswith("100%")
    context.close()
