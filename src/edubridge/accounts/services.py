"""Writes for accounts: every change to people, roles and API keys goes through these functions."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from edubridge.accounts.models import ApiKey, Organization, OrganizationType, RoleAssignment, User
from edubridge.accounts.roles import ADMIN_ROLES, Role
from edubridge.core.audit import audit_record


def organization_ensure(
    *, name: str, country: str, type: OrganizationType | str, website: str = ""
) -> tuple[Organization, bool]:
    """Create an organization or return the existing one with that name (idempotent)."""
    country = country.upper()
    org, created = Organization.objects.get_or_create(
        name=name, defaults={"country": country, "type": str(type), "website": website}
    )
    return org, created


def _sync_staff_flag(user: User) -> None:
    roles = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    should_be_staff = user.is_superuser or bool(roles & {r.value for r in ADMIN_ROLES})
    if user.is_staff != should_be_staff:
        user.is_staff = should_be_staff
        user.save(update_fields=["is_staff"])


@transaction.atomic
def role_grant(
    *, user: User, role: Role, by: User | None = None, request: HttpRequest | None = None
) -> RoleAssignment:
    """Give a person a role (no-op if held); audited, and back-office access kept in step."""
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role.value, defaults={"granted_by": by}
    )
    if created:
        audit_record(
            action="role.granted",
            actor=by,
            target=user.get_username(),
            request=request,
            details={"role": role.value},
        )
    _sync_staff_flag(user)
    return assignment


@transaction.atomic
def role_revoke(
    *, user: User, role: Role, by: User | None = None, request: HttpRequest | None = None
) -> bool:
    deleted, _ = RoleAssignment.objects.filter(user=user, role=role.value).delete()
    if deleted:
        audit_record(
            action="role.revoked",
            actor=by,
            target=user.get_username(),
            request=request,
            details={"role": role.value},
        )
    _sync_staff_flag(user)
    return bool(deleted)


@transaction.atomic
def user_ensure(
    *,
    username: str,
    password: str,
    roles: list[Role],
    organization: Organization | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    preferred_language: str = "",
    is_minor: bool = False,
    by: User | None = None,
    password_hash: str = "",
) -> tuple[User, bool]:
    """Create a person with roles, or bring an existing one's roles up to date (idempotent)."""
    user = User.objects.filter(username=username).first()
    created = user is None
    if user is None:
        user = User(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=email,
            organization=organization,
            preferred_language=preferred_language,
            is_minor=is_minor,
        )
        if password_hash:
            user.password = password_hash
        else:
            user.set_password(password)
        user.save()
        audit_record(action="user.created", actor=by, target=username)
    for role in roles:
        role_grant(user=user, role=role, by=by)
    return user, created


@dataclass(frozen=True)
class IssuedApiKey:
    """The only moment the full key exists outside the client: shown once, then only its hash."""

    key: ApiKey
    plaintext: str


def _hash_secret(secret: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), secret.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def api_key_create(*, owner: User, name: str, request: HttpRequest | None = None) -> IssuedApiKey:
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        owner=owner, name=name, prefix=prefix, hashed_secret=_hash_secret(secret)
    )
    audit_record(
        action="api_key.created", actor=owner, target=f"{name} ({prefix})", request=request
    )
    return IssuedApiKey(key=key, plaintext=f"eb_{prefix}_{secret}")


@transaction.atomic
def api_key_revoke(*, key_id: Any, by: User, request: HttpRequest | None = None) -> ApiKey:
    key = ApiKey.objects.select_for_update().get(id=key_id)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit_record(
            action="api_key.revoked", actor=by, target=f"{key.name} ({key.prefix})", request=request
        )
    return key


LAST_USED_PRECISION = timedelta(minutes=1)


def api_key_authenticate(plaintext: str) -> User | None:
    """Return the active owner of a presented key, or None; constant-time comparison."""
    parts = plaintext.split("_", 2)
    if len(parts) != 3 or parts[0] != "eb":
        return None
    # The owner's roles come in the same query (one row per role, outer join), so the
    # permission check that follows every API request costs no second round trip.
    rows = list(
        ApiKey.objects.select_related("owner")
        .filter(prefix=parts[1], revoked_at__isnull=True)
        .annotate(held_role=F("owner__role_assignments__role"))
        .order_by()
    )
    key = rows[0] if rows else None
    if key is None or not hmac.compare_digest(key.hashed_secret, _hash_secret(parts[2])):
        return None
    if not key.owner.is_active:
        return None
    held = {row.held_role for row in rows if row.held_role}
    key.owner._edubridge_roles = [role for role in Role if role.value in held]
    now = timezone.now()
    # A write on every request would take SQLite's write lock for each GET; minute precision is
    # what "last used" needs.
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    owner: User = key.owner
    return owner
