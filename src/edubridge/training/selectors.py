"""Reads: progress toward completion, the cascade, and verification of presented credentials."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from edubridge.accounts.models import User
from edubridge.engines.credentials.achievement import changed_fields
from edubridge.engines.credentials.did import did_document
from edubridge.engines.credentials.verify import VerificationReport, verify_credential
from edubridge.training.models import (
    Cohort,
    Competency,
    Enrolment,
    EnrolmentStatus,
    Evidence,
    EvidenceKind,
    IssuedCredential,
    TrainingSession,
)
from edubridge.training.signing import (
    DID_KEY,
    DID_WEB,
    context_loader,
    node_did_document,
    node_dids,
    status_list_url,
)


@dataclass
class CompetencyProgress:
    competency: Competency
    evidence: list[Evidence]
    passed: bool


@dataclass
class Progress:
    sessions_held: int
    sessions_attended: int
    attendance_share: float
    attendance_ok: bool
    competencies: list[CompetencyProgress]
    missing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing


def enrolment_progress(enrolment: Enrolment, now: datetime | None = None) -> Progress:
    """Attendance share over sessions already held, and passed evidence per target competency."""
    programme = enrolment.cohort.programme
    moment = now or timezone.now()
    held = list(
        enrolment.cohort.sessions.filter(starts_at__lte=moment).values_list("pk", flat=True)
    )
    attended = enrolment.attendance.filter(session_id__in=held, present=True).count()
    share = attended / len(held) if held else 0.0
    attendance_ok = bool(held) and share * 100 >= programme.attendance_share
    evidence_by: dict[int | Any, list[Evidence]] = defaultdict(list)
    for item in enrolment.evidence.select_related("assessor").order_by("-assessed_at"):
        evidence_by[item.competency_id].append(item)
    rows = [
        CompetencyProgress(
            c, evidence_by.get(c.pk, []), any(e.passed for e in evidence_by.get(c.pk, []))
        )
        for c in programme.target_competencies.order_by("dimension_number", "level")
    ]
    missing = []
    if not attendance_ok:
        missing.append(
            _("attended %(done)d of %(held)d sessions held; %(need)d%% needed")
            % {"done": attended, "held": len(held), "need": programme.attendance_share}
        )
    missing.extend(
        _("no passed evidence for %(code)s") % {"code": row.competency.code}
        for row in rows
        if not row.passed
    )
    return Progress(len(held), attended, share, attendance_ok, rows, missing)


def upcoming_sessions(teacher: User, now: datetime | None = None) -> QuerySet[TrainingSession]:
    return (
        TrainingSession.objects.filter(
            cohort__enrolments__teacher=teacher, starts_at__gte=now or timezone.now()
        )
        .select_related("cohort")
        .order_by("starts_at")
    )


def cohorts_led_by(user: User) -> QuerySet[Cohort]:
    return Cohort.objects.filter(lead=user).select_related("programme", "centre")


@dataclass
class GenerationRow:
    generation: int
    cohorts: int
    enrolled: int
    completed: int
    countries: dict[str, int]
    mean_score: float | None

    @property
    def completion_rate(self) -> float:
        return self.completed / self.enrolled if self.enrolled else 0.0


def cascade_generations() -> list[GenerationRow]:
    """Teachers reached per generation and country, completion and mean rubric score."""
    rows: dict[int, GenerationRow] = {}
    enrolments = Enrolment.objects.select_related("cohort", "teacher__organization")
    for item in enrolments:
        gen = item.cohort.generation
        row = rows.setdefault(gen, GenerationRow(gen, 0, 0, 0, {}, None))
        row.enrolled += 1
        row.completed += item.status == EnrolmentStatus.COMPLETED
        organization = getattr(item.teacher, "organization", None)
        country = organization.country if organization else "??"
        row.countries[country] = row.countries.get(country, 0) + 1
    for cohort in Cohort.objects.all():
        rows.setdefault(
            cohort.generation, GenerationRow(cohort.generation, 0, 0, 0, {}, None)
        ).cohorts += 1
    scores: dict[int, list[int]] = defaultdict(list)
    # Rubric points only: quiz evidence is a percentage and would not be comparable.
    for gen, total in Evidence.objects.filter(kind=EvidenceKind.RUBRIC).values_list(
        "enrolment__cohort__generation", "total"
    ):
        scores[gen].append(total)
    for gen, values in scores.items():
        if gen in rows and values:
            rows[gen].mean_score = sum(values) / len(values)
    return [rows[k] for k in sorted(rows)]


@dataclass
class TreeNode:
    user: User
    generation: int
    cohorts: list[Cohort]
    children: list[TreeNode]
    completed: bool


def cascade_tree() -> list[TreeNode]:
    """Who trained whom: each cohort lead with the teachers they trained, recursively."""
    by_lead: dict[int, list[Cohort]] = defaultdict(list)
    for cohort in Cohort.objects.select_related("lead", "programme").order_by("starts_on"):
        by_lead[cohort.lead_id].append(cohort)
    trainees: dict[int, list[Enrolment]] = defaultdict(list)
    for enrolment in Enrolment.objects.select_related("teacher", "cohort").order_by(
        "teacher__username"
    ):
        trainees[enrolment.cohort.lead_id].append(enrolment)
    led = set(by_lead)
    taught = {e.teacher_id for items in trainees.values() for e in items}

    def build(user: User, generation: int, depth: int) -> TreeNode:
        children = []
        if depth < 12:
            for enrolment in trainees.get(user.pk, []):
                children.append(
                    TreeNode(
                        enrolment.teacher,
                        enrolment.cohort.generation,
                        by_lead.get(enrolment.teacher_id, []),
                        [],
                        enrolment.status == EnrolmentStatus.COMPLETED,
                    )
                    if enrolment.teacher_id not in led
                    else build(enrolment.teacher, enrolment.cohort.generation, depth + 1)
                )
        return TreeNode(user, generation, by_lead.get(user.pk, []), children, True)

    roots = [cohorts[0].lead for lead_id, cohorts in by_lead.items() if lead_id not in taught]
    return [build(root, 0, 0) for root in roots]


@dataclass
class Verification:
    report: VerificationReport
    revoked_at: datetime | None
    revoked_reason: str
    changed: list[str]
    known: bool


def _status_lists(url: str) -> dict[str, Any] | None:
    from edubridge.training.services import status_list_document

    for method in (DID_KEY, DID_WEB):
        if url == status_list_url(method):
            return status_list_document(method=method)
    return None


def _member_did_web(did: str) -> tuple[str, dict[str, Any]] | None:
    """A network member's did:web resolved from the member registry (never over HTTP): the
    member whose node lives at the DID's host, with its keys that were not revoked."""
    from urllib.parse import unquote

    from edubridge.secretariat.api import member_keys_for_host

    rest = did[len("did:web:") :]
    if ":" in rest:  # path-based did:web: members are registered by host only
        return None
    found = member_keys_for_host(unquote(rest))
    if found is None:
        return None
    name, keys = found
    return name, did_document(did, keys)


