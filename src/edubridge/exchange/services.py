"""Writes for exchange programmes: every change goes through these functions, in transactions."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from edubridge.accounts.models import Organization, User
from edubridge.core.audit import audit_record
from edubridge.engines.matching import api as matching
from edubridge.engines.matching.data import Application as EngineApplication
from edubridge.engines.matching.data import MatchInputError, Reserve
from edubridge.engines.matching.data import Place as EnginePlace
from edubridge.exchange.eligibility import cefr_rank, ineligibility
from edubridge.exchange.models import (
    Application,
    ApplicationDocument,
    Choice,
    MatchOutcome,
    MatchRun,
    Participation,
    ParticipationStatus,
    Place,
    Programme,
    ProgrammeStatus,
    ProgrammeTarget,
)

RESERVABLE_ATTRIBUTES = ("sending_country", "gender", "first_generation", "field")


class ExchangeError(ValueError):
    """A request the programme's rules refuse; the message says why, for people."""


@transaction.atomic
def programme_create(
    *,
    by: User | None,
    name: str,
    coordinator: Organization,
    partner_countries: list[str],
    start_year: int,
    end_year: int,
    targets: Mapping[int, int],
    max_choices: int = 5,
    description: str = "",
    lottery_seed: int | None = None,
) -> Programme:
    """Create a programme with a target per year; the total target is their sum."""
    if end_year < start_year:
        raise ExchangeError(_("The last year comes before the first year."))
    outside = sorted(set(targets) - set(range(start_year, end_year + 1)))
    if outside:
        raise ExchangeError(_("Targets name years outside the programme: %s.") % outside)
    programme = Programme.objects.create(
        name=name,
        description=description,
        coordinator=coordinator,
        partner_countries=sorted({c.upper() for c in partner_countries}),
        start_year=start_year,
        end_year=end_year,
        target_total=sum(targets.values()),
        max_choices=max_choices,
        lottery_seed=lottery_seed,
        status=ProgrammeStatus.OPEN,
    )
    ProgrammeTarget.objects.bulk_create(
        ProgrammeTarget(programme=programme, year=y, participants=n)
        for y, n in sorted(targets.items())
    )
    audit_record(action="exchange.programme_created", actor=by, target=name)
    return programme


def _validate_reserves(reserves: list[dict[str, object]], capacity: int) -> list[dict[str, object]]:
    total = 0
    for reserve in reserves:
        if reserve.get("attribute") not in RESERVABLE_ATTRIBUTES:
            raise ExchangeError(
                _("A quota may only name one of: %s.") % ", ".join(RESERVABLE_ATTRIBUTES)
            )
        seats = int(str(reserve.get("seats", 0)))
        if seats < 0:
            raise ExchangeError(_("A quota cannot reserve a negative number of seats."))
        total += seats
    if total > capacity:
        raise ExchangeError(
            _("Quotas reserve %(total)s seats but the place has %(capacity)s.")
            % {"total": total, "capacity": capacity}
        )
    return reserves


@transaction.atomic
def place_add(
    *,
    programme: Programme,
    code: str,
    host: Organization,
    title: str,
    field: str,
    level: str,
    year: int,
    capacity: int,
    language_requirements: Mapping[str, str] | None = None,
    reserves: list[dict[str, object]] | None = None,
    criteria: Mapping[str, float] | None = None,
) -> Place:
    if not programme.start_year <= year <= programme.end_year:
        raise ExchangeError(_("The place's year is outside the programme."))
    if capacity < 0:
        raise ExchangeError(_("Capacity cannot be negative."))
    for language, level_required in (language_requirements or {}).items():
        if cefr_rank(level_required) < 0:
            raise ExchangeError(
                _("%(level)s is not a CEFR level (A1 to C2) for %(language)s.")
                % {"level": level_required, "language": language}
            )
    place, _created = Place.objects.update_or_create(
        programme=programme,
        code=code,
        defaults={
            "host": host,
            "title": title,
            "field": field,
            "level": level,
            "year": year,
            "capacity": capacity,
            "language_requirements": dict(language_requirements or {}),
            "reserves": _validate_reserves(list(reserves or []), capacity),
            "criteria": dict(criteria or {}),
        },
    )
    return place


