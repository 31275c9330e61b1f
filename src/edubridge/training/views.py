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
    access_evidence,
    access_own_enrolment,
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
    Quiz,
    SessionMode,
    TrainingSession,
)
from edubridge.training.signing import (
    DID_KEY,
    DID_WEB,
    STATUS_LIST_NUMBER,
    base_url,
    issuer_method,
    node_did_document,
)

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
            "quizzes": item.quizzes.select_related("competency"),
            "quiz_error": request.GET.get("quiz_error"),
            "banks": _published_banks() if can_coordinate(request.user) else [],
        },
    )


def _published_banks() -> list[tuple[str, str, int]]:
    """(slug, title, item count) of published catalogue banks, to help name quiz items."""
    from django.db.models import Count

    from edubridge.catalogue.models import Bank, BankStatus

    return list(
        Bank.objects.filter(status=BankStatus.PUBLISHED)
        .annotate(n=Count("items"))
        .values_list("slug", "title", "n")[:50]
    )


@login_required
@require_POST
def quiz_new(request: HttpRequest, programme_id: UUID) -> HttpResponse:
    """The coordinator names catalogue items as the quiz for one of the programme's competencies."""
    from urllib.parse import urlencode

    _require_coordinator(request)
    item = get_object_or_404(Programme, pk=programme_id)
    post = request.POST
    try:
        competency = item.target_competencies.filter(pk=post.get("competency") or 0).first()
        if competency is None:
            raise services.TrainingError(_("Choose a competency this programme assesses."))
        services.quiz_create(
            by=_user(request),
            programme=item,
            competency=competency,
            title=post.get("title", ""),
            items=services.parse_item_refs(post.get("items", "")),
            pass_percent=int(post.get("pass_percent") or 80),
        )
    except (services.TrainingError, ValueError) as exc:
        return redirect(
            reverse("training:programme", args=[item.pk])
            + "?"
            + urlencode({"quiz_error": str(exc)})
            + "#quizzes"
        )
    return redirect(reverse("training:programme", args=[item.pk]) + "#quizzes")


def _question(number: int, document: dict[str, Any], given: list[str]) -> dict[str, Any]:
    """What the quiz form needs for one item: its kind, options and the answer given so far."""
    interaction = document["interaction"]
    choices = [(str(c["id"]), c["text"]) for c in interaction.get("choices", [])]
    kind = interaction["type"]
    return {
        "number": number,
        "name": f"q{number}",
        "kind": kind,
        "stem": document["stem"],
        "prompt": interaction.get("prompt", ""),
        "language": document.get("language", ""),
        "unit": interaction.get("unit") or "",
        "choices": choices,
        "slots": [
            (
                position,
                [
                    (cid, text, position <= len(given) and given[position - 1] == cid)
                    for cid, text in choices
                ],
            )
            for position in range(1, len(choices) + 1)
        ],
        "pairs": [
            (
                str(source["id"]),
                source["text"],
                [
                    (str(t["id"]), t["text"], row < len(given) and given[row] == str(t["id"]))
                    for t in interaction.get("target", [])
                ],
            )
            for row, source in enumerate(interaction.get("source", []))
        ],
        "given": given,
        "first": given[0] if given else "",
    }


