"""Pages for localizers: start a draft, follow it, review every change, publish; browse packs.
Every form works without JavaScript; the job page refreshes itself while drafting."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from edubridge.accounts.access import require_permission
from edubridge.accounts.access import signed_in_user as _user
from edubridge.accounts.roles import Permission
from edubridge.catalogue.models import Bank
from edubridge.engines.localize import PackError, available_locales, load_pack
from edubridge.engines.localize.pack import _read
from edubridge.localization import selectors, services
from edubridge.localization.models import Change, DraftItem, JobStatus, LocalizationJob

LOCALIZE = Permission.LOCALIZE_RESOURCES


def _job(job_id: int) -> LocalizationJob:
    return get_object_or_404(selectors.jobs(), pk=job_id)


@require_permission(LOCALIZE)
@require_http_methods(["GET", "POST"])
def jobs(request: HttpRequest) -> HttpResponse:
    error, status = "", 200
    if request.method == "POST":
        try:
            bank = selectors.sources().get(slug=request.POST.get("bank", ""))
            grade_text = request.POST.get("grade", "").strip()
            grade = int(grade_text) if grade_text else None
            job = services.job_start(
                by=_user(request),
                bank=bank,
                target_locale=request.POST.get("locale", ""),
                grade=grade,
            )
            return redirect("localization:job", job_id=job.pk)
        except Bank.DoesNotExist:
            error, status = _("Choose a published resource."), 422
        except ValueError as exc:  # LocalizationError, or a grade that is not a number
            is_ours = isinstance(exc, services.LocalizationError)
            error, status = (str(exc) if is_ours else _("The grade must be a number.")), 422
    return render(
        request,
        "localization/jobs.html",
        {
            "jobs": selectors.jobs()[:50],
            "banks": selectors.sources(),
            "locales": available_locales(),
            "grades": range(1, 13),
            "error": error,
            "posted": request.POST,
        },
        status=status,
    )


@require_permission(LOCALIZE)
@require_GET
def job(request: HttpRequest, job_id: int) -> HttpResponse:
    return _job_page(request, _job(job_id))


def _job_page(
    request: HttpRequest,
    j: LocalizationJob,
    rejected: list[tuple[str, str]] | None = None,
    upload_error: str = "",
    status: int = 200,
) -> HttpResponse:
    running = j.status in (JobStatus.QUEUED, JobStatus.RUNNING)
    return render(
        request,
        "localization/job.html",
        {
            "job": j,
            "running": running,
            "percent": int(100 * j.done / j.total) if j.total else 0,
            "items": selectors.job_items(j) if j.status != JobStatus.QUEUED else [],
            "counts": selectors.review_counts(j),
            "blockers": services.publish_blockers(j) if not running else [],
            "provider": services.translation_provider(),
            "rejected": rejected or [],
            "upload_error": upload_error,
        },
        status=status,
    )


def _review(
    request: HttpRequest, j: LocalizationJob, item: DraftItem, error: str = "", status: int = 200
) -> HttpResponse:
    nxt = j.items.filter(position__gt=item.position, status="pending").order_by("position").first()
    return render(
        request,
        "localization/review.html",
        {
            "job": j,
            "item": item,
            "fields": selectors.side_by_side(item),
            "changes": item.changes.select_related("reviewer").order_by("position"),
            "error": error,
            "next": nxt,
            "editable": j.status == JobStatus.DONE,
            "direction": load_pack(j.target_locale).direction,
        },
        status=status,
    )


@require_permission(LOCALIZE)
@require_GET
def review(request: HttpRequest, job_id: int, position: int) -> HttpResponse:
    j = _job(job_id)
    item = get_object_or_404(DraftItem, job=j, position=position)
    return _review(request, j, item)


@require_permission(LOCALIZE)
@require_POST
def change_decide(request: HttpRequest, job_id: int, change_id: int) -> HttpResponse:
    j = _job(job_id)
    change = get_object_or_404(Change.objects.select_related("item"), pk=change_id, item__job=j)
    decision = {"accept": "accepted", "edit": "edited", "reject": "rejected"}.get(
        request.POST.get("decision", ""), ""
    )
    try:
        services.change_decide(
            by=_user(request),
            change=change,
            decision=decision,
            value=request.POST.get("value", ""),
        )
    except services.LocalizationError as exc:
        item = DraftItem.objects.get(pk=change.item_id)
        return _review(request, j, item, error=str(exc), status=422)
    return redirect(f"{_item_url(j, change.item.position)}#change-{change.pk}")


def _item_url(j: LocalizationJob, position: int) -> str:
    return reverse("localization:review", kwargs={"job_id": j.pk, "position": position})


@require_permission(LOCALIZE)
@require_POST
def item_decide(request: HttpRequest, job_id: int, position: int) -> HttpResponse:
    j = _job(job_id)
    item = get_object_or_404(DraftItem, job=j, position=position)
    try:
        services.item_decide(
            by=_user(request), item=item, decision=request.POST.get("decision", "")
        )
    except services.LocalizationError as exc:
        return _review(request, j, item, error=str(exc), status=422)
    if request.POST.get("then") == "next":
        nxt = j.items.filter(position__gt=position, status="pending").order_by("position").first()
        if nxt is not None:
            return redirect("localization:review", job_id=j.pk, position=nxt.position)
        return redirect("localization:job", job_id=j.pk)
    return redirect("localization:review", job_id=j.pk, position=position)


@require_permission(LOCALIZE)
@require_POST
def publish(request: HttpRequest, job_id: int) -> HttpResponse:
    j = _job(job_id)
    try:
        bank = services.job_publish(by=_user(request), job=j)
    except services.LocalizationError as exc:
        messages.error(request, str(exc))
        return redirect("localization:job", job_id=j.pk)
    messages.success(
        request, _("Published as %(title)s (%(slug)s).") % {"title": bank.title, "slug": bank.slug}
    )
    return redirect("localization:job", job_id=j.pk)


@require_permission(LOCALIZE)
@require_GET
def packs(request: HttpRequest) -> HttpResponse:
    return render(request, "localization/packs.html", {"packs": selectors.packs()})


@require_permission(LOCALIZE)
@require_GET
def pack(request: HttpRequest, locale: str) -> HttpResponse:
    if locale not in available_locales():
        raise Http404("No locale pack for that locale.")
    try:
        p = load_pack(locale)
    except PackError as exc:
        raise Http404(str(exc)) from exc
    return render(
        request,
        "localization/pack.html",
        {
            "pack": p,
            "data": p.data,
            "prices": sorted(p.data["prices"]["items"].items()),
            "source": _read(f"{locale}.yaml"),
            "derivatives": selectors.derivatives_of(p.ref),
        },
    )


@require_permission(LOCALIZE)
@require_GET
def xliff_download(request: HttpRequest, job_id: int) -> HttpResponse:
    j = _job(job_id)
    try:
        data = services.xliff_export(job=j)
    except services.LocalizationError as exc:
        messages.error(request, str(exc))
        return redirect("localization:job", job_id=j.pk)
    response = HttpResponse(data, content_type="application/xliff+xml; charset=utf-8")
    name = f"{j.bank.slug}-{j.target_locale}.xlf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


MAX_XLIFF = 5 * 1024 * 1024


@require_permission(LOCALIZE)
@require_POST
def xliff_upload(request: HttpRequest, job_id: int) -> HttpResponse:
    j = _job(job_id)
    upload = request.FILES.get("file")
    if upload is None:
        return _job_page(
            request, j, upload_error=_("Choose the translated XLIFF file."), status=400
        )
    if upload.size is not None and upload.size > MAX_XLIFF:
        return _job_page(request, j, upload_error=_("The file is larger than 5 MB."), status=400)
    try:
        applied = services.xliff_import(by=_user(request), job=j, data=upload.read())
    except services.TranslationRejectedError as exc:
        return _job_page(request, j, rejected=exc.rejected, upload_error=str(exc), status=400)
    except services.LocalizationError as exc:
        return _job_page(request, j, upload_error=str(exc), status=400)
    messages.success(
        request,
        _("%(n)d translated texts were added as changes to review.") % {"n": applied},
    )
    return redirect("localization:job", job_id=j.pk)


@require_permission(LOCALIZE)
@require_POST
def translate(request: HttpRequest, job_id: int) -> HttpResponse:
    j = _job(job_id)
    try:
        services.translate_start(by=_user(request), job=j)
    except services.LocalizationError as exc:
        messages.error(request, str(exc))
        return redirect("localization:job", job_id=j.pk)
    messages.success(
        request,
        _(
            "Machine translation is running in the background; its texts appear as changes to "
            "review. Refresh this page to see them."
        ),
    )
    return redirect("localization:job", job_id=j.pk)
