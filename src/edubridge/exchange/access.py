"""Who may see and change what in an exchange programme."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from edubridge.accounts.roles import Permission
from edubridge.accounts.selectors import user_has_permission
from edubridge.exchange.models import Programme


def can_coordinate(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user_has_permission(user, Permission.RUN_EXCHANGE)


def access_programme(
    *, user: AbstractBaseUser | AnonymousUser, programme_id: object, coordinate: bool = False
) -> Programme:
    """Fetch a programme; coordinating it (places, scores, match, progress) needs the coordinator role."""
    programme = get_object_or_404(Programme.objects.select_related("coordinator"), pk=programme_id)
    if coordinate and not can_coordinate(user):
        raise PermissionDenied("Only exchange coordinators manage a programme.")
    return programme