@login_required
@require_http_methods(["GET", "POST"])
def quiz_take(request: HttpRequest, enrolment_id: int, quiz_id: UUID) -> HttpResponse:
    """One form, scored on the server; works without JavaScript. Bad answers keep every answer."""
    enrolment = access_own_enrolment(user=request.user, enrolment_id=enrolment_id)
    quiz = get_object_or_404(Quiz, pk=quiz_id, programme_id=enrolment.cohort.programme_id)
    error, problems = None, {}
    try:
        documents = services.quiz_questions(quiz)
    except services.TrainingError as exc:
        return render(request, "training/error.html", {"error": str(exc)}, status=409)
    given: list[list[str]] = [[] for _ in documents]
    if request.method == "POST":
        for number, document in enumerate(documents, start=1):
            kind = document["interaction"]["type"]
            if kind == "order":
                count = len(document["interaction"].get("choices", []))
                given[number - 1] = [
                    request.POST.get(f"q{number}-{p}", "") for p in range(1, count + 1)
                ]
            elif kind == "match":
                given[number - 1] = [
                    request.POST.get(f"q{number}-{c['id']}", "")
                    for c in document["interaction"].get("source", [])
                ]
            else:
                given[number - 1] = request.POST.getlist(f"q{number}")
        try:
            evidence = services.quiz_submit(
                teacher=_user(request), enrolment=enrolment, quiz=quiz, responses=given
            )
            return redirect("training:evidence", evidence.pk)
        except services.QuizAnswerError as exc:
            error, problems = str(exc), exc.problems
        except services.TrainingError as exc:
            error = str(exc)
    questions = [
        {**_question(n, d, given[n - 1]), "problem": problems.get(n)}
        for n, d in enumerate(documents, start=1)
    ]
    return render(
        request,
        "training/quiz.html",
        {
            "enrolment": enrolment,
            "quiz": quiz,
            "questions": questions,
            "attempts": enrolment.evidence.filter(quiz=quiz),
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_GET
def evidence_detail(request: HttpRequest, evidence_id: int) -> HttpResponse:
    """The evidence behind a competency: a quiz item by item, or the rubric points given."""
    evidence = access_evidence(user=request.user, evidence_id=evidence_id)
    programme_item = evidence.enrolment.cohort.programme
    rubric = [
        (c["name"], evidence.scores.get(c["name"]), len(c["levels"]) - 1)
        for c in programme_item.rubric
    ]
    return render(
        request,
        "training/evidence.html",
        {"evidence": evidence, "rubric": rubric, "programme": programme_item},
    )


@require_GET
def did_document(request: HttpRequest) -> HttpResponse:
    """Public: the node's did:web document (its Ed25519 key as a Multikey assertion method)."""
    try:
        document = node_did_document()
    except ValueError as exc:
        return JsonResponse({"detail": str(exc)}, status=404)
    response = JsonResponse(document, json_dumps_params={"indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response


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
        if credential.enrolment is None:
            return render(request, "training/error.html", {"error": str(exc)}, status=400)
        return _cohort_error(credential.enrolment.cohort, str(exc))
    if credential.enrolment is None:
        return redirect(reverse("training:verify") + f"?credential={credential.pk}")
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
        quizzes = [
            (q, enrolment.evidence.filter(quiz=q).order_by("-assessed_at").first())
            for q in enrolment.cohort.programme.quizzes.select_related("competency")
        ]
        rows.append((enrolment, selectors.enrolment_progress(enrolment), credential, quizzes))
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
            "other_credentials": IssuedCredential.objects.filter(
                holder=user, enrolment__isnull=True
            ),
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
        {"result": result, "error": error, "issuer_method": _issuer_method_or_none()},
        status=400 if error else 200,
    )


def _status_list(number: int, method: str) -> HttpResponse:
    if number != STATUS_LIST_NUMBER:
        return JsonResponse({"detail": "no such status list"}, status=404)
    try:
        document = services.status_list_document(method=method)
    except ValueError as exc:
        return JsonResponse({"detail": str(exc)}, status=404)
    return JsonResponse(
        document, content_type="application/vc+ld+json", json_dumps_params={"indent": 2}
    )


def _issuer_method_or_none() -> str | None:
    try:
        return issuer_method()
    except ValueError:
        return None


@require_GET
def status_list(request: HttpRequest, number: int) -> HttpResponse:
    """The revocation list signed by the node's did:key."""
    return _status_list(number, DID_KEY)


@require_GET
def status_list_web(request: HttpRequest, number: int) -> HttpResponse:
    """The same revocation list signed by the node's did:web."""
    return _status_list(number, DID_WEB)


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
