"""Back office of the secretariat (read-mostly: writes go through the pages and services)."""

from django.contrib import admin

from edubridge.accounts.admin import RoleGatedAdmin
from edubridge.accounts.roles import Role
from edubridge.secretariat.models import (
    ActionItem,
    Meeting,
    MeetingSeries,
    Member,
    MemberKey,
    MembershipApplication,
    Release,
)


class SecretariatAdmin(RoleGatedAdmin):
    # Read-only: every write goes through services (validation, audit, signatures).
    edit_roles: frozenset[Role] = frozenset()
    view_roles = frozenset({Role.SECRETARIAT, Role.NODE_ADMIN})


@admin.register(Member)
class MemberAdmin(SecretariatAdmin):
    list_display = ("organization", "status", "joined_on", "hosted_on_this_node")
    list_filter = ("status",)


@admin.register(MemberKey)
class MemberKeyAdmin(SecretariatAdmin):
    list_display = ("member", "public_key", "created_at", "retired_at", "revoked_at")
    readonly_fields = ("public_key",)


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(SecretariatAdmin):
    list_display = ("organization", "status", "submitted_at")


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(SecretariatAdmin):
    list_display = ("name", "recurrence")


@admin.register(Meeting)
class MeetingAdmin(SecretariatAdmin):
    list_display = ("title", "starts_at", "time_zone", "room", "minutes_status")


@admin.register(ActionItem)
class ActionItemAdmin(SecretariatAdmin):
    list_display = ("title", "owner", "due_on", "status")
    list_filter = ("status",)


@admin.register(Release)
class ReleaseAdmin(SecretariatAdmin):
    list_display = ("title", "status", "threshold", "published_at")
    readonly_fields = ("statement",)
