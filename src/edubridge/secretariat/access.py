"""Who may do what in the secretariat: the one place the checks live."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from edubridge.accounts.roles import Permission
from edubridge.accounts.selectors import user_has_permission


def can_run(user: AbstractBaseUser | AnonymousUser) -> bool:
    """The secretariat runs the registry, meetings and releases."""
    return user_has_permission(user, Permission.RUN_SECRETARIAT)


def require_run(user: AbstractBaseUser | AnonymousUser) -> None:
    if not can_run(user):
        raise PermissionDenied("Only the secretariat does this.")
