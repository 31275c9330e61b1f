"""Back-office views of governance records: read-only, since exports change only through the
policy-checked workflow (request, build, second-steward approval, release)."""

from django.contrib import admin

from edubridge.accounts.admin import RoleGatedAdmin
from edubridge.accounts.roles import Role
from edubridge.governance.models import BudgetCharge, Export, ModelCard, PrivacyBudget


class GovernanceAdmin(RoleGatedAdmin):
    edit_roles: frozenset[Role] = frozenset()
    view_roles = frozenset({Role.NODE_ADMIN})


@admin.register(Export)
class ExportAdmin(GovernanceAdmin):
    list_display = ("created_at", "dataset", "kind", "destination", "purpose", "status", "author")
    list_filter = ("status", "dataset", "destination")


@admin.register(PrivacyBudget)
class PrivacyBudgetAdmin(GovernanceAdmin):
    list_display = ("dataset", "total_epsilon")


@admin.register(BudgetCharge)
class BudgetChargeAdmin(GovernanceAdmin):
    list_display = ("at", "budget", "label", "epsilon", "mechanism")


@admin.register(ModelCard)
class ModelCardAdmin(GovernanceAdmin):
    list_display = ("name", "version", "updated_at")
