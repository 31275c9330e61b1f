"""Reads of the secretariat: dashboard figures, a member's open actions, release diffs."""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from edubridge.secretariat.access import can_run
from edubridge.secretariat.models import (
    Access,
    ActionItem,
    ActionStatus,
    Agreement,
    Bulletin,
    Document,
    Meeting,
    Member,
    MemberStatus,
    PolicyTopic,
    Release,
    ReleaseStatus,
    ReleaseVersion,
    Standard,
    StandardAdoption,
    Ticket,
    TicketStatus,
)


def member_for_user(user: AbstractBaseUser | AnonymousUser) -> Member | None:
    """The member a person acts for: their organization's membership, if any."""
    organization_id = getattr(user, "organization_id", None)
    if not user.is_authenticated or organization_id is None:
        return None
    return Member.objects.filter(organization_id=organization_id).first()


def members_by_country() -> list[tuple[str, int]]:
    counts = Counter(
        Member.objects.filter(status=MemberStatus.ACTIVE).values_list(
            "organization__country", flat=True
        )
    )
    return sorted(counts.items())


def upcoming_meetings(*, now: dt.datetime | None = None, limit: int = 5) -> QuerySet[Meeting]:
    return Meeting.objects.filter(ends_at__gte=now or timezone.now()).order_by("starts_at")[:limit]


def overdue_actions(*, today: dt.date | None = None) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.select_related("owner__organization", "meeting")
        .filter(status=ActionStatus.OPEN, due_on__lt=today or timezone.now().date())
        .order_by("due_on")
    )


def open_actions_of(member: Member) -> QuerySet[ActionItem]:
    """Every open action a member owns, across all meetings."""
    return (
        ActionItem.objects.select_related("meeting")
        .filter(owner=member, status=ActionStatus.OPEN)
        .order_by("due_on")
    )


def releases_awaiting_signatures() -> QuerySet[Release]:
    return (
        Release.objects.filter(status=ReleaseStatus.SIGNING)
        .annotate(signed=Count("signatures", distinct=True))
        .order_by("created_at")
    )


@dataclass(frozen=True)
class SignerRow:
    member: Member
    signed: bool
    on_behalf: bool
    hosted: bool


def release_signer_rows(release: Release) -> list[SignerRow]:
    signed = {s.member_id: s.signed_by_node for s in release.signatures.all()}
    return [
        SignerRow(m, m.pk in signed, signed.get(m.pk, False), m.hosted_on_this_node)
        for m in release.signers.select_related("organization").order_by("organization__name")
    ]


def version_diff(older: ReleaseVersion, newer: ReleaseVersion) -> list[tuple[str, str]]:
    """Line diff between two versions as (kind, line) with kind in {"same", "added", "removed"}."""
    rows: list[tuple[str, str]] = []
    for line in difflib.ndiff(older.text.splitlines(), newer.text.splitlines()):
        tag, text = line[:2], line[2:]
        if tag == "  ":
            rows.append(("same", text))
        elif tag == "+ ":
            rows.append(("added", text))
        elif tag == "- ":
            rows.append(("removed", text))
    return rows


def _readable(rows: QuerySet[Any], user: AbstractBaseUser | AnonymousUser) -> QuerySet[Any]:
    """Public rows for everyone; members' rows for people of member organizations; group rows for
    people of the group's members; everything for the secretariat."""
    if can_run(user):
        return rows
    member = member_for_user(user)
    if member is None:
        return rows.filter(access=Access.PUBLIC)
    return rows.filter(
        Q(access__in=[Access.PUBLIC, Access.MEMBERS])
        | Q(access=Access.GROUP, group__participants=member)
    ).distinct()


def bulletins_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Bulletin]:
    return _readable(Bulletin.objects.select_related("group"), user)


def documents_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Document]:
    return _readable(Document.objects.select_related("group", "meeting"), user)


def overdue_tickets(*, now: dt.datetime | None = None) -> QuerySet[Ticket]:
    """Tickets past their response-time target without a first response."""
    return Ticket.objects.select_related("organization").filter(
        first_response_at__isnull=True, respond_by__lt=now or timezone.now()
    )


def open_tickets() -> QuerySet[Ticket]:
    return Ticket.objects.select_related("organization").exclude(status=TicketStatus.CLOSED)


def tickets_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Ticket]:
    """The desk sees every ticket; a partner sees its organization's tickets."""
    tickets = Ticket.objects.select_related("organization", "assignee")
    if can_run(user):
        return tickets
    organization_id = getattr(user, "organization_id", None)
    if organization_id is None:
        return tickets.none()
    return tickets.filter(organization_id=organization_id)


@dataclass(frozen=True)
class PolicyRow:
    member: Member
    rules: str
    position: str
    source_url: str
    updated_on: dt.date | None


def policy_comparison(topic: PolicyTopic) -> list[PolicyRow]:
    """Every active member's entry on a topic side by side, blank where none is recorded."""
    entries = {p.member_id: p for p in topic.positions.all()}
    rows = []
    for member in (
        Member.objects.filter(status=MemberStatus.ACTIVE)
        .select_related("organization")
        .order_by("organization__country", "organization__name")
    ):
        entry = entries.get(member.pk)
        rows.append(
            PolicyRow(
                member,
                entry.rules if entry else "",
                entry.position if entry else "",
                entry.source_url if entry else "",
                entry.updated_on if entry else None,
            )
        )
    return rows


def adoption_matrix() -> tuple[list[Standard], list[tuple[Member, list[str]]]]:
    """Rows of members, one status per standard (empty string when unknown)."""
    standards = list(Standard.objects.order_by("name"))
    status = {(a.member_id, a.standard_id): a.status for a in StandardAdoption.objects.all()}
    members = Member.objects.filter(status=MemberStatus.ACTIVE).select_related("organization")
    return standards, [
        (m, [status.get((m.pk, s.pk), "") for s in standards])
        for m in members.order_by("organization__country", "organization__name")
    ]


def agreements_renewing(*, today: dt.date | None = None, days: int = 90) -> QuerySet[Agreement]:
    today = today or timezone.now().date()
    return Agreement.objects.filter(
        renews_on__isnull=False, renews_on__lte=today + dt.timedelta(days=days)
    ).order_by("renews_on")
