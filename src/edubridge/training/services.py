"""Writes for teacher training: frameworks, programmes, cohorts, enrolment, assessment, credentials.

Every function is keyword-only, runs in a transaction, and raises TrainingError with a message for
people when the rules refuse; nothing is stored then.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from edubridge.accounts.models import Organization, OrganizationType, User
from edubridge.core.audit import audit_record
from edubridge.engines.credentials.achievement import (
    AchievementClaim,
    StatusEntry,
)
from edubridge.engines.credentials.achievement import (
    Competency as ClaimCompetency,
)
from edubridge.engines.credentials.issue import issue_achievement, issue_status_list
from edubridge.training import framework_data as data
from edubridge.training.models import (
    Attendance,
    Cohort,
    Competency,
    Enrolment,
    EnrolmentImport,
    EnrolmentStatus,
    Evidence,
    Framework,
    IssuedCredential,
    Module,
    Programme,
    SessionMode,
    TrainingSession,
)
from edubridge.training.signing import base_url, context_loader, node_issuer, status_list_url

DEFAULT_RUBRIC = [
    {
        "name": "Purpose",
        "levels": ["missing", "vague", "clear", "clear and tied to learners' needs"],
    },
    {
        "name": "Responsible AI use",
        "levels": ["absent", "named", "applied", "applied and explained to learners"],
    },
    {
        "name": "Checking AI output",
        "levels": ["none", "occasional", "systematic", "systematic with evidence"],
    },
]
MAX_CSV_ROWS = 5000


class TrainingError(ValueError):
    """A request the training rules refuse; the message says why, for people."""


def _iso(moment: datetime) -> str:
    return (
        moment.astimezone(ZoneInfo("UTC")).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    )


@transaction.atomic
def framework_load_aicft() -> Framework:
    """Load (or refresh) the shipped AI competency framework for teachers; idempotent."""
    framework, _created = Framework.objects.update_or_create(
        code=data.FRAMEWORK_CODE,
        defaults={
            "title": data.FRAMEWORK_TITLE,
            "publisher": data.FRAMEWORK_PUBLISHER,
            "version": data.FRAMEWORK_VERSION,
            "description": data.FRAMEWORK_DESCRIPTION,
            "levels": [list(level) for level in data.LEVELS],
        },
    )
    dimensions = dict(data.DIMENSIONS)
    for dimension, level, title, description in data.COMPETENCIES:
        Competency.objects.update_or_create(
            framework=framework,
            code=data.competency_code(dimension, level),
            defaults={
                "dimension": dimensions[dimension],
                "dimension_number": dimension,
                "level": level,
                "title": title,
                "description": description,
            },
        )
    return framework


@transaction.atomic
def programme_create(
    *,
    by: User,
    name: str,
    framework: Framework,
    competency_codes: Sequence[str],
    target_level: int,
    language: str,
    hours: int,
    modules: Sequence[tuple[str, int]] = (),
    attendance_share: int = 80,
    pass_score: int = 6,
    trains_trainers: bool = False,
    description: str = "",
    prerequisites: str = "",
    rubric: list[dict[str, Any]] | None = None,
) -> Programme:
    if not name.strip():
        raise TrainingError(_("A programme needs a name."))
    if not 0 < attendance_share <= 100:
        raise TrainingError(_("The attendance share must be between 1 and 100 per cent."))
    competencies = list(framework.competencies.filter(code__in=competency_codes))
    missing = sorted(set(competency_codes) - {c.code for c in competencies})
    if missing or not competencies:
        raise TrainingError(
            _("Unknown competencies: %(codes)s.") % {"codes": ", ".join(missing) or "-"}
        )
    criteria = rubric or DEFAULT_RUBRIC
    top = sum(len(c["levels"]) - 1 for c in criteria)
    if not 0 < pass_score <= top:
        raise TrainingError(
            _("The pass score must be between 1 and %(top)d rubric points.") % {"top": top}
        )
    programme = Programme.objects.create(
        name=name.strip(),
        description=description,
        framework=framework,
        target_level=target_level,
        language=language,
        hours=hours,
        prerequisites=prerequisites,
        attendance_share=attendance_share,
        pass_score=pass_score,
        rubric=criteria,
        trains_trainers=trains_trainers,
    )
    programme.target_competencies.set(competencies)
    for position, (title, module_hours) in enumerate(modules, start=1):
        Module.objects.create(
            programme=programme, position=position, title=title, hours=module_hours
        )
    audit_record(action="training.programme_created", actor=by, target=str(programme.pk))
    return programme


def seed_generation(user: User) -> int | None:
    """The cascade generation in which `user` became a seed teacher, or None if they are not one."""
    completed = (
        Enrolment.objects.filter(
            teacher=user,
            status=EnrolmentStatus.COMPLETED,
            cohort__programme__trains_trainers=True,
            credential__revoked_at__isnull=True,
        )
        .order_by("cohort__generation")
        .values_list("cohort__generation", flat=True)
        .first()
    )
    return completed


@transaction.atomic
def cohort_open(
    *,
    by: User,
    programme: Programme,
    centre: Organization,
    name: str,
    starts_on: date,
    lead: User | None = None,
    coordinator: bool = True,
) -> Cohort:
    """Open a cohort. Coordinators lead generation 1; a seed teacher of generation n leads n + 1."""
    if centre.type != OrganizationType.TRAINING_CENTRE:
        raise TrainingError(_("Cohorts are opened at a training centre."))
    lead = lead or by
    generation = seed_generation(lead)
    if generation is not None:
        generation += 1
    elif coordinator and lead == by:
        generation = 1
    else:
        raise TrainingError(
            _("%(name)s is not a seed teacher: only coordinators and seed teachers lead cohorts.")
            % {"name": lead.get_full_name() or lead.username}
        )
    cohort = Cohort.objects.create(
        programme=programme,
        centre=centre,
        name=name.strip() or programme.name,
        starts_on=starts_on,
        lead=lead,
        generation=generation,
    )
    audit_record(action="training.cohort_opened", actor=by, target=str(cohort.pk))
    return cohort


@transaction.atomic
def enrol(*, by: User, cohort: Cohort, teacher: User) -> Enrolment:
    if Enrolment.objects.filter(cohort=cohort, teacher=teacher).exists():
        raise TrainingError(
            _("%(name)s is already enrolled.")
            % {"name": teacher.get_full_name() or teacher.username}
        )
    if teacher == cohort.lead:
        raise TrainingError(_("The trainer leading the cohort cannot enrol in it."))
    return Enrolment.objects.create(cohort=cohort, teacher=teacher)


def enrolment_import_check(*, by: User, cohort: Cohort, text: str) -> EnrolmentImport:
    """Check a CSV (column `username` or `email`); store the verdict, enrol nobody yet."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = {c.strip().lower() for c in (reader.fieldnames or [])}
    if not columns & {"username", "email"}:
        raise TrainingError(_("The CSV needs a header row with a 'username' or 'email' column."))
    already = set(
        Enrolment.objects.filter(cohort=cohort).values_list("teacher__username", flat=True)
    )
    accepted: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    seen: set[str] = set()
    for count, row in enumerate(reader, start=1):
        line = reader.line_num
        if count > MAX_CSV_ROWS:
            raise TrainingError(_("At most %(n)d rows per file.") % {"n": MAX_CSV_ROWS})
        clean = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        value = clean.get("username") or clean.get("email") or ""
        if not value:
            rejected.append({"line": line, "value": "", "reason": _("empty row")})
            continue
        lookup = {"username": value} if clean.get("username") else {"email__iexact": value}
        matches = list(User.objects.filter(**lookup)[:2])
        if not matches:
            reason = _("no account with this username or email on this node")
        elif len(matches) > 1:
            reason = _("several accounts share this email; use the username")
        elif matches[0].username in already:
            reason = _("already enrolled in this cohort")
        elif matches[0].username in seen:
            reason = _("listed twice in this file")
        elif matches[0] == cohort.lead:
            reason = _("leads this cohort")
        else:
            seen.add(matches[0].username)
            accepted.append({"line": line, "username": matches[0].username})
            continue
        rejected.append({"line": line, "value": value, "reason": reason})
    return EnrolmentImport.objects.create(
        cohort=cohort, created_by=by, accepted=accepted, rejected=rejected
    )


