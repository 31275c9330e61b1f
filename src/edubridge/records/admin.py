"""Back office: node administrators see xAPI credentials and stored statements (read-only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from edubridge.accounts.admin import RoleGatedAdmin
from edubridge.accounts.roles import Role
from edubridge.records.models import Statement, XapiCredential


@admin.register(XapiCredential)
class XapiCredentialAdmin(RoleGatedAdmin):
    """Credentials are issued on /xapi/credentials/ (the secret is shown once); here only listed."""

    list_display = ("name", "key", "scopes", "owner", "created_at", "revoked_at")
    readonly_fields = ("name", "key", "scopes", "owner", "created_at", "revoked_at")
    exclude = ("hashed_secret",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Statement)
class StatementAdmin(RoleGatedAdmin):
    """Statements never change once stored: the back office may only look."""

    view_roles = frozenset({Role.NODE_ADMIN, Role.DATA_STEWARD})
    edit_roles: frozenset[Role] = frozenset()
    list_display = ("statement_id", "verb_id", "stored", "voided", "about_minor")
    list_filter = ("voided", "about_minor")
    search_fields = ("=statement_id",)
    readonly_fields = (
        "statement_id",
        "payload",
        "verb_id",
        "actor_key",
        "object_id",
        "registration",
        "target_id",
        "stored",
        "voided",
        "credential",
        "about_minor",
    )
