"""Localization pages in a real Chromium: the job, review and pack pages fit a 360 px phone, and
a localizer accepts a change on the review page without JavaScript-only controls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from edubridge.localization.models import Change, Decision, LocalizationJob
from tests.browser.pages import no_horizontal_scroll, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def localization_demo(transactional_db: None) -> None:
    from edubridge.accounts import demo as accounts_demo
    from edubridge.accounts.models import User
    from edubridge.catalogue import demo as catalogue_demo
    from edubridge.localization import demo

    if not User.objects.filter(username="localizer").exists():
        accounts_demo.load(lambda _label: None)
    catalogue_demo.load(lambda _label: None)
    demo.load(lambda _label: None)


def test_review_at_360_px_and_accepting_a_change(
    chromium: Any, live_server: Any, localization_demo: None, artifacts_dir: Path
) -> None:
    job = LocalizationJob.objects.get(target_locale="id-ID", grade=4)
    change = (
        Change.objects.filter(item__job=job, decision=Decision.PENDING, kind="price")
        .select_related("item")
        .order_by("item__position", "position")
        .first()
    )
    assert change is not None
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    sign_in(page, "localizer")
    page.goto(f"/localization/jobs/{job.pk}/")
    assert page.locator("#job-progress").inner_text() == f"{job.total}/{job.total}"
    no_horizontal_scroll(page)
    page.goto(f"/localization/jobs/{job.pk}/items/{change.item.position}/")
    assert page.locator("mark").count() >= 2
    no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts_dir / "localization-review-phone-360.png"), full_page=True)
    card = page.locator(f"#change-{change.pk}")
    card.locator("button[value=accept]").click()
    page.wait_for_load_state()
    assert "Accepted" in page.locator(f"#change-{change.pk} .decision").inner_text()
    change.refresh_from_db()
    assert change.decision == Decision.ACCEPTED
    assert change.reviewer is not None
    assert change.reviewer.username == "localizer"
    no_horizontal_scroll(page)
    page.goto("/localization/packs/id-ID/")
    no_horizontal_scroll(page)
    context.close()
