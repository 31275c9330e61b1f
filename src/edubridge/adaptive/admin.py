"""Back office: node administrators create classes (teacher, learners, bank) and see fitted models."""

from django.contrib import admin

from edubridge.accounts.admin import RoleGatedAdmin
from edubridge.accounts.roles import Role
from edubridge.adaptive.models import Classroom, FittedModel, Skill


class AdaptiveAdmin(RoleGatedAdmin):
    edit_roles = frozenset({Role.NODE_ADMIN})
    view_roles = frozenset({Role.SECRETARIAT})


@admin.register(Classroom)
class ClassroomAdmin(AdaptiveAdmin):
    list_display = ("name", "teacher", "bank", "created_at")
    filter_horizontal = ("learners",)
    raw_id_fields = ("teacher",)


@admin.register(Skill)
class SkillAdmin(AdaptiveAdmin):
    list_display = ("pk", "code", "label", "identifier")
    search_fields = ("code", "label", "identifier")


@admin.register(FittedModel)
class FittedModelAdmin(AdaptiveAdmin):
    list_display = ("name", "version", "n_responses", "source", "fitted_at")
    exclude = ("parameters",)
