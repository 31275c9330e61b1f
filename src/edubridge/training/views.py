"""Pages for training coordinators, trainers and teachers, and the public verification page."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from uuid import UUID

import segno
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from edubridge.accounts.access import signed_in_user as _user
from edubridge.accounts.models import Organization, OrganizationType, User
from edubridge.core.charts import Series, grouped_bars_with_target
from edubridge.training import selectors, services
from edubridge.training.access import (
    access_cohort,
    access_credential,
    access_enrolment,
    can_coordinate,
)
from edubridge.training.ical import calendar
from edubridge.training.models import (
    Cohort,
    Enrolment,
    EnrolmentImport,
    Framework,
    IssuedCredential,
    Programme,
    SessionMode,
    TrainingSession,
)
from edubridge.training.signing import STATUS_LIST_NUMBER, base_url

MAX_UPLOAD = 1_000_000


def _require_coordinator(request: HttpRequest) -> None:
    if not can_coordinate(request.user):
        raise PermissionDenied("needs the permission run_training")


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    coordinating = can_coordinate(user)
    if not coordinating and not selectors.cohorts_led_by(user).exists():
        return redirect("training:mine")
    return render(
        request,
        "training/home.html",
        {
            "coordinating": coordinating,
            "programmes": Programme.objects.prefetch_related("cohorts").all(),
            "cohorts": (Cohort.objects if coordinating else selectors.cohorts_led_by(user))
            .select_related("programme", "centre", "lead")
            .order_by("generation", "-starts_on"),
            "frameworks": Framework.objects.all(),
        },
    )


@require_GET
def framework(request: HttpRequest, framework_id: UUID) -> HttpResponse:
    item = get_object_or_404(Framework, pk=framework_id)
    grid: dict[str, list[Any]] = {}
    for competency in item.competencies.all():
        grid.setdefault(competency.dimension, []).append(competency)
    return render(request, "training/framework.html", {"framework": item, "grid": grid})


@require_GET
def programme(request: HttpRequest, programme_id: UUID) -> HttpResponse:
    """Public: the achievement a credential names links here."""
    item = get_object_or_404(Programme.objects.select_related("framework"), pk=programme_id)
    return render(
        request,
        "training/programme.html",
        {
            "programme": item,
            "competencies": item.target_competencies.order_by("dimension_number", "level"),
            "modules": item.modules.all(),
            "coordinating": can_coordinate(request.user),
            "can_lead": can_coordinate(request.user)
            or (
                isinstance(request.user, User)
                and services.seed_generation(request.user) is not None
            ),
            "centres": Organization.objects.filter(type=OrganizationType.TRAINING_CENTRE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_new(request: HttpRequest) -> HttpResponse:
    _require_coordinator(request)
    item = services.framework_load_aicft()
    error = None
    if request.method == "POST":
        post = request.POST
        try:
            modules = [
                (line.strip(), 0) for line in post.get("modules", "").splitlines() if line.strip()
            ]
            created = services.programme_create(
                by=_user(request),
                name=post.get("name", ""),
                framework=item,
                competency_codes=post.getlist("competencies"),
                target_level=int(post.get("target_level") or 1),
                language=post.get("language", "en") or "en",
                hours=int(post.get("hours") or 0),
                modules=modules,
                attendance_share=int(post.get("attendance_share") or 80),
                pass_score=int(post.get("pass_score") or 6),
                trains_trainers=post.get("trains_trainers") == "on",
                description=post.get("description", ""),
                prerequisites=post.get("prerequisites", ""),
            )
            return redirect("training:programme", created.pk)
        except (services.TrainingError, ValueError) as exc:
            error = str(exc)
    return render(
        request,
        "training/programme_new.html",
        {"framework": item, "competencies": item.competencies.all(), "error": error},
    )


@login_required
@require_POST
def cohort_new(request: HttpRequest, programme_id: UUID) -> HttpResponse:
    item = get_object_or_404(Programme, pk=programme_id)
    user = _user(request)
    try:
        centre = get_object_or_404(Organization, pk=request.POST.get("centre") or 0)
        cohort = services.cohort_open(
            by=user,
            programme=item,
            centre=centre,
            name=request.POST.get("name", ""),
            starts_on=date.fromisoformat(request.POST.get("starts_on", "")),
            coordinator=can_coordinate(user),
        )
    except (services.TrainingError, ValueError) as exc:
        return render(request, "training/error.html", {"error": str(exc)}, status=400)
    return redirect("training:cohort", cohort.pk)


@login_required
@require_GET
def cohort(request: HttpRequest, cohort_id: UUID) -> HttpResponse:
    item = access_cohort(user=request.user, cohort_id=cohort_id)
    enrolments = list(item.enrolments.select_related("teacher", "credential"))
    rows = [(e, selectors.enrolment_progress(e)) for e in enrolments]
    return render(
        request,
        "training/cohort.html",
        {
            "cohort": item,
            "rows": rows,
            "sessions": item.sessions.all(),
            "modes": SessionMode.choices,
            "error": request.GET.get("error"),
        },
    )


@login_required
@require_POST
def cohort_enrol(request: HttpRequest, cohort_id: UUID) -> HttpResponse:
    item = access_cohort(user=request.user, cohort_id=cohort_id)
    name = request.POST.get("username", "").strip()
    teacher = User.objects.filter(username=name).first()
    try:
        if teacher is None:
            raise services.TrainingError(_("No account named %(name)s.") % {"name": name})
        services.enrol(by=_user(request), cohort=item, teacher=teacher)
    except services.TrainingError as exc:
        return _cohort_error(item, str(exc))
    return redirect("training:cohort", item.pk)


def _cohort_error(item: Cohort, message: str) -> HttpResponse:
    from urllib.parse import urlencode

    return redirect(
        reverse("training:cohort", args=[item.pk]) + "?" + urlencode({"error": message})
    )


@login_required
@require_POST
def cohort_import(request: HttpRequest, cohort_id: UUID) -> HttpResponse:
    item = access_cohort(user=request.user, cohort_id=cohort_id)
    upload = request.FILES.get("file")
    try:
        if upload is None or upload.size is None or upload.size > MAX_UPLOAD:
            raise services.TrainingError(_("Choose a CSV file of at most 1 MB."))
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise services.TrainingError(_("The file is not UTF-8 text.")) from exc
        batch = services.enrolment_import_check(by=_user(request), cohort=item, text=text)
    except services.TrainingError as exc:
        return _cohort_error(item, str(exc))
    return redirect("training:import", batch.pk)


@login_required
@require_http_methods(["GET", "POST"])
def enrolment_import(request: HttpRequest, import_id: UUID) -> HttpResponse:
    batch = get_object_or_404(EnrolmentImport, pk=import_id)
    access_cohort(user=request.user, cohort_id=batch.cohort_id)
    error = None
    if request.method == "POST":
        try:
            services.enrolment_import_confirm(by=_user(request), batch=batch)
            return redirect("training:cohort", batch.cohort_id)
        except services.TrainingError as exc:
            error = str(exc)
    return render(request, "training/import.html", {"batch": batch, "error": error})


@login_required
@require_POST
def session_new(request: HttpRequest, cohort_id: UUID) -> HttpResponse:
    item = access_cohort(user=request.user, cohort_id=cohort_id)
    post = request.POST
    try:
        services.session_schedule(
            by=_user(request),
            cohort=item,
            title=post.get("title", ""),
            local_start=datetime.fromisoformat(post.get("starts_at", "")),
            time_zone=post.get("time_zone", ""),
            minutes=int(post.get("minutes") or 90),
            mode=post.get("mode", ""),
            place=post.get("place", ""),
        )
    except (services.TrainingError, ValueError) as exc:
        return _cohort_error(item, str(exc))
    return redirect("training:cohort", item.pk)


@login_required
@require_GET
def cohort_ics(request: HttpRequest, cohort_id: UUID) -> HttpResponse:
    item = get_object_or_404(Cohort, pk=cohort_id)
    uid = _user(request).pk
    if not (item.enrolments.filter(teacher_id=uid).exists() or item.lead_id == uid):
        access_cohort(user=request.user, cohort_id=cohort_id)
    host = base_url().split("//", 1)[-1]
    text = calendar(item.sessions.all(), name=item.name, host=host, now=timezone.now())
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="training-sessions.ics"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(TrainingSession.objects.select_related("cohort"), pk=session_id)
    access_cohort(user=request.user, cohort_id=session.cohort_id)
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("present") if v.isdigit()]
        services.attendance_record(by=_user(request), session=session, present=ids)
        return redirect("training:cohort", session.cohort_id)
    marks = dict(session.attendance.values_list("enrolment_id", "present"))
    enrolments = [
        (e, marks.get(e.pk, False)) for e in session.cohort.enrolments.select_related("teacher")
    ]
    return render(
        request, "training/attendance.html", {"session": session, "enrolments": enrolments}
    )


@login_required
@require_http_methods(["GET", "POST"])
def assess(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = access_enrolment(user=request.user, enrolment_id=enrolment_id)
    programme_item = enrolment.cohort.programme
    error = None
    if request.method == "POST":
        post = request.POST
        try:
            competency = programme_item.target_competencies.filter(
                pk=post.get("competency")
            ).first()
            if competency is None:
                raise services.TrainingError(_("Choose a competency this programme assesses."))
            scores = {
                c["name"]: int(post.get(f"score-{i}", "-1"))
                for i, c in enumerate(programme_item.rubric)
            }
            services.evidence_assess(
                by=_user(request),
                enrolment=enrolment,
                competency=competency,
                title=post.get("title", ""),
                scores=scores,
            )
            return redirect("training:cohort", enrolment.cohort_id)
        except (services.TrainingError, ValueError) as exc:
            error = str(exc)
    rubric = [
        (i, c["name"], list(enumerate(c["levels"]))) for i, c in enumerate(programme_item.rubric)
    ]
    return render(
        request,
        "training/assess.html",
        {
            "enrolment": enrolment,
            "progress": selectors.enrolment_progress(enrolment),
            "competencies": programme_item.target_competencies.all(),
            "rubric": rubric,
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def complete(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = access_enrolment(user=request.user, enrolment_id=enrolment_id)
    try:
        services.enrolment_complete(by=_user(request), enrolment=enrolment)
    except services.TrainingError as exc:
        return _cohort_error(enrolment.cohort, str(exc))
    return redirect("training:cohort", enrolment.cohort_id)


@login_required
@require_POST
def revoke(request: HttpRequest, credential_id: UUID) -> HttpResponse:
    _require_coordinator(request)
    credential = get_object_or_404(
        IssuedCredential.objects.select_related("enrolment"), pk=credential_id
    )
    try:
        services.credential_revoke(
            by=_user(request), credential=credential, reason=request.POST.get("reason", "")
        )
    except services.TrainingError as exc:
        return _cohort_error(credential.enrolment.cohort, str(exc))
    return redirect("training:cohort", credential.enrolment.cohort_id)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    enrolments = Enrolment.objects.filter(teacher=user).select_related(
        "cohort__programme", "cohort__centre", "cohort__lead"
    )
    rows = []
    for enrolment in enrolments:
        credential = IssuedCredential.objects.filter(enrolment=enrolment).first()
        rows.append((enrolment, selectors.enrolment_progress(enrolment), credential))
    return render(
        request,
        "training/mine.html",
        {
            "rows": rows,
            "upcoming": selectors.upcoming_sessions(user)[:10],
            "seed_generation": services.seed_generation(user),
            "led": selectors.cohorts_led_by(user),
            "trainer_programmes": {
                e.cohort.programme for e in enrolments if e.cohort.programme.trains_trainers
            },
        },
    )


@login_required
@require_GET
def credential_json(request: HttpRequest, credential_id: UUID) -> HttpResponse:
    credential = access_credential(user=request.user, credential_id=credential_id)
    response = HttpResponse(
        json.dumps(credential.document, indent=2, ensure_ascii=False),
        content_type="application/ld+json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="credential-{credential.pk}.json"'
    return response


def verify_link(credential: IssuedCredential) -> str:
    return f"{base_url()}{reverse('training:verify')}?credential={credential.pk}"


@login_required
@require_GET
def credential_qr(request: HttpRequest, credential_id: UUID) -> HttpResponse:
    """A QR code of the verification link (the whole credential is too large for a QR code)."""
    credential = access_credential(user=request.user, credential_id=credential_id)
    svg = segno.make(verify_link(credential), error="m").svg_inline(scale=4, title=_("Verify"))
    return HttpResponse(svg, content_type="image/svg+xml")


def _read_presented(request: HttpRequest) -> tuple[dict[str, Any] | None, str | None]:
    upload = request.FILES.get("file")
    text = request.POST.get("credential", "")
    if upload is not None:
        if upload.size is not None and upload.size > MAX_UPLOAD:
            return None, _("The file is larger than 1 MB.")
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            return None, _("The file is not UTF-8 text.")
    if not text.strip():
        return None, _("Paste a credential or choose a file.")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, _("This is not JSON: %(msg)s at line %(line)d.") % {
            "msg": exc.msg,
            "line": exc.lineno,
        }
    if not isinstance(document, dict):
        return None, _("A credential is a JSON object.")
    return document, None


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Public: anyone may paste, upload, or follow a QR link to check a credential."""
    document, error = None, None
    if request.method == "POST":
        document, error = _read_presented(request)
    elif request.GET.get("credential"):
        try:
            stored = IssuedCredential.objects.filter(pk=UUID(request.GET["credential"])).first()
        except ValueError:
            stored = None
        document = stored.document if stored else None
        error = None if stored else _("No credential with this identifier was issued here.")
    result = selectors.credential_verify(document) if document is not None else None
    return render(
        request,
        "training/verify.html",
        {"result": result, "error": error},
        status=400 if error else 200,
    )


@require_GET
def status_list(request: HttpRequest, number: int) -> HttpResponse:
    if number != STATUS_LIST_NUMBER:
        return JsonResponse({"detail": "no such status list"}, status=404)
    return JsonResponse(
        services.status_list_document(),
        content_type="application/vc+ld+json",
        json_dumps_params={"indent": 2},
    )


@login_required
@require_GET
def cascade(request: HttpRequest) -> HttpResponse:
    _require_coordinator(request)
    generations = selectors.cascade_generations()
    chart = grouped_bars_with_target(
        title=_("Teachers reached and completed per cascade generation"),
        categories=[_("Generation %(n)d") % {"n": g.generation} for g in generations],
        series=[
            Series(_("enrolled"), [g.enrolled for g in generations]),
            Series(_("completed"), [g.completed for g in generations]),
        ],
    )
    countries = sorted({c for g in generations for c in g.countries})
    return render(
        request,
        "training/cascade.html",
        {
            "generations": generations,
            "countries": countries,
            "chart": chart,
            "tree": selectors.cascade_tree(),
        },
    )