@transaction.atomic
def application_submit(
    *,
    programme: Programme,
    applicant: User,
    sending_country: str,
    place_codes: list[str],
    language_levels: Mapping[str, str] | None = None,
    gender: str = "",
    first_generation: bool | None = None,
    statement: str = "",
    documents: list[tuple[str, UploadedFile[bytes]]] | None = None,
) -> Application:
    """Record an application with ranked choices; each choice gets its eligibility verdict now."""
    if programme.status != ProgrammeStatus.OPEN:
        raise ExchangeError(_("This programme is not taking applications."))
    codes = [c for c in (code.strip() for code in place_codes) if c]
    if not codes:
        raise ExchangeError(_("Choose at least one place."))
    if len(codes) > programme.max_choices:
        raise ExchangeError(_("You may rank at most %s places.") % programme.max_choices)
    if len(set(codes)) != len(codes):
        raise ExchangeError(_("Each place may be ranked only once."))
    places = {
        p.code: p
        for p in Place.objects.filter(programme=programme, code__in=codes).select_related("host")
    }
    unknown = [c for c in codes if c not in places]
    if unknown:
        raise ExchangeError(_("Unknown places: %s.") % ", ".join(unknown))
    levels = {k.lower(): v.upper() for k, v in (language_levels or {}).items() if v}
    bad_levels = [f"{k}={v}" for k, v in levels.items() if cefr_rank(v) < 0]
    if bad_levels:
        raise ExchangeError(_("Not CEFR levels (A1 to C2): %s.") % ", ".join(bad_levels))
    for kind, upload in documents or []:
        _check_document(kind, upload)
    if Application.objects.filter(programme=programme, applicant=applicant).exists():
        raise ExchangeError(_("You have already applied to this programme."))
    application = Application.objects.create(
        programme=programme,
        applicant=applicant,
        sending_country=sending_country.upper(),
        gender=gender,
        first_generation=first_generation,
        language_levels=levels,
        statement=statement,
    )
    Choice.objects.bulk_create(
        Choice(
            application=application,
            place=places[code],
            preference=rank,
            ineligible_reason=ineligibility(
                sending_country=application.sending_country,
                host_country=places[code].host.country,
                partner_countries=programme.partner_countries,
                language_levels=levels,
                language_requirements=places[code].language_requirements,
            ),
        )
        for rank, code in enumerate(codes, start=1)
    )
    for kind, upload in documents or []:
        ApplicationDocument.objects.create(application=application, kind=kind, file=upload)
    return application


DOCUMENT_TYPES = {".pdf", ".png", ".jpg", ".jpeg"}
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


def _check_document(kind: str, upload: UploadedFile[bytes]) -> None:
    name = upload.name or ""
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    if suffix not in DOCUMENT_TYPES:
        raise ExchangeError(_("%(name)s: documents must be PDF, PNG or JPEG.") % {"name": name})
    if (upload.size or 0) > DOCUMENT_MAX_BYTES:
        raise ExchangeError(_("%(name)s is larger than 10 MB.") % {"name": name})
    if not kind.strip():
        raise ExchangeError(_("Say what each document is."))


def weighted_score(criteria: Mapping[str, float], scores: Mapping[str, float]) -> float:
    """Host score from criteria weights: sum of weight × score over the place's criteria."""
    missing = sorted(set(criteria) - set(scores))
    if missing:
        raise ExchangeError(_("Scores missing for criteria: %s.") % ", ".join(missing))
    return round(sum(float(w) * float(scores[name]) for name, w in criteria.items()), 6)


@transaction.atomic
def choice_score(
    *,
    choice: Choice,
    by: User | None,
    criteria_scores: Mapping[str, float] | None = None,
    host_score: float | None = None,
) -> Choice:
    """A host scores one applicant for one place, by weighted criteria or by hand."""
    if criteria_scores is not None:
        choice.criteria_scores = {k: float(v) for k, v in criteria_scores.items()}
        choice.host_score = weighted_score(choice.place.criteria, choice.criteria_scores)
    elif host_score is not None:
        choice.host_score = float(host_score)
    else:
        raise ExchangeError(_("Give criteria scores or an overall score."))
    choice.save(update_fields=["criteria_scores", "host_score"])
    return choice


def _applicant_attributes(application: Application) -> dict[str, str]:
    attributes = {"sending_country": application.sending_country}
    if application.gender:
        attributes["gender"] = application.gender
    if application.first_generation is not None:
        attributes["first_generation"] = "yes" if application.first_generation else "no"
    return attributes


def _engine_places(places: Iterable[Place]) -> list[EnginePlace]:
    return [
        EnginePlace(
            place.code,
            place.capacity,
            tuple(
                Reserve(str(r["attribute"]), str(r["value"]), int(str(r["seats"])))
                for r in place.reserves
            ),
        )
        for place in places
    ]


@dataclass(frozen=True)
class MatchSummary:
    run: MatchRun
    unscored: int


