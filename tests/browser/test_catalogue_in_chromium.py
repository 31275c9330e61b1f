"""Catalogue pages in a real Chromium: search, item, bank and framework pages fit a 360 px phone;
a publisher imports a bank through the form, reads the report, fixes a bad file and publishes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from edubridge.catalogue.demo_data import frameworks
from edubridge.catalogue.models import Bank, Framework
from tests.browser.pages import no_horizontal_scroll, sign_in
from tests.catalogue.helpers import json_bank

pytestmark = pytest.mark.browser
ZH = "zh-math-g3-5-everyday"


@pytest.fixture
def catalogue_demo(transactional_db: None) -> None:
    from edubridge.accounts import demo as accounts_demo
    from edubridge.accounts.models import User
    from edubridge.catalogue import demo

    if not User.objects.filter(username="publisher").exists():
        accounts_demo.load(lambda _label: None)
    demo.load(lambda _label: None)


def test_catalogue_pages_fit_a_phone(
    chromium: Any, live_server: Any, catalogue_demo: None, artifacts_dir: Path
) -> None:
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    sign_in(page, "publisher")
    page.goto("/catalogue/")
    page.fill("#q", "月饼")
    page.click("form[role=search] button[type=submit]")
    assert page.locator("ol.results li").count() >= 5
    no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts_dir / "catalogue-search-phone-360.png"), full_page=True)
    page.locator("ol.results li a").first.click()
    assert page.locator("text=Suggested standards").is_visible()
    no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts_dir / "catalogue-item-phone-360.png"), full_page=True)
    page.goto(f"/catalogue/banks/{ZH}/")
    no_horizontal_scroll(page)
    cn = Framework.objects.get(identifier=frameworks.identifier("cn-math-2022"))
    page.goto(f"/catalogue/frameworks/{cn.pk}/")
    assert page.locator("text=exactMatchOf").first.is_visible()
    no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts_dir / "catalogue-framework-phone-360.png"), full_page=True)
    context.close()


def test_a_publisher_imports_fixes_and_publishes(
    chromium: Any, live_server: Any, catalogue_demo: None, tmp_path: Path
) -> None:
    context = chromium.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in(page, "publisher")
    page.goto("/catalogue/banks/")
    page.click("text=Import an item bank")
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"format": "edubridge-bank/1", "items": [{"id": "x"}]}')
    page.set_input_files("#file", str(bad))
    page.click("form.stack button[type=submit]")
    assert page.locator("text=Nothing was imported.").is_visible()
    assert "$.items[0]" in page.locator("[role=alert]").inner_text()
    good = tmp_path / "good.json"
    good.write_bytes(json_bank("browser-bank"))
    page.set_input_files("#file", str(good))
    page.click("form.stack button[type=submit]")
    assert page.locator("text=2 items imported.").is_visible()
    page.click("form button:has-text('Publish')")
    page.wait_for_load_state()
    assert Bank.objects.get(slug="browser-bank").status == "published"
    context.close()
