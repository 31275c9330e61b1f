"""HTTP API for exchange programmes: list, apply, match, outcomes and progress."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from edubridge.accounts.models import User
from edubridge.core.http_auth import AUTH
from edubridge.exchange import selectors, services
from edubridge.exchange.access import access_programme
from edubridge.exchange.models import Application, Place, Programme

router = Router(tags=["exchange"], auth=AUTH)


class PlaceOut(Schema):
    code: str
    title: str
    host: str
    host_country: str
    field: str
    level: str
    year: int
    capacity: int
    language_requirements: dict[str, str]


class ProgrammeOut(Schema):
    id: UUID
    name: str
    status: str
    start_year: int
    end_year: int
    partner_countries: list[str]
    target_total: int
    max_choices: int
    lottery_seed: int | None


class ProgrammeDetailOut(ProgrammeOut):
    places: list[PlaceOut]


class ApplicationIn(Schema):
    sending_country: str
    choices: list[str]
    language_levels: dict[str, str] = {}
    statement: str = ""


class ChoiceOut(Schema):
    preference: int
    place: str
    eligible: bool
    ineligible_reason: str


class ApplicationOut(Schema):
    reference: str
    choices: list[ChoiceOut]
    outcome: str | None


class MatchIn(Schema):
    round: int = 1
    seed: int | None = None


class MatchOut(Schema):
    round: int
    seed: int
    matched: int
    unmatched: int
    places_filled: int
    seconds: float
    unscored_choices: int


class ProgressRowOut(Schema):
    key: str
    target: int | None
    reached: dict[str, int]
    declined: int


def _access(request: HttpRequest, programme_id: UUID, coordinate: bool = False) -> Programme:
    try:
        return access_programme(user=request.user, programme_id=programme_id, coordinate=coordinate)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc


def _place_out(place: Place) -> dict[str, object]:
    return {
        "code": place.code,
        "title": place.title,
        "host": place.host.name,
        "host_country": place.host.country,
        "field": place.field,
        "level": place.level,
        "year": place.year,
        "capacity": place.capacity,
        "language_requirements": place.language_requirements,
    }


def _application_out(application: Application) -> dict[str, object]:
    outcome = application.outcomes.order_by("-run__round").first()
    return {
        "reference": application.reference,
        "choices": [
            {
                "preference": c.preference,
                "place": c.place.code,
                "eligible": not c.ineligible_reason,
                "ineligible_reason": c.ineligible_reason,
            }
            for c in application.choices.select_related("place").order_by("preference")
        ],
        "outcome": outcome.explanation if outcome else None,
    }


@router.get("/programmes", response=list[ProgrammeOut], summary="Exchange programmes")
def programmes(request: HttpRequest) -> list[Programme]:
    return list(Programme.objects.order_by("-start_year", "name"))


@router.get(
    "/programmes/{programme_id}", response=ProgrammeDetailOut, summary="A programme with its places"
)
def programme(request: HttpRequest, programme_id: UUID) -> dict[str, object]:
    p = _access(request, programme_id)
    data = ProgrammeOut.from_orm(p).dict()
    data["places"] = [
        _place_out(place) for place in p.places.select_related("host").order_by("code")
    ]
    return data


@router.post(
    "/programmes/{programme_id}/applications",
    response={201: ApplicationOut},
    summary="Apply with ranked choices; eligibility is checked per choice",
)
def apply(
    request: HttpRequest, programme_id: UUID, payload: ApplicationIn
) -> Status[dict[str, object]]:
    p = _access(request, programme_id)
    assert isinstance(request.user, User)
    try:
        application = services.application_submit(
            programme=p,
            applicant=request.user,
            sending_country=payload.sending_country,
            place_codes=payload.choices,
            language_levels=payload.language_levels,
            statement=payload.statement,
        )
    except services.ExchangeError as exc:
        raise HttpError(422, str(exc)) from exc
    return Status(201, _application_out(application))


@router.get(
    "/programmes/{programme_id}/applications/mine",
    response=ApplicationOut,
    summary="Your application, and why you were (not) matched to each choice",
)
def my_application(request: HttpRequest, programme_id: UUID) -> dict[str, object]:
    p = _access(request, programme_id)
    assert isinstance(request.user, User)
    application = Application.objects.filter(programme=p, applicant=request.user).first()
    if application is None:
        raise HttpError(404, "You have not applied to this programme.")
    return _application_out(application)


@router.post(
    "/programmes/{programme_id}/match",
    response=MatchOut,
    summary="Run the match (round 1, or round 2 for unfilled places); coordinators only",
)
def run_match(request: HttpRequest, programme_id: UUID, payload: MatchIn) -> dict[str, object]:
    p = _access(request, programme_id, coordinate=True)
    assert isinstance(request.user, User)
    try:
        summary = services.match_run(
            programme=p, by=request.user, round=payload.round, seed=payload.seed
        )
    except services.ExchangeError as exc:
        raise HttpError(422, str(exc)) from exc
    run = summary.run
    return {
        "round": run.round,
        "seed": run.seed,
        "matched": run.matched,
        "unmatched": run.unmatched,
        "places_filled": run.places_filled,
        "seconds": run.seconds,
        "unscored_choices": summary.unscored,
    }


@router.get(
    "/programmes/{programme_id}/progress",
    response=dict[str, list[ProgressRowOut]],
    summary="Participants per stage by year (against targets), sending country and field",
)
def progress(request: HttpRequest, programme_id: UUID) -> dict[str, list[dict[str, object]]]:
    p = _access(request, programme_id, coordinate=True)
    return {
        kind: [row.__dict__ for row in rows]
        for kind, rows in selectors.programme_progress(p).items()
    }
