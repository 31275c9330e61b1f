"""Who may see and change what in the catalogue: anyone reads published banks; publishers
import, edit, align and publish."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from edubridge.accounts.roles import Permission
from edubridge.accounts.selectors import user_has_permission
from edubridge.catalogue.models import Bank, BankStatus, Item

User = AbstractBaseUser | AnonymousUser


def can_publish(user: User) -> bool:
    return user_has_permission(user, Permission.PUBLISH_RESOURCES)


def access_bank(*, user: User, slug: str, edit: bool = False) -> Bank:
    """A bank; drafts and every change need the publisher role (drafts are hidden as 404)."""
    bank = get_object_or_404(Bank.objects.select_related("author_organization"), slug=slug)
    publishing = can_publish(user)
    if bank.status != BankStatus.PUBLISHED and not publishing:
        raise Http404("No published bank with that identifier.")
    if edit and not publishing:
        raise PermissionDenied("Only publishers change catalogue resources.")
    return bank


def access_item(*, user: User, slug: str, identifier: str, edit: bool = False) -> Item:
    bank = access_bank(user=user, slug=slug, edit=edit)
    return get_object_or_404(Item.objects.select_related("bank"), bank=bank, identifier=identifier)
