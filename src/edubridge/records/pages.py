"""The credentials page: node administrators and integrators issue xAPI Basic credentials."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from edubridge.accounts.access import require_permission
from edubridge.accounts.models import User
from edubridge.accounts.roles import Permission
from edubridge.records.data import Scope
from edubridge.records.models import XapiCredential
from edubridge.records.services import credential_create, credential_revoke


@require_permission(Permission.MANAGE_API_KEYS)
@require_http_methods(["GET", "POST"])
def credentials(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    issued = None
    error = ""
    mine = XapiCredential.objects.filter(owner=user)
    if request.method == "POST":
        if "revoke" in request.POST:
            credential = mine.filter(id=request.POST["revoke"]).first()
            if credential is None:
                error = _("That credential does not exist or is not yours.")
            else:
                credential_revoke(credential_id=credential.id, by=user)
        else:
            name = request.POST.get("name", "").strip()
            scopes = request.POST.getlist("scope") or [Scope.ALL.value]
            if not name or len(name) > 100:
                error = _("Give the credential a name of 1 to 100 characters.")
            elif set(scopes) - {s.value for s in Scope}:
                error = _("Choose scopes from the list.")
            else:
                issued = credential_create(name=name, scopes=scopes, owner=user)
    return render(
        request,
        "records/credentials.html",
        {"credentials": mine, "issued": issued, "error": error, "scopes": list(Scope)},
        status=400 if error else 200,
    )
