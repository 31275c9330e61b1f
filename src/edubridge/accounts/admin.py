"""Back office for node administrators and the secretariat; access follows roles, not Django groups."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.http import HttpRequest

from edubridge.accounts.models import ApiKey, Organization, RoleAssignment, User
from edubridge.accounts.roles import Role
from edubridge.accounts.selectors import user_roles


class RoleGatedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Grant view/edit by role: ``edit_roles`` may change rows, ``view_roles`` may only look."""

    edit_roles: frozenset[Role] = frozenset({Role.NODE_ADMIN})
    view_roles: frozenset[Role] = frozenset()

    def _roles(self, request: HttpRequest) -> set[Role]:
        return set(user_roles(request.user))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or bool(
            self._roles(request) & (self.edit_roles | self.view_roles)
        )

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser or bool(self._roles(request) & self.edit_roles)

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


@admin.register(Organization)
class OrganizationAdmin(RoleGatedAdmin):
    edit_roles = frozenset({Role.NODE_ADMIN, Role.SECRETARIAT})
    list_display = ("name", "country", "type", "created_at")
    list_filter = ("type", "country")
    search_fields = ("name",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class RoleAssignmentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    readonly_fields = ("granted_by", "granted_at")


@admin.register(User)
class UserAdmin(RoleGatedAdmin, DjangoUserAdmin):  # type: ignore[type-arg]
    view_roles = frozenset({Role.SECRETARIAT})
    inlines = [RoleAssignmentInline]
    list_display = ("username", "organization", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "organization__country", "role_assignments__role")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("EduBridge", {"fields": ("organization", "preferred_language", "is_minor")}),
    )


@admin.register(ApiKey)
class ApiKeyAdmin(RoleGatedAdmin):
    list_display = ("name", "prefix", "owner", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "hashed_secret", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # keys are issued on the API keys page, where the secret is shown once
