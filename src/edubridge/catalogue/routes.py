"""HTTP API of the catalogue: search, banks (import, metadata, publish, export), items
(alignment suggestions, accept/reject), frameworks (CASE import/export, tree)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.responses import Status

from edubridge.accounts.models import User
from edubridge.catalogue import selectors, services
from edubridge.catalogue.access import access_bank, access_item, can_publish
from edubridge.catalogue.models import Bank, Framework, FrameworkItem
from edubridge.core.data_classes import DataClass
from edubridge.core.http_auth import AUTH

router = Router(tags=["catalogue"], auth=AUTH)


class SearchResultOut(Schema):
    item_id: int
    identifier: str
    title: str
    stem: str
    language: str
    grade_min: int | None
    grade_max: int | None
    subject: str
    licence: str
    bank_slug: str
    bank_title: str
    score: float


class BankOut(Schema):
    slug: str
    title: str
    description: str
    language: str
    subject: str
    grade_min: int | None
    grade_max: int | None
    licence: str
    data_class: str
    status: str
    version: int
    items: int


class BankDetailOut(BankOut):
    item_ids: list[str]
    sections: list[dict[str, Any]]


class ImportOut(Schema):
    bank: BankOut
    imported: int
    skipped: list[str]
    notes: list[str]


class BankPatch(Schema):
    title: str | None = None
    description: str | None = None
    licence: str | None = None
    data_class: str | None = None
    subject: str | None = None
    sections: list[dict[str, Any]] | None = None


class SuggestionOut(Schema):
    framework_item: str
    code: str
    statement: str
    score: float
    matched: list[str]
    reason: str


class AlignIn(Schema):
    framework_item: str
    action: str = "align"  # align | accept | reject | unalign


class AlignmentOut(Schema):
    framework_item: str
    code: str
    source: str
    rejected: bool
    score: float | None
    matched: list[str]


class FrameworkOut(Schema):
    id: int
    identifier: str
    title: str
    creator: str
    language: str
    items: int


class NodeOut(Schema):
    identifier: str
    code: str
    statement: str
    level: int
    parent: str | None
    crosswalks: list[dict[str, Any]]


class FrameworkDetailOut(FrameworkOut):
    nodes: list[NodeOut]


def _bank_out(bank: Bank) -> dict[str, Any]:
    return {
        "slug": bank.slug,
        "title": bank.title,
        "description": bank.description,
        "language": bank.language,
        "subject": bank.subject,
        "grade_min": bank.grade_min,
        "grade_max": bank.grade_max,
        "licence": bank.licence,
        "data_class": bank.data_class,
        "status": bank.status,
        "version": bank.version,
        "items": bank.items.count(),
    }


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _publisher(request: HttpRequest) -> None:
    if not can_publish(request.user):
        raise HttpError(403, "Only publishers change catalogue resources.")


def _bank(request: HttpRequest, slug: str, edit: bool = False) -> Bank:
    try:
        return access_bank(user=request.user, slug=slug, edit=edit)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc


@router.get("/search", response=list[SearchResultOut], summary="Search items (any language)")
def search(
    request: HttpRequest,
    q: str = "",
    language: str = "",
    grade: int | None = None,
    subject: str = "",
    licence: str = "",
    framework_item: str = "",
    limit: int = 50,
) -> list[selectors.SearchResult]:
    """Items of published banks matching any word of ``q`` (Chinese by character bigrams,
    Arabic normalized), best first, among those passing every filter. ``framework_item`` is a
    CASE CFItem identifier: items aligned to it or to a statement below it."""
    filters = {
        "language": language,
        "grade": grade,
        "subject": subject,
        "licence": licence,
        "framework_item": framework_item,
    }
    return selectors.item_search(query=q, filters=filters, limit=max(1, min(limit, 200)))


@router.get("/banks", response=list[BankOut], summary="Item banks (drafts for publishers only)")
def banks(request: HttpRequest) -> list[dict[str, Any]]:
    return [_bank_out(b) for b in selectors.visible_banks(publishing=can_publish(request.user))]


@router.post(
    "/banks/import",
    response={201: ImportOut, 400: dict, 403: dict},
    summary="Import an item bank (QTI 3 package, QTI 3 item XML or EduBridge JSON); atomic",
)
def bank_import(
    request: HttpRequest,
    file: File[UploadedFile],
    title: Form[str] = "",
    slug: Form[str] = "",
    licence: Form[str] = "",
    data_class: Form[str] = DataClass.PUBLIC.value,
) -> Status[Any]:
    _publisher(request)
    try:
        result = services.bank_import(
            by=_user(request),
            filename=file.name or "upload",
            content=file.read(),
            title=title,
            slug=slug,
            licence=licence,
            data_class=data_class,
        )
    except services.CatalogueError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(
        201,
        {
            "bank": _bank_out(result.bank),
            "imported": result.imported,
            "skipped": result.skipped,
            "notes": result.notes,
        },
    )


@router.get("/banks/{slug}", response=BankDetailOut, summary="A bank with its item ids")
def bank(request: HttpRequest, slug: str) -> dict[str, Any]:
    b = _bank(request, slug)
    return {
        **_bank_out(b),
        "item_ids": list(b.items.order_by("position").values_list("identifier", flat=True)),
        "sections": b.sections,
    }


@router.patch("/banks/{slug}", response={200: BankOut, 400: dict}, summary="Edit bank metadata")
def bank_patch(request: HttpRequest, slug: str, body: BankPatch) -> Status[Any]:
    b = _bank(request, slug, edit=True)
    try:
        services.bank_update(
            by=_user(request),
            bank=b,
            title=body.title if body.title is not None else b.title,
            description=body.description if body.description is not None else b.description,
            licence=body.licence or b.licence,
            data_class=body.data_class or b.data_class,
            subject=body.subject if body.subject is not None else b.subject,
            sections=body.sections,
        )
    except services.CatalogueError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(200, _bank_out(b))


@router.post("/banks/{slug}/publish", response={200: BankOut, 400: dict}, summary="Publish")
def bank_publish(request: HttpRequest, slug: str) -> Status[Any]:
    b = _bank(request, slug, edit=True)
    try:
        services.bank_publish(by=_user(request), bank=b)
    except services.CatalogueError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(200, _bank_out(b))


@router.get(
    "/banks/{slug}/export/{kind}",
    summary="Export a bank: qti.zip, cartridge.imscc, lrmi.jsonld or bank.json",
)
def bank_export(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    b = _bank(request, slug)
    base = request.build_absolute_uri(f"/catalogue/banks/{b.slug}/items/")
    if kind == "qti.zip":
        return HttpResponse(selectors.bank_qti_package(b), content_type="application/zip")
    if kind == "cartridge.imscc":
        content = selectors.bank_cartridge(b, item_url=base + "{id}/")
        return HttpResponse(content, content_type="application/zip")
    if kind == "lrmi.jsonld":
        return JsonResponse(
            selectors.bank_lrmi(b, base_url=base), content_type="application/ld+json"
        )
    if kind == "bank.json":
        return JsonResponse(selectors.bank_json(b))
    raise HttpError(404, "Unknown export format.")


@router.get("/banks/{slug}/items/{identifier}", summary="An item as edubridge-item/1 JSON")
def item(request: HttpRequest, slug: str, identifier: str) -> dict[str, Any]:
    try:
        return selectors.item_document(
            access_item(user=request.user, slug=slug, identifier=identifier)
        )
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc


@router.get(
    "/banks/{slug}/items/{identifier}/suggestions",
    response=list[SuggestionOut],
    summary="Alignment suggestions for an item in a framework (score and matched words)",
)
def suggestions(
    request: HttpRequest, slug: str, identifier: str, framework: int, top: int = 5
) -> list[dict[str, Any]]:
    _publisher(request)
    it = access_item(user=request.user, slug=slug, identifier=identifier)
    fw = get_object_or_404(Framework, pk=framework)
    return [
        {
            "framework_item": s.framework_item.identifier,
            "code": s.framework_item.code,
            "statement": s.framework_item.statement,
            "score": s.score,
            "matched": list(s.matched),
            "reason": s.reason,
        }
        for s in selectors.alignment_suggestions(item=it, framework=fw, top=max(1, min(top, 20)))
    ]


@router.post(
    "/banks/{slug}/items/{identifier}/alignments",
    response={200: list[AlignmentOut], 400: dict},
    summary="Align, unalign, or accept/reject a suggestion",
)
def alignments(request: HttpRequest, slug: str, identifier: str, body: AlignIn) -> Status[Any]:
    _publisher(request)
    it = access_item(user=request.user, slug=slug, identifier=identifier, edit=True)
    target = FrameworkItem.objects.filter(identifier=body.framework_item).first()
    if target is None:
        return Status(400, {"detail": f"No standard {body.framework_item!r} on this node."})
    if body.action == "align":
        services.align(item=it, framework_item=target)
    elif body.action == "accept":
        services.suggestion_accept(item=it, framework_item=target)
    elif body.action == "reject":
        services.suggestion_reject(item=it, framework_item=target)
    elif body.action == "unalign":
        services.unalign(item=it, framework_item=target)
    else:
        return Status(400, {"detail": "action is one of align, accept, reject, unalign"})
    return Status(
        200,
        [
            {
                "framework_item": a.framework_item.identifier,
                "code": a.framework_item.code,
                "source": a.source,
                "rejected": a.rejected,
                "score": a.score,
                "matched": a.matched,
            }
            for a in it.alignments.select_related("framework_item").order_by("pk")
        ],
    )


@router.get("/frameworks", response=list[FrameworkOut], summary="Curriculum frameworks")
def frameworks(request: HttpRequest) -> list[dict[str, Any]]:
    return [_framework_out(f) for f in Framework.objects.order_by("title")]


def _framework_out(f: Framework) -> dict[str, Any]:
    return {
        "id": f.pk,
        "identifier": f.identifier,
        "title": f.title,
        "creator": f.creator,
        "language": f.language,
        "items": f.items.count(),
    }


@router.post(
    "/frameworks/import",
    response={201: FrameworkOut, 400: dict, 403: dict},
    summary="Import a CASE 1.1 (or 1.0) CFPackage JSON file",
)
def framework_import(
    request: HttpRequest,
    file: File[UploadedFile],
) -> Status[Any]:
    _publisher(request)
    try:
        f = services.framework_import(
            by=_user(request), filename=file.name or "case.json", content=file.read()
        )
    except services.CatalogueError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(201, _framework_out(f))


@router.get(
    "/frameworks/{pk}",
    response=FrameworkDetailOut,
    summary="A framework as a tree, with crosswalks",
)
def framework(request: HttpRequest, pk: int) -> dict[str, Any]:
    f = get_object_or_404(Framework, pk=pk)
    walks = selectors.crosswalks(f)
    nodes = selectors.framework_nodes(f)
    by_pk = {n.pk: n.identifier for n in nodes}
    return {
        **_framework_out(f),
        "nodes": [
            {
                "identifier": n.identifier,
                "code": n.code,
                "statement": n.statement,
                "level": n.level,
                "parent": by_pk.get(n.parent_id) if n.parent_id else None,
                "crosswalks": [w.__dict__ for w in walks.get(n.identifier, [])],
            }
            for n in nodes
        ],
    }


@router.get("/frameworks/{pk}/case", summary="Export a framework as CASE 1.1 JSON")
def framework_case(request: HttpRequest, pk: int) -> dict[str, Any]:
    f = get_object_or_404(Framework, pk=pk)
    try:
        return services.framework_export(f)
    except services.CatalogueError as exc:
        raise HttpError(500, str(exc)) from exc
