"""Back-office view of localization jobs for node administrators (read-only for the secretariat);
decisions are made on the review pages, where the engine re-checks every edit."""

from django.contrib import admin

from edubridge.accounts.admin import RoleGatedAdmin
from edubridge.accounts.roles import Role
from edubridge.localization.models import LocalizationJob


@admin.register(LocalizationJob)
class LocalizationJobAdmin(RoleGatedAdmin):
    edit_roles = frozenset({Role.NODE_ADMIN})
    view_roles = frozenset({Role.SECRETARIAT})
    list_display = ("bank", "target_locale", "grade", "pack_version", "status", "done", "total")
    list_filter = ("target_locale", "status")
