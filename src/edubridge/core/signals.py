"""Receivers: create the node identity after migrating; audit sign-ins and sign-outs."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_migrate
from django.dispatch import receiver
from django.http import HttpRequest

from edubridge.core.audit import audit_record


@receiver(post_migrate)
def _identity_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    if sender.label != "core":
        return
    from edubridge.core.identity import node_identity_ensure

    node_identity_ensure()


@receiver(user_logged_in)
def _audit_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(action="auth.login", actor=user, target=user.get_username(), request=request)


@receiver(user_logged_out)
def _audit_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action="auth.logout", actor=user, target=user.get_username(), request=request)


@receiver(user_login_failed)
def _audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    audit_record(
        action="auth.login_failed",
        target=str(credentials.get("username", ""))[:150],
        request=request,
    )
