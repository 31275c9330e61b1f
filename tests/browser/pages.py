"""Steps that every browser test takes: signing in as a demo user, checking a page fits a phone."""

from __future__ import annotations

from typing import Any

from edubridge.accounts.demo import DEMO_PASSWORD


def sign_in(page: Any, username: str) -> None:
    """Sign in through the real login form as one of the demo users."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/")


def no_horizontal_scroll(page: Any) -> None:
    """The page is no wider than the viewport (nothing to scroll sideways on a phone)."""
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
