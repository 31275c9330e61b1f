"""Reads for accounts."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from edubridge.accounts.models import ApiKey, User
from edubridge.accounts.roles import ROLE_PERMISSIONS, Permission, Role


def user_roles(user: AbstractBaseUser | AnonymousUser) -> list[Role]:
    """The roles a person holds, in the canonical order; cached on the user object per request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached: list[Role] | None = getattr(user, "_edubridge_roles", None)
    if cached is None:
        held = set(user.role_assignments.values_list("role", flat=True))  # type: ignore[union-attr]
        cached = [role for role in Role if role.value in held]
        user._edubridge_roles = cached  # type: ignore[union-attr]
    return cached


def user_has_permission(user: AbstractBaseUser | AnonymousUser, permission: Permission) -> bool:
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return any(permission in ROLE_PERMISSIONS[role] for role in user_roles(user))


def api_keys_of(*, owner: User) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(owner=owner).order_by("-created_at")
