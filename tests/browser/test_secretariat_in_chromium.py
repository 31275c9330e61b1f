"""Secretariat pages in a real Chromium: the dashboard and a release page at phone width, signing
a release for a hosted demo member until it is published, and a meeting page without JavaScript."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from edubridge.secretariat import demo as secretariat_demo
from edubridge.secretariat.demo import AWAITING_RELEASE, PAST_MEETING
from edubridge.secretariat.models import Meeting, Release
from tests.browser.pages import no_horizontal_scroll, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def full_demo(transactional_db: None, demo_network: None) -> None:
    """People and organizations (demo_network) plus the secretariat's demo: seconds, not the
    whole network's demo after each flush."""
    if not Release.objects.filter(title=AWAITING_RELEASE).exists():
        secretariat_demo.load(lambda _label: None)


def test_dashboard_and_release_fit_a_phone_and_signing_publishes_the_release(
    chromium: Any, live_server: Any, full_demo: None, artifacts_dir: Path
) -> None:
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    sign_in(page, "secretariat")
    page.goto("/secretariat/")
    assert page.locator("svg.chart").is_visible()
    no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts_dir / "secretariat-dashboard-phone-360.png"), full_page=True)
    page.click(f"text={AWAITING_RELEASE}")
    no_horizontal_scroll(page)
    for _ in range(2):  # 1 of 3 signed in the demo; two more hosted members sign
        page.locator("button:has-text('demo key')").first.click()
        page.wait_for_load_state()
    assert page.locator("#release-status").inner_text() == "Published"
    assert page.locator("a:has-text('RELEASE.json')").is_visible()
    page.screenshot(path=str(artifacts_dir / "secretariat-release-phone-360.png"), full_page=True)
    context.close()


def test_a_meeting_page_works_without_javascript(
    chromium: Any, live_server: Any, full_demo: None
) -> None:
    context = chromium.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    sign_in(page, "secretariat")
    meeting = Meeting.objects.get(title=PAST_MEETING)
    page.goto(f"/secretariat/meetings/{meeting.pk}/")
    no_horizontal_scroll(page)
    page.fill("#action-title", "Send the survey reminder")
    page.click("text=Add action")  # no owner chosen
    assert "needs an owner" in page.locator(".error").inner_text()
    page.fill("#action-title", "Send the survey reminder")
    page.select_option("#action-owner", index=1)
    page.fill("#action-due", "2030-01-15")
    page.click("text=Add action")
    assert page.locator("td:has-text('Send the survey reminder')").count() == 1
    context.close()


PAGES = [
    "/secretariat/members/",
    "/secretariat/meetings/",
    "/secretariat/releases/",
    "/secretariat/bulletins/",
    "/secretariat/events/",
    "/secretariat/support/",
    "/secretariat/my-actions/",
    "/secretariat/applications/",
    "/secretariat/policy/",
    "/secretariat/standards/",
    "/secretariat/agreements/",
    "/secretariat/documents/",
    "/secretariat/projects/",
    "/secretariat/support/answers/",
]


def test_every_secretariat_page_fits_a_phone(
    chromium: Any, live_server: Any, full_demo: None
) -> None:
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in(page, "secretariat")
    for path in PAGES:
        response = page.goto(path)
        assert response.status == 200, path
        no_horizontal_scroll(page)
    context.close()


def test_a_person_registers_for_the_full_forum_and_lands_on_the_waiting_list(
    chromium: Any, live_server: Any, full_demo: None
) -> None:
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, "steward")
    page.goto("/secretariat/events/")
    page.click("text=EduBridge Forum")
    page.click("button:has-text('Register')")
    assert page.locator("#my-registration").inner_text() == "On the waiting list"
    context.close()
