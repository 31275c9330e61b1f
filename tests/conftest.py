"""Shared fixtures: the demo network, and a real Chromium driven by Playwright."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by fixtures in
# that same thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> None:
    """Load the demo network once into the test database; each test rolls back its own changes."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        call_command("demo", quiet_logins=True, no_background=True, stdout=io.StringIO())


@pytest.fixture
def demo_network(db: None) -> None:
    """The demo network; reloaded when a transactional (browser) test has flushed the database."""
    from edubridge.accounts.models import User

    if not User.objects.filter(username="admin").exists():
        # Only the people and organizations: enough for page tests, and quick after each flush.
        from edubridge.accounts import demo

        demo.load(lambda _label: None)


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """One headless Debian Chromium for the session; never a downloaded browser."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Debian's chromium is missing; `make test` installs it (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
