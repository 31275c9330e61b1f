"""Pages for data stewards: policies, the registry, the policy check, exports with their approval
trail, privacy budgets, bias audits and model cards. Forms work without JavaScript."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from edubridge.accounts.access import require_permission
from edubridge.accounts.access import signed_in_user as _user
from edubridge.engines.privacy.policy import Protections, describe_requirement
from edubridge.engines.privacy.policy_schema import DATA_CLASSES
from edubridge.governance import selectors, services
from edubridge.governance.access import ACT, VIEW, can_act, can_view
from edubridge.governance.datasets import dataset_get, datasets
from edubridge.governance.models import Export, ExportKind, ExportStatus, ModelCard
from edubridge.governance.policies import load_policies

PURPOSES = ("research", "statistics", "education", "exchange-administration")


def _int_or_none(value: str | None) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise services.GovernanceError(
            _("%(value)s is not a whole number") % {"value": value}
        ) from exc


def _float(value: str | None, default: float | None) -> float | None:
    value = (value or "").strip()
    if not value:
        return default
    try:
        return float(value)
    except ValueError as exc:
        raise services.GovernanceError(_("%(value)s is not a number") % {"value": value}) from exc


@require_permission(VIEW)
@require_GET
def policies(request: HttpRequest) -> HttpResponse:
    loaded = load_policies()
    policies = [
        {
            "policy": p,
            "groups": {name: sorted(codes) for name, codes in p.groups.items()},
            "rules": [
                {
                    "rule": r,
                    "requires": [describe_requirement(a) for a in r.protections_any_of],
                    "unless": [describe_requirement(a) for a in r.unless_any_of],
                }
                for r in p.rules
            ],
        }
        for p in loaded.policies
    ]
    return render(
        request,
        "governance/policies.html",
        {
            "loaded": loaded,
            "policies": policies,
            "datasets": selectors.dataset_rows(),
            "can_act": can_act(request.user),
        },
    )


@require_permission(VIEW)
@require_GET
def registry(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "governance/registry.html",
        {"models": selectors.registry_by_model(), "datasets": selectors.dataset_rows()},
    )


@require_permission(VIEW)
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    loaded = load_policies()
    decision: dict[str, Any] | None = None
    error = ""
    data = request.POST if request.method == "POST" else request.GET
    if "destination" in data:
        try:
            dataset = dataset_get(data.get("dataset", ""))
            if dataset is not None:
                fields = services.dataset_fields(dataset, dataset.header)
                classes_label = ", ".join(sorted(set(fields.values())))
            else:
                chosen = data.get("data_class", "")
                if chosen not in DATA_CLASSES:
                    raise services.GovernanceError(_("choose a dataset or a data class"))
                fields = {"value": chosen}
                classes_label = chosen
            protections = Protections(
                pseudonymized=bool(data.get("pseudonymized")),
                k=_int_or_none(data.get("k")),
                l=_int_or_none(data.get("l")),
                epsilon=_float(data.get("epsilon"), None),
            )
            decision = services.decision_dict(
                services.policy_check(
                    jurisdiction=data.get("jurisdiction", ""),
                    destination=data.get("destination", ""),
                    purpose=data.get("purpose", ""),
                    fields=fields,
                    protections=protections,
                )
            )
            decision["classes"] = classes_label
        except services.GovernanceError as exc:
            error = str(exc)
    return render(
        request,
        "governance/check.html",
        {
            "loaded": loaded,
            "datasets": datasets(),
            "data_classes": DATA_CLASSES,
            "purposes": PURPOSES,
            "decision": decision,
            "error": error,
            "posted": data,
        },
        status=400 if error else 200,
    )


@require_permission(VIEW)
@require_GET
def export_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "governance/export_list.html",
        {"exports": selectors.exports(), "can_act": can_act(request.user)},
    )


@require_permission(ACT)
@require_http_methods(["GET", "POST"])
def export_new(request: HttpRequest) -> HttpResponse:
    loaded = load_policies()
    error = ""
    if request.method == "POST":
        p = request.POST
        try:
            spec = services.ExportSpec(
                dataset=p.get("dataset", ""),
                jurisdiction=p.get("jurisdiction", ""),
                destination=p.get("destination", ""),
                purpose=p.get("purpose", ""),
                kind=p.get("kind", ExportKind.RECORDS),
                columns=tuple(p.getlist("columns")),
                pseudonymize=bool(p.get("pseudonymize")),
                k=_int_or_none(p.get("k")),
                l=_int_or_none(p.get("l")),
                suppression=_float(p.get("suppression"), 0.0) or 0.0,
                group_by=p.get("group_by", ""),
                epsilon=_float(p.get("epsilon"), None),
                value_column=p.get("value_column", ""),
            )
            export = services.export_request(spec=spec, by=_user(request), request=request)
        except services.GovernanceError as exc:
            error = str(exc)
        else:
            return redirect("governance:export", export_id=export.pk)
    return render(
        request,
        "governance/export_new.html",
        {
            "loaded": loaded,
            "datasets": selectors.dataset_rows(),
            "purposes": PURPOSES,
            "error": error,
            "posted": request.POST,
            "kinds": ExportKind.choices,
        },
        status=400 if error else 200,
    )


@require_permission(VIEW)
@require_GET
def export_detail(request: HttpRequest, export_id: UUID) -> HttpResponse:
    export = get_object_or_404(
        Export.objects.select_related("author", "approved_by", "released_by"), pk=export_id
    )
    response = render(
        request,
        "governance/export_detail.html",
        {
            "export": export,
            "can_act": can_act(request.user),
            "is_author": export.author_id == request.user.pk,
            "manifest_json": json.dumps(export.manifest, indent=2, ensure_ascii=False)
            if export.manifest
            else "",
            "building": export.status == ExportStatus.BUILDING,
            "error": request.GET.get("error", ""),
        },
    )
    if export.status == ExportStatus.BUILDING:
        response["Refresh"] = "3"  # the page follows the background build without JavaScript
    return response


def _act(request: HttpRequest, export_id: UUID, action: str) -> HttpResponse:
    export = get_object_or_404(Export, pk=export_id)
    try:
        if action == "approve":
            services.export_approve(
                export=export,
                by=_user(request),
                confirm_conditions=bool(request.POST.get("confirm_conditions")),
                request=request,
            )
        else:
            services.export_release(export=export, by=_user(request), request=request)
    except services.GovernanceError as exc:
        response = render(
            request,
            "governance/export_detail.html",
            {
                "export": export,
                "can_act": True,
                "is_author": export.author_id == request.user.pk,
                "manifest_json": json.dumps(export.manifest, indent=2, ensure_ascii=False)
                if export.manifest
                else "",
                "error": str(exc),
            },
            status=400,
        )
        return response
    return redirect("governance:export", export_id=export.pk)


@require_permission(ACT)
@require_POST
def export_approve(request: HttpRequest, export_id: UUID) -> HttpResponse:
    return _act(request, export_id, "approve")


@require_permission(ACT)
@require_POST
def export_release(request: HttpRequest, export_id: UUID) -> HttpResponse:
    return _act(request, export_id, "release")


@require_permission(ACT)
@require_GET
def export_file(request: HttpRequest, export_id: UUID) -> HttpResponse:
    export = get_object_or_404(Export, pk=export_id)
    try:
        data = services.export_file(export=export, by=_user(request), request=request)
    except services.GovernanceError as exc:
        raise PermissionDenied(str(exc)) from exc
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export.file_name}"'
    return response


@require_permission(VIEW)
@require_GET
def export_manifest(request: HttpRequest, export_id: UUID) -> HttpResponse:
    export = get_object_or_404(Export, pk=export_id)
    if not export.manifest:
        return JsonResponse({"detail": _("This export has no manifest yet.")}, status=404)
    response = JsonResponse(export.manifest, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{export.file_name}.manifest.json"'
    return response


@require_permission(VIEW)
@require_http_methods(["GET", "POST"])
def budgets(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        if not can_act(request.user):
            raise PermissionDenied("only data stewards set privacy budgets")
        try:
            services.budget_set(
                dataset=request.POST.get("dataset", ""),
                total_epsilon=_float(request.POST.get("total_epsilon"), 0.0) or 0.0,
                by=_user(request),
            )
        except services.GovernanceError as exc:
            error = str(exc)
        else:
            return redirect("governance:budgets")
    return render(
        request,
        "governance/budgets.html",
        {"budgets": selectors.budgets(), "error": error, "can_act": can_act(request.user)},
        status=400 if error else 200,
    )


@login_required
@require_GET
def model_cards(request: HttpRequest) -> HttpResponse:
    """Model cards document the node's models for everyone signed in, not only stewards."""
    return render(
        request,
        "governance/model_cards.html",
        {"cards": ModelCard.objects.all(), "perms_view": can_view(request.user)},
    )


@login_required
@require_GET
def model_card_latest(request: HttpRequest, name: str) -> HttpResponse:
    """The newest card of a model: a stable link for the places where the model acts."""
    card = ModelCard.objects.filter(name=name).order_by("-pk").first()
    if card is None:
        return render(
            request,
            "governance/model_cards.html",
            {
                "cards": ModelCard.objects.all(),
                "perms_view": can_view(request.user),
                "missing": name,
            },
            status=404,
        )
    return redirect("governance:model-card", name=card.name, version=card.version)


@login_required
@require_GET
def model_card(request: HttpRequest, name: str, version: str) -> HttpResponse:
    card = get_object_or_404(ModelCard, name=name, version=version)
    return render(
        request,
        "governance/model_card.html",
        {"card": card, "audit": card.bias_audit},
    )