@transaction.atomic
def match_run(
    *, programme: Programme, by: User | None, round: int = 1, seed: int | None = None
) -> MatchSummary:
    """Run deferred acceptance for round 1, or round 2 over the seats round 1 left unfilled.

    Choices the host has not scored rank below every scored applicant (score 0), and the summary
    says how many there were. Matches are final: each matched applicant gets a participation.
    """
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if round not in (1, 2):
        raise ExchangeError(_("A match has round 1 or round 2."))
    if MatchRun.objects.filter(programme=programme, round=round).exists():
        raise ExchangeError(_("Round %s has already been run for this programme.") % round)
    seed = (
        seed
        if seed is not None
        else (programme.lottery_seed if programme.lottery_seed is not None else int(time.time()))
    )
    places = list(programme.places.select_related("host").order_by("code"))
    applications = {a.pk: a for a in programme.applications.all()}
    ref = {pk: a.reference for pk, a in applications.items()}
    by_ref = {a.reference: a for a in applications.values()}
    place_by_code = {p.code: p for p in places}
    matched_before = set(
        Participation.objects.filter(application__programme=programme).values_list(
            "application_id", flat=True
        )
    )
    rows = []
    unscored = 0
    for choice in (
        Choice.objects.filter(application__programme=programme)
        .select_related("place")
        .order_by("application_id", "preference")
    ):
        if round == 2 and choice.application_id in matched_before:
            continue
        if choice.host_score is None:
            unscored += 1
        rows.append(
            EngineApplication(
                ref[choice.application_id],
                choice.place.code,
                choice.preference,
                choice.host_score if choice.host_score is not None else 0.0,
                choice.ineligible_reason,
            )
        )
    attributes = {ref[pk]: _applicant_attributes(a) for pk, a in applications.items()}
    started = time.perf_counter()
    try:
        if round == 1:
            result = matching.match(_engine_places(places), rows, seed=seed, attributes=attributes)
        else:
            first_run = MatchRun.objects.filter(programme=programme, round=1).first()
            if first_run is None:
                raise ExchangeError(_("Run round 1 before round 2."))
            seed = first_run.seed
            residual = _residual_places(programme, places)
            result = matching.match(residual, rows, seed=seed, attributes=attributes)
    except MatchInputError as exc:
        raise ExchangeError(str(exc)) from exc
    seconds = time.perf_counter() - started
    run = MatchRun.objects.create(
        programme=programme,
        round=round,
        seed=seed,
        lottery=list(result.lottery),
        matched=result.matched_count,
        unmatched=len(result.applicants) - result.matched_count,
        places_filled=sum(1 for p in result.places if p.capacity and p.remaining == 0),
        seconds=seconds,
        run_by=by,
    )
    outcomes, participations = [], []
    for outcome in result.applicants:
        application = by_ref[outcome.applicant_id]
        place = place_by_code.get(outcome.place_id) if outcome.place_id else None
        reasons = [
            {
                "round": round,
                "choice": r.choice,
                "place": r.place_id,
                "status": str(r.status),
                "text": r.text,
                "cutoff_score": r.cutoff_score,
            }
            for r in outcome.reasons
        ]
        explanation = (
            outcome.reason
            if round == 1
            else outcome.reason.replace(
                "matched to choice", "matched in the second round to choice", 1
            )
        )
        outcomes.append(
            MatchOutcome(
                run=run,
                application=application,
                place=place,
                choice=outcome.choice,
                explanation=explanation,
                reasons=reasons,
            )
        )
        if place is not None:
            participations.append(
                Participation(
                    application=application,
                    place=place,
                    choice=outcome.choice or 0,
                    round=round,
                    explanation=explanation,
                )
            )
    MatchOutcome.objects.bulk_create(outcomes, batch_size=2000)
    Participation.objects.bulk_create(participations, batch_size=2000)
    programme.status = ProgrammeStatus.MATCHED
    programme.lottery_seed = seed
    programme.save(update_fields=["status", "lottery_seed"])
    audit_record(
        action="exchange.match_run",
        actor=by,
        target=programme.name,
        details={"round": round, "seed": seed, "matched": run.matched, "unmatched": run.unmatched},
    )
    return MatchSummary(run=run, unscored=unscored)


def _residual_places(programme: Programme, places: list[Place]) -> list[EnginePlace]:
    taken: dict[int, int] = {}
    for place_id in Participation.objects.filter(application__programme=programme).values_list(
        "place_id", flat=True
    ):
        taken[place_id] = taken.get(place_id, 0) + 1
    # Reserved seats already taken by the group they were kept for are not reserved again.
    group_taken: dict[tuple[int, str, str], int] = {}
    for participation in Participation.objects.filter(
        application__programme=programme
    ).select_related("application"):
        for attribute, value in _applicant_attributes(participation.application).items():
            key = (participation.place_id, attribute, value)
            group_taken[key] = group_taken.get(key, 0) + 1
    residual = []
    for place in places:
        left = max(place.capacity - taken.get(place.pk, 0), 0)
        budget, reserves = left, []
        for r in place.reserves:
            still_reserved = int(str(r["seats"])) - group_taken.get(
                (place.pk, str(r["attribute"]), str(r["value"])), 0
            )
            seats = min(max(still_reserved, 0), budget)
            budget -= seats
            reserves.append(Reserve(str(r["attribute"]), str(r["value"]), seats))
        residual.append(EnginePlace(place.code, left, tuple(reserves)))
    return residual