def issuer_resolution(issuer: object) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """Trusted issuers (DID -> label) and DID documents this node can vouch for, for `issuer`:
    both of the node's own DIDs, and a member's did:web from the registry."""
    trusted = {did: _("this node") for did in node_dids()}
    documents: dict[str, dict[str, Any]] = {}
    for did, method in node_dids().items():
        if method == DID_WEB:
            documents[did] = node_did_document()
    if isinstance(issuer, str) and issuer.startswith("did:web:") and issuer not in documents:
        member = _member_did_web(issuer)
        if member is not None:
            trusted[issuer] = _("network member %(name)s (member registry)") % {"name": member[0]}
            documents[issuer] = member[1]
    return trusted, documents


def credential_verify(document: dict[str, Any], now: datetime | None = None) -> Verification:
    """Verify a presented credential against this node's keys, the member registry, the status
    lists and the issued records."""
    raw_issuer = document.get("issuer")
    issuer = raw_issuer.get("id") if isinstance(raw_issuer, dict) else raw_issuer
    trusted, documents = issuer_resolution(issuer)
    report = verify_credential(
        document,
        loader=context_loader(),
        now=now or timezone.now(),
        trusted_issuers=trusted,
        status_lists=_status_lists,
        did_resolver=documents.get,
    )
    issued = None
    raw_id = document.get("id")
    if isinstance(raw_id, str) and raw_id.startswith("urn:uuid:"):
        issued = IssuedCredential.objects.filter(pk__in=_uuid_or_none(raw_id[9:])).first()
    changed = changed_fields(issued.document, document) if issued and not report.valid else []
    return Verification(
        report=report,
        revoked_at=issued.revoked_at if issued else None,
        revoked_reason=issued.revoked_reason if issued else "",
        changed=changed,
        known=issued is not None,
    )


def _uuid_or_none(text: str) -> list[str]:
    import uuid

    try:
        return [str(uuid.UUID(text))]
    except ValueError:
        return []
