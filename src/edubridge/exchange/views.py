"""Pages for exchange coordinators and applicants; forms work without JavaScript."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from edubridge.accounts.access import signed_in_user as _user
from edubridge.accounts.models import Organization
from edubridge.core.charts import Series, grouped_bars_with_target
from edubridge.exchange import selectors, services
from edubridge.exchange.access import access_programme, can_coordinate
from edubridge.exchange.eligibility import CEFR_LEVELS
from edubridge.exchange.models import PROGRESS_STAGES, Application, Choice, Participation, Programme

LANGUAGES_ASKED = ("en", "zh", "id", "ar", "fr")


@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = Programme.objects.select_related("coordinator").order_by("-start_year", "name")
    return render(
        request,
        "exchange/programme_list.html",
        {"programmes": programmes, "coordinating": can_coordinate(request.user)},
    )


def _progress_chart(programme: Programme, progress: dict[str, list[selectors.ProgressRow]]) -> str:
    years = progress["year"]
    stages = [
        PROGRESS_STAGES[0],
        PROGRESS_STAGES[3],
        PROGRESS_STAGES[4],
    ]  # admitted, arrived, completed
    return grouped_bars_with_target(
        title=_("Participants per year against the target"),
        categories=[row.key for row in years],
        series=[
            Series(str(stage.label), [row.reached.get(stage.value, 0) for row in years])
            for stage in stages
        ],
        targets=[row.target for row in years],
        target_label=_("target"),
    )


@login_required
@require_GET
def programme_detail(request: HttpRequest, programme_id: UUID) -> HttpResponse:
    programme = access_programme(user=request.user, programme_id=programme_id)
    coordinating = can_coordinate(request.user)
    context: dict[str, object] = {
        "programme": programme,
        "coordinating": coordinating,
        "places": programme.places.select_related("host").order_by("code"),
        "my_application": Application.objects.filter(
            programme=programme, applicant=_user(request)
        ).first(),
    }
    if coordinating:
        progress = selectors.programme_progress(programme)
        context.update(
            {
                "runs": programme.match_runs.order_by("round"),
                "totals": selectors.programme_totals(programme),
                "progress": progress,
                "stages": PROGRESS_STAGES,
                "chart": _progress_chart(programme, progress),
                "unscored": Choice.objects.filter(
                    application__programme=programme, host_score__isnull=True
                ).count(),
            }
        )
    return render(request, "exchange/programme_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, programme_id: UUID) -> HttpResponse:
    programme = access_programme(user=request.user, programme_id=programme_id)
    user = _user(request)
    places = list(programme.places.select_related("host").order_by("code"))
    error = ""
    if request.method == "POST":
        codes = [request.POST.get(f"choice_{k}", "") for k in range(1, programme.max_choices + 1)]
        levels = {lang: request.POST.get(f"level_{lang}", "") for lang in LANGUAGES_ASKED}
        try:
            services.application_submit(
                programme=programme,
                applicant=user,
                sending_country=request.POST.get("sending_country")
                or (user.organization.country if user.organization else ""),
                place_codes=codes,
                language_levels=levels,
                statement=request.POST.get("statement", ""),
                documents=[
                    (request.POST.get(f"document_kind_{k}", "") or _("document"), upload)
                    for k, upload in enumerate(request.FILES.getlist("documents"))
                ],
            )
        except services.ExchangeError as exc:
            error = str(exc)
        else:
            return redirect("exchange:my-application", programme_id=programme.pk)
    return render(
        request,
        "exchange/apply.html",
        {
            "programme": programme,
            "places": places,
            "ranks": range(1, programme.max_choices + 1),
            "asked_languages": LANGUAGES_ASKED,
            "levels": CEFR_LEVELS,
            "error": error,
            "posted": request.POST,
        },
        status=400 if error else 200,
    )


@login_required
@require_GET
def my_application(request: HttpRequest, programme_id: UUID) -> HttpResponse:
    programme = access_programme(user=request.user, programme_id=programme_id)
    application = Application.objects.filter(programme=programme, applicant=_user(request)).first()
    if application is None:
        return redirect("exchange:apply", programme_id=programme.pk)
    return render(
        request,
        "exchange/my_application.html",
        {
            "programme": programme,
            "application": application,
            "choices": application.choices.select_related("place__host").order_by("preference"),
            "outcomes": selectors.outcomes_for_applicant(application),
            "participation": Participation.objects.filter(application=application)
            .select_related("place")
            .first(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def scores(request: HttpRequest, programme_id: UUID) -> HttpResponse:
    """Hosts' scores for each applicant per place, by weighted criteria or by hand."""
    programme = access_programme(user=request.user, programme_id=programme_id, coordinate=True)
    error = ""
    if request.method == "POST":
        choice = (
            Choice.objects.select_related("place")
            .filter(application__programme=programme, pk=request.POST.get("choice") or 0)
            .first()
        )
        try:
            if choice is None:
                raise services.ExchangeError(_("That choice is not part of this programme."))
            if choice.place.criteria:
                given = {
                    name: float(request.POST.get(f"c_{name}", "")) for name in choice.place.criteria
                }
                services.choice_score(choice=choice, by=_user(request), criteria_scores=given)
            else:
                services.choice_score(
                    choice=choice, by=_user(request), host_score=float(request.POST["score"])
                )
        except (ValueError, KeyError) as exc:
            error = (
                str(exc)
                if isinstance(exc, services.ExchangeError)
                else _("Scores must be numbers.")
            )
        else:
            return redirect(f"{request.path}?place={choice.place.code}")
    place_code = request.GET.get("place") or request.POST.get("place", "")
    place = (
        programme.places.filter(code=place_code).first()
        or programme.places.order_by("code").first()
    )
    choices = (
        Choice.objects.filter(place=place)
        .select_related("application")
        .order_by("-host_score", "pk")
        if place
        else Choice.objects.none()
    )
    return render(
        request,
        "exchange/scores.html",
        {
            "programme": programme,
            "place": place,
            "places": programme.places.order_by("code"),
            "choices": choices,
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def run_match(request: HttpRequest, programme_id: UUID) -> HttpResponse:
    programme = access_programme(user=request.user, programme_id=programme_id, coordinate=True)
    try:
        round_ = int(request.POST.get("round", "1"))
        seed_text = request.POST.get("seed", "").strip()
        services.match_run(
            programme=programme,
            by=_user(request),
            round=round_,
            seed=int(seed_text) if seed_text else None,
        )
    except (services.ExchangeError, ValueError) as exc:
        return render(
            request, "exchange/error.html", {"programme": programme, "error": str(exc)}, status=400
        )
    return redirect("exchange:programme", programme_id=programme.pk)


@login_required
@require_POST
def advance(request: HttpRequest, programme_id: UUID) -> HttpResponse:
    programme = access_programme(user=request.user, programme_id=programme_id, coordinate=True)
    participation = Participation.objects.filter(
        application__programme=programme, pk=request.POST.get("participation") or 0
    ).first()
    try:
        if participation is None:
            raise services.ExchangeError(_("That participant is not part of this programme."))
        services.participation_advance(
            participation=participation, status=request.POST.get("status", ""), by=_user(request)
        )
    except (services.ExchangeError, ValueError) as exc:
        return render(
            request, "exchange/error.html", {"programme": programme, "error": str(exc)}, status=400
        )
    return redirect("exchange:participants", programme_id=programme.pk)


@login_required
@require_GET
def participants(request: HttpRequest, programme_id: UUID) -> HttpResponse:
    programme = access_programme(user=request.user, programme_id=programme_id, coordinate=True)
    rows = (
        Participation.objects.filter(application__programme=programme)
        .select_related("application", "place")
        .order_by("place__code", "application_id")
    )
    return render(
        request,
        "exchange/participants.html",
        {
            "programme": programme,
            "rows": rows[:500],
            "total": rows.count(),
            "next_status": {k.value: sorted(v) for k, v in services.ALLOWED_TRANSITIONS.items()},
        },
    )


def _csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def progress_csv(request: HttpRequest, programme_id: UUID) -> HttpResponse:
    programme = access_programme(user=request.user, programme_id=programme_id, coordinate=True)
    return _csv_response(selectors.progress_csv(programme), f"progress-{programme.pk}.csv")


@login_required
@require_GET
def match_csv(request: HttpRequest, programme_id: UUID, round: int) -> HttpResponse:
    programme = access_programme(user=request.user, programme_id=programme_id, coordinate=True)
    return _csv_response(
        selectors.match_csv(programme, round), f"match-round{round}-{programme.pk}.csv"
    )


def _parse_targets(text: str) -> dict[int, int]:
    """'2026:120, 2027:150' -> {2026: 120, 2027: 150}."""
    targets: dict[int, int] = {}
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        year, sep, count = part.partition(":")
        if not sep:
            raise services.ExchangeError(_("Targets must look like '2026:120, 2027:150'."))
        targets[int(year)] = int(count)
    if not targets:
        raise services.ExchangeError(_("Give at least one yearly target."))
    return targets


@login_required
@require_http_methods(["GET", "POST"])
def programme_new(request: HttpRequest) -> HttpResponse:
    if not can_coordinate(request.user):
        raise PermissionDenied("Only exchange coordinators create programmes.")
    user = _user(request)
    error = ""
    if request.method == "POST":
        post = request.POST
        try:
            seed = post.get("lottery_seed", "").strip()
            programme = services.programme_create(
                by=user,
                name=post.get("name", "").strip(),
                description=post.get("description", ""),
                coordinator=user.organization or Organization.objects.order_by("name").first(),  # type: ignore[arg-type]
                partner_countries=[
                    c.strip() for c in post.get("partner_countries", "").split(",") if c.strip()
                ],
                start_year=int(post.get("start_year", "")),
                end_year=int(post.get("end_year", "")),
                targets=_parse_targets(post.get("targets", "")),
                max_choices=int(post.get("max_choices", "5")),
                lottery_seed=int(seed) if seed else None,
            )
        except (services.ExchangeError, ValueError) as exc:
            error = (
                str(exc)
                if isinstance(exc, services.ExchangeError)
                else _("Years, targets and numbers must be whole numbers.")
            )
        else:
            return redirect("exchange:places", programme_id=programme.pk)
    return render(
        request,
        "exchange/programme_new.html",
        {"error": error, "posted": request.POST},
        status=400 if error else 200,
    )


def _organization(raw_id: str) -> Organization | None:
    try:
        return Organization.objects.filter(pk=UUID(raw_id)).first()
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def places(request: HttpRequest, programme_id: UUID) -> HttpResponse:
    """Add places one by one or from a CSV file; a bad file adds nothing and lists every bad row."""
    programme = access_programme(user=request.user, programme_id=programme_id, coordinate=True)
    error, added = "", 0
    problems: list[services.RowProblem] = []
    if request.method == "POST":
        upload = request.FILES.get("csv")
        if upload is not None:
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                error = _("The file is not UTF-8 text.")
            else:
                added, problems = services.places_import_csv(
                    programme=programme, text=text, by=_user(request)
                )
        else:
            post = request.POST
            try:
                host = _organization(post.get("host", ""))
                if host is None:
                    raise services.ExchangeError(_("Choose the host organization."))
                services.place_add(
                    programme=programme,
                    code=post.get("code", "").strip(),
                    host=host,
                    title=post.get("title", "").strip(),
                    field=post.get("field", "").strip(),
                    level=post.get("level", "").strip(),
                    year=int(post.get("year", "")),
                    capacity=int(post.get("capacity", "")),
                    language_requirements=services.parse_pairs(
                        post.get("languages", ""), what=_("Languages")
                    ),
                )
                added = 1
            except (services.ExchangeError, ValueError) as exc:
                error = (
                    str(exc)
                    if isinstance(exc, services.ExchangeError)
                    else _("Year and capacity must be whole numbers.")
                )
    status = 400 if error or problems else 200
    return render(
        request,
        "exchange/places.html",
        {
            "programme": programme,
            "places": programme.places.select_related("host").order_by("code"),
            "hosts": Organization.objects.order_by("country", "name"),
            "error": error,
            "problems": problems,
            "added": added,
        },
        status=status,
    )


@login_required
@require_GET
def lottery_csv(request: HttpRequest, programme_id: UUID, round: int) -> HttpResponse:
    """The published lottery of a round: position and application reference, re-checkable from the seed."""
    programme = access_programme(user=request.user, programme_id=programme_id, coordinate=True)
    run = programme.match_runs.filter(round=round).first()
    if run is None:
        return HttpResponse(_("No such round."), status=404, content_type="text/plain")
    lines = ["position,applicant_id", *[f"{k},{ref}" for k, ref in enumerate(run.lottery, start=1)]]
    return _csv_response("\n".join(lines) + "\n", f"lottery-round{round}-seed{run.seed}.csv")