@transaction.atomic
def enrolment_import_confirm(*, by: User, batch: EnrolmentImport) -> int:
    """Enrol the accepted rows of a checked CSV; all or nothing."""
    batch = EnrolmentImport.objects.select_for_update().get(pk=batch.pk)
    if batch.confirmed_at is not None:
        raise TrainingError(_("This file was already enrolled."))
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[r["username"] for r in batch.accepted])
    }
    count = 0
    for row in batch.accepted:
        teacher = users.get(row["username"])
        if teacher is None:
            raise TrainingError(
                _("Line %(line)d: the account no longer exists.") % {"line": row["line"]}
            )
        enrol(by=by, cohort=batch.cohort, teacher=teacher)
        count += 1
    batch.confirmed_at = timezone.now()
    batch.save(update_fields=["confirmed_at"])
    audit_record(
        action="training.csv_enrolled",
        actor=by,
        target=str(batch.cohort_id),
        details={"rows": count},
    )
    return count


@transaction.atomic
def session_schedule(
    *,
    by: User,
    cohort: Cohort,
    title: str,
    local_start: datetime,
    time_zone: str,
    minutes: int,
    mode: str,
    place: str = "",
) -> TrainingSession:
    """Schedule a session; `local_start` is naive wall-clock time in `time_zone`."""
    try:
        zone = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise TrainingError(_("Unknown time zone %(zone)s.") % {"zone": time_zone}) from error
    if mode not in SessionMode.values:
        raise TrainingError(_("A session is online or in person."))
    if not 0 < minutes <= 600:
        raise TrainingError(_("A session lasts between 1 and 600 minutes."))
    if not title.strip():
        raise TrainingError(_("A session needs a title."))
    return TrainingSession.objects.create(
        cohort=cohort,
        title=title.strip(),
        starts_at=local_start.replace(tzinfo=zone),
        minutes=minutes,
        time_zone=time_zone,
        mode=mode,
        place=place,
    )


