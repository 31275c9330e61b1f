"""Record security-relevant events. Every write to the audit log goes through audit_record()."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from edubridge.accounts.models import User
from edubridge.core.models import AuditEvent

_SECRET_KEYS = frozenset({"password", "secret", "token", "key", "private_key"})


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    action: str,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    target: str = "",
    request: HttpRequest | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event; refuses details that look like secrets so they never reach the log."""
    clean = dict(details or {})
    leaked = sorted(k for k in clean if k.lower() in _SECRET_KEYS)
    if leaked:
        raise ValueError(f"audit details must not carry secrets: {', '.join(leaked)}")
    user = actor if isinstance(actor, User) and actor.is_authenticated else None
    return AuditEvent.objects.create(
        action=action,
        actor=user,
        actor_label=user.get_username() if user is not None else "",
        target=target[:200],
        ip_address=_client_ip(request),
        details=clean,
    )
