"""Back-office views of exchange programmes for node administrators and the secretariat."""

from django.contrib import admin

from edubridge.accounts.admin import RoleGatedAdmin
from edubridge.accounts.roles import Role
from edubridge.exchange.models import MatchRun, Place, Programme


class ExchangeAdmin(RoleGatedAdmin):
    edit_roles = frozenset({Role.NODE_ADMIN, Role.EXCHANGE_COORDINATOR})
    view_roles = frozenset({Role.SECRETARIAT})


@admin.register(Programme)
class ProgrammeAdmin(ExchangeAdmin):
    list_display = ("name", "start_year", "end_year", "target_total", "status")


@admin.register(Place)
class PlaceAdmin(ExchangeAdmin):
    list_display = ("code", "programme", "host", "title", "year", "capacity")
    list_filter = ("programme", "year", "field")


@admin.register(MatchRun)
class MatchRunAdmin(ExchangeAdmin):
    list_display = ("programme", "round", "seed", "matched", "unmatched", "run_at")
