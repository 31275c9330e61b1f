"""The node shell in a real Chromium: every demo role signs in and sees its home page; Arabic is
right to left; the phone-width layout does not overflow. Screenshots are kept in test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from edubridge.accounts.demo import USERS
from edubridge.accounts.roles import ROLE_CAPABILITIES, Role
from tests.browser.pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_network")]


@pytest.fixture
def page(
    chromium: Any, live_server: Any, transactional_db: None, demo_network: None
) -> Iterator[Any]:
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.mark.parametrize(("username", "role"), [(u, r) for u, r, *_ in USERS if u != "steward2"])
def test_each_demo_role_signs_in_and_sees_its_home(page: Any, username: str, role: Role) -> None:
    sign_in(page, username)
    section = page.locator(f'section[data-role="{role.value}"]')
    assert section.is_visible()
    assert section.locator("li.card").count() == len(ROLE_CAPABILITIES[role])


def test_switching_to_arabic_makes_the_page_right_to_left(page: Any, artifacts_dir: Path) -> None:
    sign_in(page, "localizer")
    page.select_option("#language-select", "ar")
    page.click(".language-switcher button")
    page.wait_for_load_state()
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] > 1280 / 2, "the brand sits at the right edge in a right-to-left layout"
    page.screenshot(path=str(artifacts_dir / "home-arabic-rtl.png"), full_page=True)


def test_phone_width_layout_has_no_horizontal_scroll(
    chromium: Any, live_server: Any, demo_network: None, artifacts_dir: Path
) -> None:
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    sign_in(page, "steward")
    for path in ("/", "/data-classes/", "/node/"):
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px"
    page.goto("/")
    page.screenshot(path=str(artifacts_dir / "home-phone-360.png"), full_page=True)
    context.close()


def test_the_shell_is_keyboard_navigable(page: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('main') !== null")
    assert focused, "after the skip link, focus moves into the main content"


def test_api_documentation_renders_under_the_content_security_policy(page: Any) -> None:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto("/api/docs")
    page.wait_for_selector(".opblock", timeout=20000)
    assert page.locator(".opblock").count() >= 4
    assert not [e for e in errors if "Content Security Policy" in e]
