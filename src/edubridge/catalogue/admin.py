"""Back-office views of the catalogue for node administrators and publishers."""

from django.contrib import admin

from edubridge.accounts.admin import RoleGatedAdmin
from edubridge.accounts.roles import Role
from edubridge.catalogue.models import Bank, Framework


class CatalogueAdmin(RoleGatedAdmin):
    edit_roles = frozenset({Role.NODE_ADMIN})
    view_roles = frozenset({Role.SECRETARIAT, Role.PUBLISHER})


@admin.register(Bank)
class BankAdmin(CatalogueAdmin):
    list_display = ("slug", "title", "language", "licence", "data_class", "status", "version")
    list_filter = ("status", "language")
    readonly_fields = ("created_by",)


@admin.register(Framework)
class FrameworkAdmin(CatalogueAdmin):
    list_display = ("title", "language", "creator", "source_version")
    exclude = ("package",)
