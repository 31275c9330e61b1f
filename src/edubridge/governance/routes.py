"""HTTP API of the governance app: policies, policy checks, exports with their approval trail,
privacy budgets, bias audits and model cards."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from edubridge.accounts.models import User
from edubridge.core.http_auth import AUTH
from edubridge.engines.privacy.policy import Protections
from edubridge.governance import selectors, services
from edubridge.governance.access import can_act, can_view
from edubridge.governance.bias import BiasAuditError, bias_audit
from edubridge.governance.models import Export, ExportKind, ModelCard
from edubridge.governance.policies import load_policies

router = Router(tags=["governance"], auth=AUTH)


def _viewer(request: HttpRequest) -> None:
    if not can_view(request.user):
        raise HttpError(403, "Only data stewards and node administrators see governance data.")


def _steward(request: HttpRequest) -> User:
    if not can_act(request.user):
        raise HttpError(403, "Only data stewards build, approve and release exports.")
    assert isinstance(request.user, User)
    return request.user


class RuleOut(Schema):
    id: str
    effect: str
    description: str
    cites: str
    data_classes: list[str]
    destinations: list[str]
    purposes: list[str]
    protections_any_of: list[dict[str, Any]]
    unless_any_of: list[dict[str, Any]]
    approval: str
    conditions: list[str]


class PolicyOut(Schema):
    id: str
    version: str
    title: str
    jurisdiction: str
    example: bool
    disclaimer: str
    source: str
    rules: list[RuleOut]


class PoliciesOut(Schema):
    policies: list[PolicyOut]
    problems: list[str]


class CheckIn(Schema):
    jurisdiction: str
    destination: str
    purpose: str
    dataset: str | None = None
    fields: dict[str, str] = {}
    pseudonymized: bool = False
    k: int | None = None
    l: int | None = None  # noqa: E741
    epsilon: float | None = None


class DecisionOut(Schema):
    allowed: bool
    policy: str | None
    policy_version: str | None
    rule: str
    reason: str
    approval: str
    conditions: list[str]
    required_protections: list[dict[str, Any]]
    cites: list[str]
    disclaimer: str
    by_class: list[dict[str, Any]]


class ExportIn(Schema):
    dataset: str
    jurisdiction: str
    destination: str
    purpose: str
    kind: str = ExportKind.RECORDS
    columns: list[str] = []
    pseudonymize: bool = True
    k: int | None = None
    l: int | None = None  # noqa: E741
    suppression: float = 0.0
    group_by: str = ""
    epsilon: float | None = None
    value_column: str = ""


class ExportOut(Schema):
    id: UUID
    dataset: str
    kind: str
    jurisdiction: str
    destination: str
    purpose: str
    status: str
    parameters: dict[str, Any]
    decision: dict[str, Any]
    report: dict[str, Any]
    error: str
    manifest: dict[str, Any]
    author: str
    approved_by: str | None
    released_by: str | None


class ApproveIn(Schema):
    confirm_conditions: bool = False


class BudgetOut(Schema):
    dataset: str
    total_epsilon: float
    spent_epsilon: float
    remaining_epsilon: float
    charges: list[dict[str, Any]]


class AuditIn(Schema):
    rows: list[dict[str, Any]]
    attributes: list[str]
    threshold: float = 0.5
    min_group: int = 30
    n_boot: int = 200
    seed: int = 0


class ModelCardOut(Schema):
    name: str
    version: str
    intended_use: str
    training_data: str
    metrics: dict[str, Any]
    metrics_by_group: dict[str, Any]
    limits: list[str]
    ethical_considerations: str
    bias_audit: dict[str, Any]
    used_at: str


def _export_out(export: Export) -> dict[str, Any]:
    return {
        "id": export.pk,
        "dataset": export.dataset,
        "kind": export.kind,
        "jurisdiction": export.jurisdiction,
        "destination": export.destination,
        "purpose": export.purpose,
        "status": export.status,
        "parameters": export.parameters,
        "decision": export.decision,
        "report": export.report,
        "error": export.error,
        "manifest": export.manifest,
        "author": export.author.get_username(),
        "approved_by": export.approved_by.get_username() if export.approved_by else None,
        "released_by": export.released_by.get_username() if export.released_by else None,
    }


def _card_out(card: ModelCard) -> dict[str, Any]:
    return {
        f: getattr(card, f)
        for f in (
            "name",
            "version",
            "intended_use",
            "training_data",
            "metrics",
            "metrics_by_group",
            "limits",
            "ethical_considerations",
            "bias_audit",
            "used_at",
        )
    }


@router.get("/policies", response=PoliciesOut, summary="Export policies the node enforces")
def policies(request: HttpRequest) -> dict[str, Any]:
    _viewer(request)
    loaded = load_policies()
    return {
        "policies": [
            {
                "id": p.id,
                "version": p.version,
                "title": p.title,
                "jurisdiction": p.jurisdiction,
                "example": p.example,
                "disclaimer": p.disclaimer,
                "source": p.source,
                "rules": [
                    {
                        "id": r.id,
                        "effect": r.effect,
                        "description": r.description,
                        "cites": r.cites,
                        "data_classes": list(r.data_classes),
                        "destinations": list(r.destinations),
                        "purposes": list(r.purposes),
                        "protections_any_of": [dict(a) for a in r.protections_any_of],
                        "unless_any_of": [dict(a) for a in r.unless_any_of],
                        "approval": r.approval,
                        "conditions": list(r.conditions),
                    }
                    for r in p.rules
                ],
            }
            for p in loaded.policies
        ],
        "problems": list(loaded.problems),
    }


@router.get("/datasets", response=list[dict[str, Any]], summary="Exportable datasets")
def datasets(request: HttpRequest) -> list[dict[str, Any]]:
    """Each dataset's columns with the data class and purpose read from the registry."""
    _viewer(request)
    return selectors.dataset_rows()


