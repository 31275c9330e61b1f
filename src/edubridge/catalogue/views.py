"""Catalogue pages: search for anyone; import, edit, align and publish for publishers.
Every form works without JavaScript."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from edubridge.accounts.access import require_permission
from edubridge.accounts.models import User
from edubridge.accounts.roles import Permission
from edubridge.catalogue import selectors, services
from edubridge.catalogue.access import access_bank, access_item, can_publish
from edubridge.catalogue.models import Framework, FrameworkItem, ImportJob, Item
from edubridge.core.data_classes import DataClass

FILTERS = ("language", "grade", "subject", "licence", "framework_item")


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def item_url(request: HttpRequest) -> str:
    """Absolute URL pattern of item pages for exports (``{bank}``/``{id}`` filled in later)."""
    return request.build_absolute_uri("/catalogue/")


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    filters = {k: request.GET.get(k, "").strip() for k in FILTERS}
    error = ""
    if filters["grade"] and not filters["grade"].isdigit():
        error, filters["grade"] = _("The grade is a whole number."), ""
    searched = bool(query or any(filters.values()))
    results = selectors.item_search(query=query, filters=filters) if searched else []
    nodes = FrameworkItem.objects.select_related("framework").exclude(item_type="")
    return render(
        request,
        "catalogue/search.html",
        {
            "query": query,
            "filters": filters,
            "results": results,
            "searched": searched,
            "error": error,
            "framework_nodes": nodes.order_by("framework__title", "position"),
            "languages": sorted(set(Item.objects.values_list("language", flat=True))),
            "licences": sorted(set(Item.objects.values_list("licence", flat=True)) - {""}),
        },
    )


@require_GET
def bank_list(request: HttpRequest) -> HttpResponse:
    publishing = can_publish(request.user)
    banks = selectors.visible_banks(publishing=publishing)
    return render(request, "catalogue/bank_list.html", {"banks": banks, "publishing": publishing})


def _import_form(request: HttpRequest, error: str = "", status: int = 200) -> HttpResponse:
    return render(
        request,
        "catalogue/bank_import.html",
        {"error": error, "data_classes": [c.value for c in DataClass], "form": request.POST},
        status=status,
    )


@require_permission(Permission.PUBLISH_RESOURCES)
@require_http_methods(["GET", "POST"])
def bank_import(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _import_form(request)
    upload = request.FILES.get("file")
    if upload is None:
        return _import_form(request, _("Choose a file to import."), 400)
    options = {
        "title": request.POST.get("title", "").strip(),
        "slug": request.POST.get("slug", "").strip(),
        "licence": request.POST.get("licence", "").strip(),
        "data_class": request.POST.get("data_class", DataClass.PUBLIC.value),
    }
    content = upload.read()
    try:
        if len(content) > services.BACKGROUND_BYTES:
            job = services.import_job_create(
                by=_user(request),
                filename=upload.name or "upload",
                content=content,
                options=options,
            )
            return redirect("catalogue:import-job", pk=job.pk)
        result = services.bank_import(
            by=_user(request),
            filename=upload.name or "upload",
            content=content,
            title=options["title"],
            slug=options["slug"],
            licence=options["licence"],
            data_class=options["data_class"],
        )
    except services.CatalogueError as exc:
        return _import_form(request, str(exc), 400)
    request.session["catalogue_import"] = {
        "imported": result.imported,
        "skipped": result.skipped,
        "notes": result.notes,
    }
    return redirect("catalogue:bank", slug=result.bank.slug)


@require_permission(Permission.PUBLISH_RESOURCES)
@require_GET
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=pk)
    return render(request, "catalogue/import_job.html", {"job": job})


@require_GET
def bank_detail(request: HttpRequest, slug: str) -> HttpResponse:
    bank = access_bank(user=request.user, slug=slug)
    report = request.session.pop("catalogue_import", None)
    return render(
        request,
        "catalogue/bank_detail.html",
        {
            "bank": bank,
            "items": bank.items.order_by("position"),
            "publishing": can_publish(request.user),
            "report": report,
            "data_classes": [c.value for c in DataClass],
            "sections_json": json.dumps(bank.sections, ensure_ascii=False, indent=1),
        },
    )


@require_POST
def bank_edit(request: HttpRequest, slug: str) -> HttpResponse:
    bank = access_bank(user=request.user, slug=slug, edit=True)
    try:
        sections_text = request.POST.get("sections", "").strip()
        try:
            sections = json.loads(sections_text) if sections_text else []
        except json.JSONDecodeError as exc:
            raise services.CatalogueError(
                _("Sections: line %(line)s: not valid JSON (%(msg)s).")
                % {"line": exc.lineno, "msg": exc.msg}
            ) from None
        if not isinstance(sections, list):
            raise services.CatalogueError(_("Sections are a JSON list of {title, item_ids}."))
        services.bank_update(
            by=_user(request),
            bank=bank,
            title=request.POST.get("title", ""),
            description=request.POST.get("description", ""),
            licence=request.POST.get("licence", "").strip(),
            data_class=request.POST.get("data_class", ""),
            subject=request.POST.get("subject", "").strip(),
            sections=sections,
        )
    except services.CatalogueError as exc:
        return render(
            request, "catalogue/error.html", {"error": str(exc), "bank": bank}, status=400
        )
    return redirect("catalogue:bank", slug=bank.slug)


@require_POST
def bank_publish(request: HttpRequest, slug: str) -> HttpResponse:
    bank = access_bank(user=request.user, slug=slug, edit=True)
    try:
        services.bank_publish(by=_user(request), bank=bank)
    except services.CatalogueError as exc:
        return render(
            request, "catalogue/error.html", {"error": str(exc), "bank": bank}, status=400
        )
    return redirect("catalogue:bank", slug=bank.slug)


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def bank_export(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    bank = access_bank(user=request.user, slug=slug)
    base = request.build_absolute_uri(reverse("catalogue:bank", args=[bank.slug]))
    if kind == "qti.zip":
        return _download(
            selectors.bank_qti_package(bank), f"{bank.slug}-qti3.zip", "application/zip"
        )
    if kind == "cartridge.imscc":
        content = selectors.bank_cartridge(bank, item_url=base + "items/{id}/")
        return _download(content, f"{bank.slug}.imscc", "application/zip")
    if kind == "lrmi.jsonld":
        return JsonResponse(
            selectors.bank_lrmi(bank, base_url=base + "items/"),
            content_type="application/ld+json",
            json_dumps_params={"ensure_ascii": False},
        )
    if kind == "bank.json":
        return JsonResponse(selectors.bank_json(bank), json_dumps_params={"ensure_ascii": False})
    return HttpResponse(_("Unknown export format."), status=404)


@require_GET
def item_detail(request: HttpRequest, slug: str, identifier: str) -> HttpResponse:
    item = access_item(user=request.user, slug=slug, identifier=identifier)
    publishing = can_publish(request.user)
    frameworks = list(Framework.objects.order_by("title"))
    chosen = None
    wanted = request.GET.get("framework")
    if wanted:
        chosen = next((f for f in frameworks if str(f.pk) == wanted), None)
    elif frameworks:
        lang = item.language.split("-")[0]
        chosen = next((f for f in frameworks if f.language == lang), frameworks[0])
    suggestions = (
        selectors.alignment_suggestions(item=item, framework=chosen, top=5, exclude_decided=True)
        if chosen is not None and publishing
        else []
    )
    alignments = item.alignments.select_related("framework_item__framework").order_by(
        "rejected", "framework_item__code"
    )
    return render(
        request,
        "catalogue/item_detail.html",
        {
            "item": item,
            "document": selectors.item_document(item),
            "publishing": publishing,
            "frameworks": frameworks,
            "chosen": chosen,
            "suggestions": suggestions,
            "alignments": alignments,
            "json": json.dumps(selectors.item_document(item), ensure_ascii=False, indent=2),
        },
    )


@require_POST
def item_align(request: HttpRequest, slug: str, identifier: str) -> HttpResponse:
    item = access_item(user=request.user, slug=slug, identifier=identifier, edit=True)
    target = FrameworkItem.objects.filter(identifier=request.POST.get("framework_item", "")).first()
    if target is None:
        code = request.POST.get("code", "").strip()
        target = FrameworkItem.objects.filter(code=code).first() if code else None
    if target is None:
        return render(
            request,
            "catalogue/error.html",
            {"error": _("No standard with that identifier or code on this node."), "item": item},
            status=400,
        )
    action = request.POST.get("action", "align")
    if action == "accept":
        services.suggestion_accept(item=item, framework_item=target)
    elif action == "reject":
        services.suggestion_reject(item=item, framework_item=target)
    elif action == "unalign":
        services.unalign(item=item, framework_item=target)
    else:
        services.align(item=item, framework_item=target)
    url = reverse("catalogue:item", args=[slug, identifier])
    framework = request.POST.get("framework")
    return redirect(f"{url}?framework={framework}" if framework else url)


@require_GET
def item_export(request: HttpRequest, slug: str, identifier: str, kind: str) -> HttpResponse:
    item = access_item(user=request.user, slug=slug, identifier=identifier)
    if kind == "qti.xml":
        return HttpResponse(selectors.item_qti_xml(item), content_type="application/xml")
    if kind == "qti.zip":
        return _download(
            selectors.item_qti_package(item), f"{item.identifier}-qti3.zip", "application/zip"
        )
    if kind == "lrmi.jsonld":
        base = request.build_absolute_uri(reverse("catalogue:bank", args=[slug])) + "items/"
        return JsonResponse(
            selectors.item_lrmi(item, base_url=base),
            content_type="application/ld+json",
            json_dumps_params={"ensure_ascii": False},
        )
    if kind == "item.json":
        return JsonResponse(
            selectors.item_document(item), json_dumps_params={"ensure_ascii": False}
        )
    return HttpResponse(_("Unknown export format."), status=404)


@require_GET
def framework_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalogue/framework_list.html",
        {
            "frameworks": Framework.objects.order_by("title"),
            "publishing": can_publish(request.user),
        },
    )


@require_permission(Permission.PUBLISH_RESOURCES)
@require_POST
def framework_import(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise services.CatalogueError(_("Choose a CASE JSON file to import."))
        framework = services.framework_import(
            by=_user(request), filename=upload.name or "case.json", content=upload.read()
        )
    except services.CatalogueError as exc:
        return render(
            request,
            "catalogue/framework_list.html",
            {
                "frameworks": Framework.objects.order_by("title"),
                "publishing": True,
                "error": str(exc),
            },
            status=400,
        )
    return redirect("catalogue:framework", pk=framework.pk)


@require_GET
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_object_or_404(Framework, pk=pk)
    walks = selectors.crosswalks(framework)
    nodes = [
        (node, walks.get(node.identifier, [])) for node in selectors.framework_nodes(framework)
    ]
    return render(
        request,
        "catalogue/framework_detail.html",
        {"framework": framework, "nodes": nodes},
    )


@require_GET
def framework_export(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_object_or_404(Framework, pk=pk)
    try:
        data = services.framework_export(framework)
    except services.CatalogueError as exc:
        return HttpResponse(str(exc), status=500, content_type="text/plain")
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="case-{framework.pk}.json"'
    return response
