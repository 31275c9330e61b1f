"""HTTP API of the localization app: start a draft, follow it, list and decide changes, publish."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from edubridge.accounts.models import User
from edubridge.accounts.roles import Permission
from edubridge.accounts.selectors import user_has_permission
from edubridge.catalogue.models import Bank
from edubridge.core.http_auth import AUTH
from edubridge.localization import selectors, services
from edubridge.localization.models import Change, LocalizationJob

router = Router(tags=["localization"], auth=AUTH)


def _localizer(request: HttpRequest) -> User:
    if not user_has_permission(request.user, Permission.LOCALIZE_RESOURCES):
        raise HttpError(403, "Only localizers draft, review and publish localizations.")
    assert isinstance(request.user, User)
    return request.user


class JobIn(Schema):
    bank: str
    locale: str
    grade: int | None = None


class JobOut(Schema):
    id: int
    bank: str
    bank_version: int
    target_locale: str
    grade: int | None
    pack_version: str
    status: str
    done: int
    total: int
    error: str
    review: dict[str, int]
    publish_blockers: list[str]
    derivative: str | None


class ChangeOut(Schema):
    id: int
    item: str
    kind: str
    location: str
    from_value: str
    to_value: str
    reason: str
    confidence: float
    alternatives: list[str]
    needs_review: bool
    its_type: str
    difficulty: str
    decision: str
    edited_value: str
    reviewer: str | None
    decided_at: datetime | None


class DecisionIn(Schema):
    decision: str  # accepted | edited | rejected
    value: str = ""


class PublishOut(Schema):
    bank: str
    title: str
    version: int
    derived_from: str
    derived_from_version: int
    locale_pack: str


def _job_out(job: LocalizationJob) -> dict[str, object]:
    return {
        "id": job.pk,
        "bank": job.bank.slug,
        "bank_version": job.bank_version,
        "target_locale": job.target_locale,
        "grade": job.grade,
        "pack_version": job.pack_version,
        "status": job.status,
        "done": job.done,
        "total": job.total,
        "error": job.error,
        "review": selectors.review_counts(job),
        "publish_blockers": services.publish_blockers(job)
        if job.status in ("done", "published")
        else [],
        "derivative": job.derivative.slug if job.derivative else None,
    }


def _change_out(c: Change) -> dict[str, object]:
    return {
        "id": c.pk,
        "item": c.item.identifier,
        "kind": c.kind,
        "location": c.location,
        "from_value": c.from_value,
        "to_value": c.to_value,
        "reason": c.reason,
        "confidence": c.confidence,
        "alternatives": c.alternatives,
        "needs_review": c.needs_review,
        "its_type": c.its_type,
        "difficulty": c.difficulty,
        "decision": c.decision,
        "edited_value": c.edited_value,
        "reviewer": c.reviewer.username if c.reviewer else None,
        "decided_at": c.decided_at,
    }


@router.post(
    "/jobs",
    response={202: JobOut},
    summary="Start drafting a published resource for a target locale and grade (background job)",
)
def start(request: HttpRequest, payload: JobIn) -> Status[dict[str, object]]:
    user = _localizer(request)
    bank = selectors.sources().filter(slug=payload.bank).first()
    if bank is None:
        raise HttpError(422, f"No published resource {payload.bank!r}.")
    try:
        job = services.job_start(
            by=user, bank=bank, target_locale=payload.locale, grade=payload.grade
        )
    except services.LocalizationError as exc:
        raise HttpError(422, str(exc)) from exc
    return Status(202, _job_out(job))


@router.get("/jobs/{job_id}", response=JobOut, summary="A job's status, progress and review state")
def status(request: HttpRequest, job_id: int) -> dict[str, object]:
    _localizer(request)
    return _job_out(get_object_or_404(selectors.jobs(), pk=job_id))


@router.get(
    "/jobs/{job_id}/changes",
    response=list[ChangeOut],
    summary="Every proposed change of a job with its reason, alternatives and decision",
)
def changes(
    request: HttpRequest, job_id: int, item: str = "", decision: str = ""
) -> list[dict[str, object]]:
    _localizer(request)
    job = get_object_or_404(LocalizationJob, pk=job_id)
    rows = Change.objects.filter(item__job=job).select_related("item", "reviewer")
    if item:
        rows = rows.filter(item__identifier=item)
    if decision:
        rows = rows.filter(decision=decision)
    return [_change_out(c) for c in rows.order_by("item__position", "position")]


@router.post(
    "/jobs/{job_id}/changes/{change_id}/decision",
    response=ChangeOut,
    summary="Accept, edit or reject one change; an edit is re-checked by the engine (422 if not)",
)
def decide(
    request: HttpRequest, job_id: int, change_id: int, payload: DecisionIn
) -> dict[str, object]:
    user = _localizer(request)
    change = get_object_or_404(
        Change.objects.select_related("item"), pk=change_id, item__job_id=job_id
    )
    try:
        change = services.change_decide(
            by=user, change=change, decision=payload.decision, value=payload.value
        )
    except services.LocalizationError as exc:
        raise HttpError(422, str(exc)) from exc
    return _change_out(change)


@router.post(
    "/jobs/{job_id}/publish",
    response={201: PublishOut},
    summary="Publish the reviewed items as a derivative resource with provenance",
)
def publish(request: HttpRequest, job_id: int) -> Status[dict[str, object]]:
    user = _localizer(request)
    job = get_object_or_404(LocalizationJob, pk=job_id)
    try:
        bank: Bank = services.job_publish(by=user, job=job)
    except services.LocalizationError as exc:
        raise HttpError(422, str(exc)) from exc
    return Status(
        201,
        {
            "bank": bank.slug,
            "title": bank.title,
            "version": bank.version,
            "derived_from": job.bank.slug,
            "derived_from_version": job.bank_version,
            "locale_pack": job.pack_version,
        },
    )