@router.post(
    "/check",
    response=DecisionOut,
    summary="Check a transfer against the policies",
    description="Returns the decision and the rule that decided; a refusal names the rule.",
)
def check(request: HttpRequest, payload: CheckIn) -> dict[str, Any]:
    _viewer(request)
    fields = dict(payload.fields)
    if payload.dataset:
        from edubridge.governance.datasets import dataset_get

        dataset = dataset_get(payload.dataset)
        if dataset is None:
            raise HttpError(422, f"unknown dataset {payload.dataset!r}")
        fields = services.dataset_fields(dataset, dataset.header)
    try:
        decision = services.policy_check(
            jurisdiction=payload.jurisdiction,
            destination=payload.destination,
            purpose=payload.purpose,
            fields=fields,
            protections=Protections(
                pseudonymized=payload.pseudonymized,
                k=payload.k,
                l=payload.l,
                epsilon=payload.epsilon,
            ),
        )
    except services.GovernanceError as exc:
        raise HttpError(422, str(exc)) from exc
    return services.decision_dict(decision)


@router.get("/exports", response=list[ExportOut], summary="Exports and their status")
def exports(request: HttpRequest) -> list[dict[str, Any]]:
    _viewer(request)
    return [_export_out(e) for e in selectors.exports()]


@router.post(
    "/exports",
    response={202: ExportOut},
    summary="Request an export",
    description="Checks input and policy (422 with the reason, nothing stored, on refusal), "
    "then builds in the background; poll the export for its status.",
)
def export_create(request: HttpRequest, payload: ExportIn) -> Status[dict[str, Any]]:
    user = _steward(request)
    try:
        export = services.export_request(
            spec=services.ExportSpec(
                dataset=payload.dataset,
                jurisdiction=payload.jurisdiction,
                destination=payload.destination,
                purpose=payload.purpose,
                kind=payload.kind,
                columns=tuple(payload.columns),
                pseudonymize=payload.pseudonymize,
                k=payload.k,
                l=payload.l,
                suppression=payload.suppression,
                group_by=payload.group_by,
                epsilon=payload.epsilon,
                value_column=payload.value_column,
            ),
            by=user,
            request=request,
        )
    except services.GovernanceError as exc:
        raise HttpError(422, str(exc)) from exc
    return Status(202, _export_out(export))


@router.get("/exports/{export_id}", response=ExportOut, summary="One export")
def export_get(request: HttpRequest, export_id: UUID) -> dict[str, Any]:
    _viewer(request)
    return _export_out(get_object_or_404(Export, pk=export_id))


@router.post(
    "/exports/{export_id}/approve",
    response=ExportOut,
    summary="Approve a draft (a steward other than the author)",
)
def export_approve(request: HttpRequest, export_id: UUID, payload: ApproveIn) -> dict[str, Any]:
    user = _steward(request)
    try:
        export = services.export_approve(
            export=get_object_or_404(Export, pk=export_id),
            by=user,
            confirm_conditions=payload.confirm_conditions,
            request=request,
        )
    except services.GovernanceError as exc:
        raise HttpError(409, str(exc)) from exc
    return _export_out(export)


@router.post(
    "/exports/{export_id}/release", response=ExportOut, summary="Release an approved export"
)
def export_release(request: HttpRequest, export_id: UUID) -> dict[str, Any]:
    user = _steward(request)
    try:
        export = services.export_release(
            export=get_object_or_404(Export, pk=export_id), by=user, request=request
        )
    except services.GovernanceError as exc:
        raise HttpError(409, str(exc)) from exc
    return _export_out(export)


@router.get("/budgets", response=list[BudgetOut], summary="Privacy budget ledgers per dataset")
def budgets(request: HttpRequest) -> list[dict[str, Any]]:
    _viewer(request)
    return [
        {
            **{k: v for k, v in b.items() if k not in {"charges", "title"}},
            "charges": [
                {
                    "label": c.label,
                    "epsilon": c.epsilon,
                    "mechanism": c.mechanism,
                    "at": c.at.isoformat(),
                    "export": str(c.export_id) if c.export_id else None,
                }
                for c in b["charges"]
            ],
        }
        for b in selectors.budgets()
    ]


@router.post(
    "/bias-audits",
    response=dict[str, Any],
    summary="Audit predictions for bias",
    description="Rows of group attributes, y_true (0/1) and y_score in [0, 1]: AUC, calibration "
    "(ECE) and error rates by group with bootstrap 95% intervals, ABROCA against the largest "
    "group; groups too small to judge are named. Nothing is stored.",
)
def audit(request: HttpRequest, payload: AuditIn) -> dict[str, Any]:
    _viewer(request)
    if len(payload.rows) > 200_000 or payload.n_boot > 1000:
        raise HttpError(422, "at most 200,000 rows and 1,000 bootstrap resamples per request")
    try:
        return bias_audit(
            payload.rows,
            attributes=payload.attributes,
            threshold=payload.threshold,
            min_group=payload.min_group,
            n_boot=payload.n_boot,
            seed=payload.seed,
        )
    except BiasAuditError as exc:
        raise HttpError(422, str(exc)) from exc


@router.get("/model-cards", response=list[ModelCardOut], summary="Model cards")
def model_cards(request: HttpRequest) -> list[dict[str, Any]]:
    return [_card_out(c) for c in ModelCard.objects.all()]


@router.get(
    "/model-cards/{name}/{version}", response=ModelCardOut, summary="One model card as JSON"
)
def model_card(request: HttpRequest, name: str, version: str) -> dict[str, Any]:
    return _card_out(get_object_or_404(ModelCard, name=name, version=version))