@transaction.atomic
def attendance_record(*, by: User, session: TrainingSession, present: Iterable[int]) -> None:
    """Mark every enrolment of the session's cohort present (ids in `present`) or absent."""
    present_ids = set(present)
    for enrolment in session.cohort.enrolments.all():
        Attendance.objects.update_or_create(
            session=session, enrolment=enrolment, defaults={"present": enrolment.pk in present_ids}
        )


@transaction.atomic
def evidence_assess(
    *,
    by: User,
    enrolment: Enrolment,
    competency: Competency,
    title: str,
    scores: dict[str, int],
) -> Evidence:
    """Score a task against the programme's rubric; each criterion gets 0..(levels - 1) points."""
    programme = enrolment.cohort.programme
    if not programme.target_competencies.filter(pk=competency.pk).exists():
        raise TrainingError(_("That competency is not one this programme assesses."))
    if by == enrolment.teacher:
        raise TrainingError(_("Teachers cannot assess their own evidence."))
    clean: dict[str, int] = {}
    for criterion in programme.rubric:
        name = criterion["name"]
        points = scores.get(name)
        top = len(criterion["levels"]) - 1
        if points is None or not 0 <= int(points) <= top:
            raise TrainingError(
                _("Give '%(name)s' between 0 and %(top)d points.") % {"name": name, "top": top}
            )
        clean[name] = int(points)
    if not title.strip():
        raise TrainingError(_("Name the task that was assessed."))
    total = sum(clean.values())
    return Evidence.objects.create(
        enrolment=enrolment,
        competency=competency,
        title=title.strip(),
        scores=clean,
        total=total,
        passed=total >= programme.pass_score,
        assessor=by,
    )


def _next_status_index() -> int:
    highest = IssuedCredential.objects.aggregate(m=Max("status_index"))["m"]
    return 0 if highest is None else highest + 1


