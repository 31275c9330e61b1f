"""Governance pages in a real Chromium: the policies page and an export's page fit a phone, and
two data stewards take an export from request to release with forms only (no JavaScript)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from edubridge.exchange.demo import MATCHED_PROGRAMME
from edubridge.exchange.models import Programme
from edubridge.governance.bias import bias_audit
from edubridge.governance.models import Export, ExportStatus
from edubridge.governance.services import export_build, model_card_store
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def full_demo(transactional_db: None) -> None:
    if not Programme.objects.filter(name=MATCHED_PROGRAMME).exists():
        call_command("demo", quiet_logins=True, no_background=True, stdout=StringIO())


def _overflow(page: Any) -> int:
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


def test_governance_pages_fit_a_phone(
    chromium: Any, live_server: Any, full_demo: None, artifacts_dir: Path
) -> None:
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    sign_in(page, "steward")
    released = Export.objects.filter(status=ExportStatus.RELEASED).first()
    assert released is not None
    rows = [
        {"g": g, "y_true": i % 2, "y_score": ((i * 37) % 100) / 100}
        for i, g in enumerate(["a"] * 200 + ["b"] * 120 + ["tiny"] * 5)
    ]
    model_card_store(
        name="browser-check",
        version="1.0",
        intended_use="checking the page layout",
        training_data="synthetic rows",
        metrics={"auc": 0.5},
        metrics_by_group={},
        limits=["synthetic"],
        ethical_considerations="none",
        bias_audit=bias_audit(rows, attributes=["g"], n_boot=20),
    )
    for path, name in (
        ("/governance/", "policies"),
        ("/governance/check/", "check"),
        ("/governance/exports/", "exports"),
        (f"/governance/exports/{released.pk}/", "export"),
        ("/governance/budgets/", "budgets"),
        ("/governance/registry/", "registry"),
        ("/governance/model-cards/", "model-cards"),
        ("/governance/model-cards/browser-check/1.0/", "model-card"),
    ):
        page.goto(path)
        assert _overflow(page) <= 0, path
        page.screenshot(
            path=str(artifacts_dir / f"governance-{name}-phone-360.png"), full_page=True
        )
    context.close()


def test_two_stewards_take_an_export_to_release_without_javascript(
    chromium: Any, live_server: Any, full_demo: None
) -> None:
    author = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = author.new_page()
    sign_in(page, "steward")
    page.goto("/governance/exports/new/")
    page.select_option("#dataset", "exchange-participations")
    page.select_option("#jurisdiction", "EU")
    page.fill("#destination", "BR")
    page.select_option("#purpose", "research")
    page.fill("#k", "5")
    page.fill("#l", "2")
    page.click("text=Check the policy and build")
    assert "example-eu-gdpr@2026.1#" in page.locator("p.error").inner_text()
    page.fill("#destination", "GB")
    page.click("text=Check the policy and build")
    page.wait_for_url("**/governance/exports/*/")
    export = Export.objects.latest("created_at")
    export_build(export.pk)  # what the worker does
    page.reload()
    assert "second data steward must approve" in page.content()
    author.close()
    second = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = second.new_page()
    sign_in(page, "steward2")
    page.goto(f"/governance/exports/{export.pk}/")
    page.check("input[name=confirm_conditions]")
    page.click("button:has-text('Approve')")
    page.click("button:has-text('Release')")
    assert page.locator("#export-status").inner_text().startswith("Released")
    with page.expect_download() as download:
        page.click("text=Download the file")
    assert download.value.suggested_filename.endswith(".csv")
    second.close()
