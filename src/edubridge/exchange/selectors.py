"""Reads for exchange programmes: progress toward targets, outcomes, exports."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet

from edubridge.exchange.models import (
    PROGRESS_STAGES,
    Application,
    MatchOutcome,
    Participation,
    ParticipationStatus,
    Programme,
)

STAGE_ORDER = {stage.value: k for k, stage in enumerate(PROGRESS_STAGES)}


@dataclass
class ProgressRow:
    """Participants who reached each stage (cumulative: an arrival was also admitted and accepted)."""

    key: str
    target: int | None
    reached: dict[str, int] = field(default_factory=dict)
    declined: int = 0


def _reached_stages(status: str) -> list[str]:
    if status == ParticipationStatus.DECLINED:
        return [ParticipationStatus.ADMITTED.value]
    return [
        stage.value for stage in PROGRESS_STAGES if STAGE_ORDER[stage.value] <= STAGE_ORDER[status]
    ]


def programme_progress(programme: Programme) -> dict[str, list[ProgressRow]]:
    """Progress per year (against the year's target), per sending country and per field."""
    targets = {t.year: t.participants for t in programme.targets.all()}
    groups: dict[str, dict[str, ProgressRow]] = {"year": {}, "country": {}, "field": {}}
    for year in range(programme.start_year, programme.end_year + 1):
        groups["year"][str(year)] = ProgressRow(str(year), targets.get(year, 0))
    rows = Participation.objects.filter(application__programme=programme).values_list(
        "status", "place__year", "application__sending_country", "place__field"
    )
    for status, year, country, field_name in rows:
        for kind, key in (("year", str(year)), ("country", country), ("field", field_name)):
            row = groups[kind].setdefault(key, ProgressRow(key, None))
            for stage in _reached_stages(status):
                row.reached[stage] = row.reached.get(stage, 0) + 1
            if status == ParticipationStatus.DECLINED:
                row.declined += 1
    return {kind: sorted(rows_.values(), key=lambda r: r.key) for kind, rows_ in groups.items()}


def programme_totals(programme: Programme) -> dict[str, int]:
    counts = Counter(
        Participation.objects.filter(application__programme=programme).values_list(
            "status", flat=True
        )
    )
    totals = {stage.value: 0 for stage in PROGRESS_STAGES}
    for status, n in counts.items():
        for stage in _reached_stages(status):
            totals[stage] += n
    totals["declined"] = counts.get(ParticipationStatus.DECLINED.value, 0)
    totals["applications"] = Application.objects.filter(programme=programme).count()
    return totals


def progress_csv(programme: Programme) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["group", "key", "target", *[s.value for s in PROGRESS_STAGES], "declined"])
    for kind, rows in programme_progress(programme).items():
        for row in rows:
            writer.writerow(
                [
                    kind,
                    row.key,
                    "" if row.target is None else row.target,
                    *[row.reached.get(s.value, 0) for s in PROGRESS_STAGES],
                    row.declined,
                ]
            )
    return out.getvalue()


def match_csv(programme: Programme, round: int) -> str:
    """The stable contract of the command line: applicant_id,place_id,choice,reason."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["applicant_id", "place_id", "choice", "reason"])
    outcomes = (
        MatchOutcome.objects.filter(run__programme=programme, run__round=round)
        .select_related("application", "place")
        .order_by("application_id")
    )
    for outcome in outcomes:
        writer.writerow(
            [
                outcome.application.reference,
                outcome.place.code if outcome.place else "",
                outcome.choice or "",
                outcome.explanation,
            ]
        )
    return out.getvalue()


def applications_of(programme: Programme) -> QuerySet[Application]:
    return programme.applications.select_related("applicant").prefetch_related("choices__place")


def outcomes_for_applicant(application: Application) -> list[MatchOutcome]:
    return list(application.outcomes.select_related("run", "place").order_by("run__round"))