@transaction.atomic
def enrolment_complete(
    *, by: User, enrolment: Enrolment, now: datetime | None = None
) -> IssuedCredential:
    """Check the completion rules, mark the enrolment completed and issue the signed credential."""
    from edubridge.training.selectors import enrolment_progress

    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("cohort__programme__framework", "cohort__centre", "teacher")
        .get(pk=enrolment.pk)
    )
    if enrolment.status == EnrolmentStatus.COMPLETED:
        raise TrainingError(_("This teacher has already completed the programme."))
    progress = enrolment_progress(enrolment)
    if not progress.complete:
        raise TrainingError(_("Not complete yet: %(why)s") % {"why": "; ".join(progress.missing)})
    try:
        loader = context_loader()
    except FileNotFoundError as exc:
        raise TrainingError(
            _(
                "Credentials cannot be issued: %(why)s. Set EDUBRIDGE_CREDENTIAL_CONTEXTS to the "
                "folder holding the Verifiable Credentials and Open Badges contexts."
            )
            % {"why": exc}
        ) from exc
    moment = now or timezone.now()
    programme = enrolment.cohort.programme
    issuer = node_issuer()
    credential_id = uuid.uuid4()
    index = _next_status_index()
    teacher = enrolment.teacher
    claim = AchievementClaim(
        credential_id=f"urn:uuid:{credential_id}",
        issuer_id=issuer.did,
        issuer_name=enrolment.cohort.centre.name,
        issuer_url=base_url(),
        subject_id=f"urn:uuid:{teacher.pseudonym}",
        subject_name=teacher.get_full_name() or teacher.username,
        achievement_id=f"{base_url()}/training/programmes/{programme.pk}/",
        achievement_name=programme.name,
        achievement_description=programme.description or programme.name,
        criteria=_(
            "Attended at least %(share)d%% of sessions and passed rubric-scored evidence for "
            "every target competency."
        )
        % {"share": programme.attendance_share},
        valid_from=_iso(moment),
        language=programme.language,
        achievement_type="Certificate",
        competencies=tuple(
            ClaimCompetency(
                code=c.code,
                name=f"{c.dimension}: {c.title}",
                url=f"{base_url()}/training/framework/{c.framework_id}/#{c.code}",
                framework=programme.framework.title,
            )
            for c in programme.target_competencies.order_by("dimension_number", "level")
        ),
        status=StatusEntry(list_url=status_list_url(), index=index),
    )
    document = issue_achievement(claim, key=issuer, created=_iso(moment), loader=loader)
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.completed_at = moment
    enrolment.save(update_fields=["status", "completed_at"])
    issued = IssuedCredential.objects.create(
        id=credential_id,
        enrolment=enrolment,
        document=document,
        status_index=index,
        issued_at=moment,
    )
    audit_record(
        action="training.credential_issued",
        actor=by,
        target=str(issued.pk),
        details={"programme": str(programme.pk)},
    )
    return issued


@transaction.atomic
def credential_revoke(*, by: User, credential: IssuedCredential, reason: str) -> IssuedCredential:
    credential = IssuedCredential.objects.select_for_update().get(pk=credential.pk)
    if credential.revoked_at is not None:
        raise TrainingError(_("This credential was already revoked."))
    if not reason.strip():
        raise TrainingError(_("Say why the credential is revoked."))
    credential.revoked_at = timezone.now()
    credential.revoked_reason = reason.strip()[:300]
    credential.save(update_fields=["revoked_at", "revoked_reason"])
    audit_record(
        action="training.credential_revoked",
        actor=by,
        target=str(credential.pk),
        details={"reason": credential.revoked_reason},
    )
    return credential


def status_list_document(now: datetime | None = None) -> dict[str, Any]:
    """The node's signed BitstringStatusListCredential, built from the revoked credentials."""
    revoked = set(
        IssuedCredential.objects.filter(revoked_at__isnull=False).values_list(
            "status_index", flat=True
        )
    )
    latest = IssuedCredential.objects.filter(revoked_at__isnull=False).aggregate(
        m=Max("revoked_at")
    )["m"]
    # A stable date (last change of the list) keeps the signed document identical between requests.
    first = (
        IssuedCredential.objects.order_by("issued_at").values_list("issued_at", flat=True).first()
    )
    moment = latest or first or now or timezone.now()
    return issue_status_list(
        list_url=status_list_url(),
        revoked=revoked,
        key=node_issuer(),
        created=_iso(moment),
        loader=context_loader(),
    )
