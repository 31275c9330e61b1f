"""Read-only back-office views of the node identity and the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from edubridge.accounts.admin import RoleGatedAdmin
from edubridge.accounts.roles import Role
from edubridge.core.models import AuditEvent, NodeIdentity

admin.site.site_header = "EduBridge back office"
admin.site.site_title = "EduBridge"


class ReadOnlyAdmin(RoleGatedAdmin):
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    view_roles = frozenset({Role.NODE_ADMIN, Role.SECRETARIAT})
    list_display = ("occurred_at", "action", "actor_label", "target", "ip_address")
    list_filter = ("action",)
    search_fields = ("actor_label", "target")


@admin.register(NodeIdentity)
class NodeIdentityAdmin(ReadOnlyAdmin):
    view_roles = frozenset({Role.NODE_ADMIN, Role.SECRETARIAT})
    list_display = ("node_id", "key_fingerprint", "created_at")
