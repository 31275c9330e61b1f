"""Who may see and act on governance: data stewards and node administrators read; only data
stewards build, approve and release exports."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from edubridge.accounts.roles import Permission
from edubridge.accounts.selectors import user_has_permission

VIEW = Permission.VIEW_DATA_CLASSES
ACT = Permission.APPROVE_EXPORTS


def can_view(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user_has_permission(user, VIEW) or user_has_permission(user, ACT)


def can_act(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user_has_permission(user, ACT)
