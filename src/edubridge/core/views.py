"""Pages of the node shell: home per role, profile, data classes, audit log, API keys, descriptor."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from edubridge.accounts.access import require_permission
from edubridge.accounts.models import User
from edubridge.accounts.roles import ROLE_CAPABILITIES, ROLE_LABELS, Permission
from edubridge.accounts.selectors import api_keys_of, user_roles
from edubridge.accounts.services import api_key_create, api_key_revoke
from edubridge.core.data_classes import registry
from edubridge.core.descriptor import node_descriptor
from edubridge.core.models import AuditEvent


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "edubridge/welcome.html")
    sections = [
        {"role": role.value, "label": ROLE_LABELS[role], "capabilities": ROLE_CAPABILITIES[role]}
        for role in user_roles(request.user)
    ]
    return render(request, "edubridge/home.html", {"sections": sections})


@login_required
@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    roles = [ROLE_LABELS[r] for r in user_roles(user)]
    return render(request, "edubridge/profile.html", {"profile_user": user, "roles": roles})


@require_GET
def well_known(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(
        node_descriptor(), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Access-Control-Allow-Origin"] = "*"  # partners' browsers and harvesters may fetch it
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def node_descriptor_page(request: HttpRequest) -> HttpResponse:
    return render(request, "edubridge/node.html", {"descriptor": node_descriptor()})


@require_permission(Permission.VIEW_DATA_CLASSES)
@require_GET
def data_classes(request: HttpRequest) -> HttpResponse:
    rows = sorted(registry(), key=lambda r: (r.model, r.field))
    return render(request, "edubridge/data_classes.html", {"rows": rows})


@require_permission(Permission.VIEW_AUDIT_LOG)
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    events = AuditEvent.objects.select_related(None).only(
        "occurred_at", "action", "actor_label", "target", "ip_address"
    )
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "edubridge/audit_log.html", {"page": page, "action": action})


@require_permission(Permission.MANAGE_API_KEYS)
@require_http_methods(["GET", "POST"])
def api_keys(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    issued = None
    error = ""
    if request.method == "POST":
        if "revoke" in request.POST:
            key = api_keys_of(owner=user).filter(id=request.POST["revoke"]).first()
            if key is None:
                error = "That key does not exist or is not yours."
            else:
                api_key_revoke(key_id=key.id, by=user, request=request)
        else:
            name = request.POST.get("name", "").strip()
            if not name or len(name) > 100:
                error = "Give the key a name of 1 to 100 characters."
            else:
                issued = api_key_create(owner=user, name=name, request=request)
    return render(
        request,
        "edubridge/api_keys.html",
        {"keys": api_keys_of(owner=user), "issued": issued, "error": error},
        status=400 if error else 200,
    )