ALLOWED_TRANSITIONS = {
    ParticipationStatus.ADMITTED: {ParticipationStatus.ACCEPTED, ParticipationStatus.DECLINED},
    ParticipationStatus.ACCEPTED: {ParticipationStatus.VISA, ParticipationStatus.DECLINED},
    ParticipationStatus.VISA: {ParticipationStatus.ARRIVED, ParticipationStatus.DECLINED},
    ParticipationStatus.ARRIVED: {ParticipationStatus.COMPLETED, ParticipationStatus.DECLINED},
    ParticipationStatus.COMPLETED: set(),
    ParticipationStatus.DECLINED: set(),
}


@transaction.atomic
def participation_advance(
    *, participation: Participation, status: str, by: User | None
) -> Participation:
    """Move a participant one step along admitted → accepted → visa → arrived → completed."""
    current = ParticipationStatus(participation.status)
    target = ParticipationStatus(status)
    if target not in ALLOWED_TRANSITIONS[current]:
        raise ExchangeError(
            _("A participant cannot go from %(a)s to %(b)s.")
            % {"a": current.label, "b": target.label}
        )
    participation.status = target
    participation.save(update_fields=["status", "updated_at"])
    audit_record(
        action="exchange.participation_status",
        actor=by,
        target=participation.application.reference,
        details={"from": current.value, "to": target.value},
    )
    return participation


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str


def parse_pairs(text: str, *, what: str) -> dict[str, str]:
    """'en:B2; zh:B1' -> {'en': 'B2', 'zh': 'B1'}."""
    pairs: dict[str, str] = {}
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        key, sep, value = part.partition(":")
        if not sep or not key.strip() or not value.strip():
            raise ExchangeError(
                _("%(what)s must look like 'name:value; name:value'.") % {"what": what}
            )
        pairs[key.strip()] = value.strip()
    return pairs


PLACE_COLUMNS = ("code", "host", "title", "field", "level", "year", "capacity")


def places_import_csv(
    *, programme: Programme, text: str, by: User | None
) -> tuple[int, list[RowProblem]]:
    """Add or update places from CSV; any bad row means nothing is stored, and every problem is listed.

    Columns: code, host (organization name), title, field, level, year, capacity, and optional
    languages ("en:B2; zh:B1"), quotas ("first_generation=yes:1"), criteria ("grades:0.6; motivation:0.4").
    """
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in PLACE_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        return 0, [RowProblem(1, _("Missing columns: %s.") % ", ".join(missing))]
    problems: list[RowProblem] = []
    count = 0
    hosts = {o.name: o for o in Organization.objects.all()}
    try:
        with transaction.atomic():
            for line, row in enumerate(reader, start=2):
                try:
                    host = hosts.get((row["host"] or "").strip())
                    if host is None:
                        raise ExchangeError(_("unknown host organization '%s'") % row["host"])
                    quotas = []
                    for label, seats in parse_pairs(row.get("quotas") or "", what="quotas").items():
                        attribute, eq, value = label.partition("=")
                        if not eq:
                            raise ExchangeError(_("a quota must look like 'attribute=value:seats'"))
                        quotas.append(
                            {
                                "attribute": attribute.strip(),
                                "value": value.strip(),
                                "seats": int(seats),
                            }
                        )
                    place_add(
                        programme=programme,
                        code=row["code"].strip(),
                        host=host,
                        title=row["title"].strip(),
                        field=row["field"].strip(),
                        level=row["level"].strip(),
                        year=int(row["year"]),
                        capacity=int(row["capacity"]),
                        language_requirements=parse_pairs(
                            row.get("languages") or "", what="languages"
                        ),
                        reserves=quotas,
                        criteria={
                            k: float(v)
                            for k, v in parse_pairs(
                                row.get("criteria") or "", what="criteria"
                            ).items()
                        },
                    )
                    count += 1
                except (ExchangeError, ValueError) as exc:
                    problems.append(RowProblem(line, str(exc)))
            if problems:
                raise ExchangeError("rows rejected")
    except ExchangeError:
        return 0, problems
    audit_record(
        action="exchange.places_imported",
        actor=by,
        target=programme.name,
        details={"places": count},
    )
    return count, []
