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
from edubridge.training import quiz as scoring
from edubridge.training.models import (
    Attendance,
    Cohort,
    Competency,
    CredentialKind,
    Enrolment,
    EnrolmentImport,
    EnrolmentStatus,
    Evidence,
    EvidenceKind,
    Framework,
    IssuedCredential,
    Module,
    Programme,
    Quiz,
    SessionMode,
    TrainingSession,
)
from edubridge.training.signing import (
    DID_KEY,
    DID_WEB,
    base_url,
    context_loader,
    issuer_method,
    node_issuer,
    status_list_url,
)

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
MAX_QUIZ_ITEMS = 50


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
        kind=EvidenceKind.RUBRIC,
        title=title.strip(),
        scores=clean,
        total=total,
        passed=total >= programme.pass_score,
        assessor=by,
    )


# ---------------------------------------------------------------- quizzes from the catalogue


def _catalogue_items(refs: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    """The current edubridge-item/1 documents of published catalogue items, in `refs` order."""
    from edubridge.catalogue.models import BankStatus, Item
    from edubridge.catalogue.selectors import item_document

    wanted = {(bank, item) for bank, item in refs}
    rows = {
        (i.bank.slug, i.identifier): i
        for i in Item.objects.select_related("bank").filter(
            bank__slug__in={b for b, _ in wanted},
            identifier__in={i for _, i in wanted},
            bank__status=BankStatus.PUBLISHED,
        )
    }
    out = []
    for bank, item in refs:
        row = rows.get((bank, item))
        if row is None:
            raise TrainingError(
                _("%(bank)s / %(item)s is not a published catalogue item.")
                % {"bank": bank, "item": item}
            )
        out.append(item_document(row))
    return out


def parse_item_refs(text: str) -> list[tuple[str, str]]:
    """Lines of `bank-slug item-id` (or `bank-slug/item-id`); a bank slug alone means all of it."""
    from edubridge.catalogue.models import BankStatus, Item

    refs: list[tuple[str, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.replace("/", " ").split()
        if len(parts) == 1:
            items = list(
                Item.objects.filter(bank__slug=parts[0], bank__status=BankStatus.PUBLISHED)
                .order_by("position")
                .values_list("identifier", flat=True)
            )
            if not items:
                raise TrainingError(
                    _("Line %(n)d: %(bank)s is not a published bank with items.")
                    % {"n": number, "bank": parts[0]}
                )
            refs.extend((parts[0], identifier) for identifier in items)
        elif len(parts) == 2:
            refs.append((parts[0], parts[1]))
        else:
            raise TrainingError(
                _("Line %(n)d: write a bank and an item id, like 'ai-basics q3'.") % {"n": number}
            )
    return refs


@transaction.atomic
def quiz_create(
    *,
    by: User,
    programme: Programme,
    competency: Competency,
    title: str,
    items: Sequence[tuple[str, str]],
    pass_percent: int = 80,
) -> Quiz:
    """Name a set of published catalogue items as the quiz for one of the programme's competencies."""
    if not programme.target_competencies.filter(pk=competency.pk).exists():
        raise TrainingError(_("That competency is not one this programme assesses."))
    if not title.strip():
        raise TrainingError(_("A quiz needs a title."))
    if not 0 < pass_percent <= 100:
        raise TrainingError(_("The score needed must be between 1 and 100 per cent."))
    unique = list(dict.fromkeys((b.strip(), i.strip()) for b, i in items))
    if not unique:
        raise TrainingError(_("Name at least one catalogue item."))
    if len(unique) > MAX_QUIZ_ITEMS:
        raise TrainingError(_("A quiz has at most %(n)d items.") % {"n": MAX_QUIZ_ITEMS})
    for (bank, item), document in zip(unique, _catalogue_items(unique), strict=True):
        why = scoring.not_quizzable(document)
        if why:
            raise TrainingError(
                _("%(bank)s / %(item)s: %(why)s") % {"bank": bank, "item": item, "why": why}
            )
    created = Quiz.objects.create(
        programme=programme,
        competency=competency,
        title=title.strip(),
        items=[{"bank": b, "item": i} for b, i in unique],
        pass_percent=pass_percent,
    )
    audit_record(action="training.quiz_created", actor=by, target=str(created.pk))
    return created


def quiz_questions(quiz: Quiz) -> list[dict[str, Any]]:
    """The quiz's items as the teacher sees them now (current catalogue documents)."""
    return _catalogue_items([(r["bank"], r["item"]) for r in quiz.items])


class QuizAnswerError(TrainingError):
    """Some answers must be fixed; `problems` maps question number (1-based) to the reason."""

    def __init__(self, problems: dict[int, str]) -> None:
        self.problems = problems
        super().__init__(
            _("Please look at question(s) %(list)s again.")
            % {"list": ", ".join(str(n) for n in sorted(problems))}
        )


@transaction.atomic
def quiz_submit(
    *, teacher: User, enrolment: Enrolment, quiz: Quiz, responses: Sequence[Sequence[str]]
) -> Evidence:
    """Score a teacher's answers on the server; the score becomes quiz evidence for the quiz's
    competency, passed when it reaches the quiz's share of the points. Nothing is stored when any
    answer is missing or malformed (QuizAnswerError says which)."""
    if enrolment.teacher_id != teacher.pk:
        raise TrainingError(_("Only the enrolled teacher takes their quiz."))
    if quiz.programme_id != enrolment.cohort.programme_id:
        raise TrainingError(_("This quiz belongs to another programme."))
    if enrolment.status == EnrolmentStatus.COMPLETED:
        raise TrainingError(_("You have already completed this programme."))
    documents = quiz_questions(quiz)
    if len(responses) != len(documents):
        raise TrainingError(_("The quiz changed while you were answering; please start again."))
    problems: dict[int, str] = {}
    rows: list[dict[str, Any]] = []
    points = top = 0.0
    for number, (ref, document, given) in enumerate(
        zip(quiz.items, documents, responses, strict=True), start=1
    ):
        try:
            result = scoring.score_item(document, list(given))
        except scoring.ResponseError as exc:
            problems[number] = str(exc)
            continue
        points += result.points
        top += result.max_points
        rows.append(
            {
                "bank": ref["bank"],
                "item": ref["item"],
                "stem": document["stem"],
                "response": [v.strip() for v in given if v.strip()],
                "points": result.points,
                "max": result.max_points,
                "correct": result.correct,
                "expected": scoring.correct_text(document),
            }
        )
    if problems:
        raise QuizAnswerError(problems)
    percent = int(points * 100 // top) if top else 0
    return Evidence.objects.create(
        enrolment=enrolment,
        competency=quiz.competency,
        kind=EvidenceKind.QUIZ,
        quiz=quiz,
        title=quiz.title,
        scores={f"{r['bank']}/{r['item']}": r["points"] for r in rows},
        total=percent,
        responses=rows,
        passed=points * 100 >= quiz.pass_percent * top,
        assessor=None,
    )


def _loader_or_refuse() -> Any:
    try:
        return context_loader()
    except FileNotFoundError as exc:
        raise TrainingError(
            _(
                "Credentials cannot be issued: %(why)s. Set EDUBRIDGE_CREDENTIAL_CONTEXTS to the "
                "folder holding the Verifiable Credentials and Open Badges contexts."
            )
            % {"why": exc}
        ) from exc


def _issuer() -> Any:
    try:
        return node_issuer()
    except ValueError as exc:  # a bad EDUBRIDGE_CREDENTIAL_ISSUER or a BASE_URL without a host
        raise TrainingError(_("Credentials cannot be issued: %(why)s.") % {"why": exc}) from exc


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
    loader = _loader_or_refuse()
    moment = now or timezone.now()
    programme = enrolment.cohort.programme
    issuer = _issuer()
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
            "Attended at least %(share)d%% of sessions and passed assessed evidence (a "
            "rubric-scored task or a quiz) for every target competency."
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
        kind=CredentialKind.COMPLETION,
        enrolment=enrolment,
        holder=teacher,
        title=programme.name[:200],
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


@transaction.atomic
def attendance_credential_issue(
    *,
    by: User | None,
    holder: User,
    reference: str,
    event_name: str,
    event_description: str,
    event_url: str,
    issuer_name: str,
    attended_at: datetime,
    language: str = "en",
) -> IssuedCredential:
    """Issue (once per `reference`) an Open Badges 3.0 certificate of attendance.

    OB 3.0 enumerates no attendance type, so the achievement type is the extension value
    `ext:Attendance`; everything else (signature, status list, verification page) is shared with
    programme completions. A second request for the same reference returns the first credential.
    """
    existing = IssuedCredential.objects.filter(reference=reference).first()
    if existing is not None:
        return existing
    if not reference.strip():
        raise TrainingError(_("A certificate of attendance names what it is for."))
    loader = _loader_or_refuse()
    moment = timezone.now()
    issuer = _issuer()
    credential_id = uuid.uuid4()
    index = _next_status_index()
    claim = AchievementClaim(
        credential_id=f"urn:uuid:{credential_id}",
        issuer_id=issuer.did,
        issuer_name=issuer_name,
        issuer_url=base_url(),
        subject_id=f"urn:uuid:{holder.pseudonym}",
        subject_name=holder.get_full_name() or holder.username,
        achievement_id=event_url,
        achievement_name=event_name,
        achievement_description=event_description or event_name,
        criteria=_("Registered for the event and checked in on %(day)s.")
        % {"day": attended_at.date().isoformat()},
        valid_from=_iso(moment),
        language=language,
        achievement_type="ext:Attendance",
        status=StatusEntry(list_url=status_list_url(), index=index),
    )
    document = issue_achievement(claim, key=issuer, created=_iso(moment), loader=loader)
    issued = IssuedCredential.objects.create(
        id=credential_id,
        kind=CredentialKind.ATTENDANCE,
        holder=holder,
        reference=reference,
        title=event_name[:200],
        document=document,
        status_index=index,
        issued_at=moment,
    )
    audit_record(
        action="training.attendance_credential_issued",
        actor=by,
        target=str(issued.pk),
        details={"reference": reference},
    )
    return issued


def status_list_document(now: datetime | None = None, method: str | None = None) -> dict[str, Any]:
    """The node's signed BitstringStatusListCredential for one of its DIDs (default: the
    configured one), built from the revoked credentials."""
    method = method or issuer_method()
    if method not in (DID_KEY, DID_WEB):
        raise ValueError(method)
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
        list_url=status_list_url(method),
        revoked=revoked,
        key=node_issuer(method),
        created=_iso(moment),
        loader=context_loader(),
    )
