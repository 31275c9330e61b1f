"""Back-office views of teacher training for node administrators, coordinators and the secretariat."""

from django.contrib import admin

from edubridge.accounts.admin import RoleGatedAdmin
from edubridge.accounts.roles import Role
from edubridge.training.models import Cohort, Competency, Framework, IssuedCredential, Programme


class TrainingAdmin(RoleGatedAdmin):
    edit_roles = frozenset({Role.NODE_ADMIN, Role.TRAINING_COORDINATOR})
    view_roles = frozenset({Role.SECRETARIAT})


@admin.register(Framework)
class FrameworkAdmin(TrainingAdmin):
    list_display = ("title", "version", "publisher")


@admin.register(Competency)
class CompetencyAdmin(TrainingAdmin):
    list_display = ("code", "dimension", "level", "title")
    list_filter = ("framework", "level")


@admin.register(Programme)
class ProgrammeAdmin(TrainingAdmin):
    list_display = ("name", "language", "hours", "trains_trainers")


@admin.register(Cohort)
class CohortAdmin(TrainingAdmin):
    list_display = ("name", "programme", "centre", "generation", "starts_on")


@admin.register(IssuedCredential)
class IssuedCredentialAdmin(TrainingAdmin):
    list_display = ("id", "issued_at", "revoked_at")
    readonly_fields = ("document",)
