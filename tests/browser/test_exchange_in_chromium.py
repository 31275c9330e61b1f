"""Exchange pages in a real Chromium: the coordinator's dashboard with its chart, at phone width too,
and an applicant applying with the keyboard-free form (no JavaScript needed)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from edubridge.exchange.demo import MATCHED_PROGRAMME, OPEN_PROGRAMME
from edubridge.exchange.models import Programme
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def full_demo(transactional_db: None) -> None:
    if not Programme.objects.filter(name=MATCHED_PROGRAMME).exists():
        call_command("demo", quiet_logins=True, no_background=True, stdout=StringIO())


def test_coordinator_dashboard_fits_a_phone_and_shows_the_chart(
    chromium: Any, live_server: Any, full_demo: None, artifacts_dir: Path
) -> None:
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    sign_in(page, "exchange")
    page.click("text=Run exchange programmes")
    page.click(f"text={MATCHED_PROGRAMME}")
    assert page.locator("svg.chart").is_visible()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    page.screenshot(path=str(artifacts_dir / "exchange-dashboard-phone-360.png"), full_page=True)
    context.close()


def test_an_applicant_applies_without_javascript(
    chromium: Any, live_server: Any, full_demo: None
) -> None:
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, "learner")
    programme = Programme.objects.get(name=OPEN_PROGRAMME)
    page.goto(f"/exchange/{programme.pk}/apply/")
    page.select_option("#choice_1", "T01")
    page.select_option("#level_en", "B2")
    page.click("text=Submit application")
    assert "my-application" in page.url
    assert page.locator("h1").inner_text() == "My application"
    context.close()
