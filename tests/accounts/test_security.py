"""Security defaults: argon2, CSRF, a content security policy, audited sign-ins, login throttling."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from edubridge.accounts.demo import DEMO_PASSWORD
from edubridge.accounts.models import User
from edubridge.core.models import AuditEvent

pytestmark = pytest.mark.usefixtures("demo_network")


def test_passwords_are_hashed_with_argon2() -> None:
    assert User.objects.get(username="learner").password.startswith("argon2")


def test_pages_carry_a_content_security_policy() -> None:
    policy = Client().get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_forms_require_a_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "learner", "password": DEMO_PASSWORD})
    assert response.status_code == 403


def test_sign_in_and_failed_sign_in_are_audited() -> None:
    client = Client()
    client.post("/accounts/login/", {"username": "learner", "password": "wrong-password"})
    client.post("/accounts/login/", {"username": "learner", "password": DEMO_PASSWORD})
    actions = list(AuditEvent.objects.filter(target="learner").values_list("action", flat=True))
    assert "auth.login_failed" in actions
    assert "auth.login" in actions


def test_repeated_failures_lock_the_account_even_with_the_right_password() -> None:
    client = Client(REMOTE_ADDR="10.9.8.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "teacher", "password": "not-it"})
    response = client.post("/accounts/login/", {"username": "teacher", "password": DEMO_PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_cookies_are_http_only_and_secure_outside_debug() -> None:
    assert settings.SESSION_COOKIE_HTTPONLY
    assert not settings.DEBUG
    assert settings.SESSION_COOKIE_SECURE
    assert settings.CSRF_COOKIE_SECURE
