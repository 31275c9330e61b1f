"""Writes of the secretariat: every change goes through these functions, in transactions.

Each refusal raises SecretariatError with a reason for people and stores nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from edubridge.accounts.models import Organization, User
from edubridge.core.audit import audit_record
from edubridge.core.identity import b64url, node_identity_ensure
from edubridge.engines.releases.canonical import release_body, release_payload
from edubridge.engines.releases.verify import ed25519_verify
from edubridge.secretariat import keys as member_keys
from edubridge.secretariat.ical import meeting_ics
from edubridge.secretariat.models import (
    Access,
    ActionItem,
    ActionStatus,
    AdoptionStatus,
    AgendaItem,
    Agreement,
    AgreementKind,
    ApplicationStatus,
    Attendance,
    AttendanceMode,
    Bulletin,
    BulletinDraft,
    Decision,
    DecisionMethod,
    Document,
    Event,
    EventSession,
    JointProject,
    KnowledgeArticle,
    Meeting,
    MeetingSeries,
    Member,
    MemberKey,
    MembershipApplication,
    MemberStatus,
    Milestone,
    MinutesStatus,
    PolicyPosition,
    PolicyTopic,
    Registration,
    RegistrationStatus,
    Release,
    ReleaseSignature,
    ReleaseStatus,
    ReleaseVersion,
    Standard,
    StandardAdoption,
    Ticket,
    TicketPriority,
    TicketStatus,
    Vote,
    VoteChoice,
)


class SecretariatError(ValueError):
    """A request the network's rules refuse; the message says why, for people."""


def _rows_by_ids(queryset: Any, ids: list[Any]) -> list[Any]:
    """Rows named by a list of ids; a malformed id is a clear refusal, not a server error."""
    try:
        return list(queryset.filter(pk__in=ids))
    except (ValueError, ValidationError) as exc:
        raise SecretariatError(_("The request names a record that does not exist.")) from exc


# ---------------------------------------------------------------- member registry


@transaction.atomic
def member_admit(
    *,
    organization: Organization,
    by: User | None,
    joined_on: dt.date,
    contact_name: str = "",
    contact_email: str = "",
    node_descriptor_url: str = "",
    public_key: str = "",
    hosted: bool = False,
) -> Member:
    """Make an organization a member; with ``hosted`` (demo) the node creates and keeps its key."""
    if Member.objects.filter(organization=organization).exists():
        raise SecretariatError(_("%s is already a member.") % organization.name)
    member = Member.objects.create(
        organization=organization,
        joined_on=joined_on,
        contact_name=contact_name,
        contact_email=contact_email,
        node_descriptor_url=node_descriptor_url,
        hosted_on_this_node=hosted,
    )
    if hosted:
        member_key_add(member=member, public_key=member_keys.hosted_key_create(member.pk), by=by)
    elif public_key:
        member_key_add(member=member, public_key=public_key, by=by)
    audit_record(action="secretariat.member_admitted", actor=by, target=str(member.pk))
    return member


def member_set_status(*, member: Member, status: str, by: User | None, note: str = "") -> Member:
    """Suspend, reinstate or record the withdrawal of a member; shown in the signed registry."""
    if status not in MemberStatus.values:
        raise SecretariatError(_("Unknown member status."))
    if status != MemberStatus.ACTIVE and not note.strip():
        raise SecretariatError(_("Say why the member is suspended or withdrawn."))
    member.status = status
    member.save(update_fields=["status"])
    audit_record(
        action="secretariat.member_status",
        actor=by,
        target=str(member.pk),
        details={"status": status, "note": note.strip()[:200]},
    )
    return member


@transaction.atomic
def member_key_add(
    *, member: Member, public_key: str, by: User | None, now: dt.datetime | None = None
) -> MemberKey:
    """Register a new signing key; the member's current keys are retired (rotation)."""
    now = now or timezone.now()
    canonical = member_keys.parse_public_key(public_key)
    if canonical is None:
        raise SecretariatError(_("That is not an Ed25519 public key (32 bytes, base64url)."))
    if MemberKey.objects.filter(public_key=canonical).exists():
        raise SecretariatError(_("That key is already registered; a key belongs to one member."))
    member.keys.filter(retired_at__isnull=True, revoked_at__isnull=True).update(retired_at=now)
    key = MemberKey.objects.create(member=member, public_key=canonical, created_at=now)
    audit_record(
        action="secretariat.member_key_added",
        actor=by,
        target=str(member.pk),
        details={"public": canonical},
    )
    return key


def member_key_rotate_hosted(*, member: Member, by: User | None) -> MemberKey:
    """Demo: generate a new hosted key for a member this node signs for, retiring the old one."""
    if not member.hosted_on_this_node:
        raise SecretariatError(_("This member keeps its own keys; it registers new ones itself."))
    return member_key_add(member=member, public_key=member_keys.hosted_key_create(member.pk), by=by)


@transaction.atomic
def member_key_revoke(
    *, key: MemberKey, by: User | None, reason: str, now: dt.datetime | None = None
) -> MemberKey:
    """Revoke a key: from now on no signature made with it counts, including past ones."""
    if not reason.strip():
        raise SecretariatError(_("Say why the key is revoked."))
    if key.revoked_at is not None:
        raise SecretariatError(_("The key is already revoked."))
    key.revoked_at = now or timezone.now()
    key.revocation_reason = reason.strip()[:300]
    key.save(update_fields=["revoked_at", "revocation_reason"])
    audit_record(
        action="secretariat.member_key_revoked",
        actor=by,
        target=str(key.member_id),
        details={"public": key.public_key, "reason": key.revocation_reason},
    )
    return key


@transaction.atomic
def application_submit(
    *,
    organization: Organization | None,
    by: User | None,
    contact_name: str,
    contact_email: str,
    node_descriptor_url: str = "",
    public_key: str = "",
    motivation: str = "",
) -> MembershipApplication:
    if organization is None:
        raise SecretariatError(
            _("Your account belongs to no organization; only organizations join.")
        )
    if Member.objects.filter(organization=organization).exists():
        raise SecretariatError(_("%s is already a member.") % organization.name)
    if MembershipApplication.objects.filter(
        organization=organization, status=ApplicationStatus.PENDING
    ).exists():
        raise SecretariatError(_("%s already has an application under review.") % organization.name)
    if not contact_name.strip() or "@" not in contact_email:
        raise SecretariatError(_("Give a contact name and email address."))
    canonical = ""
    if public_key.strip():
        canonical = member_keys.parse_public_key(public_key) or ""
        if not canonical:
            raise SecretariatError(_("That is not an Ed25519 public key (32 bytes, base64url)."))
    application = MembershipApplication.objects.create(
        organization=organization,
        submitted_by=by,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        node_descriptor_url=node_descriptor_url.strip(),
        public_key=canonical,
        motivation=motivation.strip(),
    )
    audit_record(action="secretariat.application_submitted", actor=by, target=organization.name)
    return application


@transaction.atomic
def application_decide(
    *, application: MembershipApplication, by: User, approve: bool, note: str = ""
) -> Member | None:
    """Approve (admits the member with its key) or reject a pending application."""
    if application.status != ApplicationStatus.PENDING:
        raise SecretariatError(_("This application has already been decided."))
    if not approve and not note.strip():
        raise SecretariatError(_("Say why the application is rejected."))
    member = None
    if approve:
        member = member_admit(
            organization=application.organization,
            by=by,
            joined_on=timezone.now().date(),
            contact_name=application.contact_name,
            contact_email=application.contact_email,
            node_descriptor_url=application.node_descriptor_url,
            public_key=application.public_key,
        )
    application.status = ApplicationStatus.APPROVED if approve else ApplicationStatus.REJECTED
    application.decided_by, application.decided_at = by, timezone.now()
    application.decision_note = note.strip()[:300]
    application.save()
    audit_record(
        action="secretariat.application_decided",
        actor=by,
        target=application.organization.name,
        details={"approved": approve},
    )
    return member


# ---------------------------------------------------------------- joint releases


@transaction.atomic
def release_create(
    *,
    title: str,
    text: str,
    signer_ids: list[Any],
    threshold: int,
    by: User | None,
    language: str = "en",
) -> Release:
    """A draft with its first version, its designated signers (n) and threshold (k)."""
    if not title.strip() or not text.strip():
        raise SecretariatError(_("A release needs a title and a text."))
    signers = _rows_by_ids(Member.objects.filter(status=MemberStatus.ACTIVE), signer_ids)
    if len(signers) != len(set(map(str, signer_ids))):
        raise SecretariatError(_("Every designated signer must be an active member."))
    if not 1 <= threshold <= len(signers):
        raise SecretariatError(
            _("The threshold must be between 1 and the number of signers (%d).") % len(signers)
        )
    release = Release.objects.create(
        title=title.strip(), language=language, threshold=threshold, created_by=by
    )
    release.signers.set(signers)
    ReleaseVersion.objects.create(release=release, number=1, text=text, author=by)
    audit_record(action="secretariat.release_created", actor=by, target=str(release.pk))
    return release


@transaction.atomic
def release_version_add(
    *, release: Release, text: str, by: User | None, note: str = ""
) -> ReleaseVersion:
    if release.status != ReleaseStatus.DRAFT:
        raise SecretariatError(_("Signing has started; the text can no longer change."))
    if not text.strip():
        raise SecretariatError(_("A version needs a text."))
    last = release.versions.order_by("-number").first()
    if last is not None and last.text == text:
        raise SecretariatError(_("The text is the same as version %d.") % last.number)
    return ReleaseVersion.objects.create(
        release=release, number=(last.number + 1) if last else 1, text=text, note=note, author=by
    )


@transaction.atomic
def release_open_for_signatures(*, release: Release, by: User | None) -> Release:
    """Freeze the latest version as the canonical statement every signer signs."""
    if release.status != ReleaseStatus.DRAFT:
        raise SecretariatError(_("This release is not a draft any more."))
    version = release.versions.order_by("-number").first()
    assert version is not None
    node = node_identity_ensure()
    release.statement = release_body(
        release_id=str(release.pk),
        title=release.title,
        version=version.number,
        language=release.language,
        issued_by=str(node.node_id),
        signers=[str(m.pk) for m in release.signers.all()],
        threshold=release.threshold,
        metadata={"drafted_at": release.created_at.date().isoformat(), "node": str(node.node_id)},
        text=version.text,
    )
    release.status = ReleaseStatus.SIGNING
    release.save(update_fields=["statement", "status"])
    audit_record(action="secretariat.release_opened", actor=by, target=str(release.pk))
    return release


def release_payload_bytes(release: Release) -> bytes:
    """The bytes a member signs (offline, with its own key) for a release awaiting signatures."""
    if release.statement is None:
        raise SecretariatError(_("The release is not open for signatures yet."))
    return release_payload(release.statement)


@transaction.atomic
def release_sign(
    *,
    release: Release,
    organization: Organization | None,
    signature: str,
    by: User | None,
    now: dt.datetime | None = None,
    signed_by_node: bool = False,
) -> ReleaseSignature:
    """Record a member's signature; publishes the release when k distinct members have signed."""
    now = now or timezone.now()
    release = Release.objects.select_for_update().get(pk=release.pk)
    if release.status != ReleaseStatus.SIGNING:
        raise SecretariatError(_("This release is not awaiting signatures."))
    member = Member.objects.filter(organization=organization).first() if organization else None
    if member is None:
        raise SecretariatError(
            _("%s is not a member of the network; its signature is refused.")
            % (organization.name if organization else _("This account"))
        )
    if member.status != MemberStatus.ACTIVE:
        raise SecretariatError(_("%s is not an active member.") % member)
    if not release.signers.filter(pk=member.pk).exists():
        raise SecretariatError(_("%s is not a designated signer of this release.") % member)
    if release.signatures.filter(member=member).exists():
        raise SecretariatError(_("%s has already signed; a member counts once.") % member)
    payload = release_payload_bytes(release)
    usable = member.keys.filter(revoked_at__isnull=True, retired_at__isnull=True)
    key = next(
        (k for k in usable if ed25519_verify(k.public_key, signature.strip(), payload)), None
    )
    if key is None:
        raise SecretariatError(
            _(
                "The signature does not verify with %s's current registered key "
                "(wrong key, revoked key, or a different text)."
            )
            % member
        )
    try:
        with transaction.atomic():
            record = ReleaseSignature.objects.create(
                release=release,
                member=member,
                key=key,
                signature=signature.strip(),
                signed_at=now,
                signed_by_node=signed_by_node,
            )
    except IntegrityError as exc:  # a concurrent request of the same member won the race
        raise SecretariatError(_("%s has already signed; a member counts once.") % member) from exc
    audit_record(
        action="secretariat.release_signed",
        actor=by,
        target=str(release.pk),
        details={"member": str(member.pk), "on_behalf": signed_by_node},
    )
    counted = release.signatures.filter(key__revoked_at__isnull=True).count()
    if counted >= release.threshold:
        release.status, release.published_at = ReleaseStatus.PUBLISHED, now
        release.save(update_fields=["status", "published_at"])
        audit_record(action="secretariat.release_published", actor=by, target=str(release.pk))
    return record


def release_sign_on_behalf(
    *, release: Release, member: Member, by: User | None, now: dt.datetime | None = None
) -> ReleaseSignature:
    """Demo: the node signs with a hosted member's private key, and says so on the record."""
    if not member.hosted_on_this_node:
        raise SecretariatError(
            _("%s keeps its own key: it uploads its signature; the node cannot sign for it.")
            % member
        )
    key = member.keys.filter(revoked_at__isnull=True, retired_at__isnull=True).first()
    private = member_keys.hosted_key_load(member.pk, key.public_key) if key else None
    if private is None:
        raise SecretariatError(_("This node holds no usable key of %s.") % member)
    signature = b64url(private.sign(release_payload_bytes(release)))
    return release_sign(
        release=release,
        organization=member.organization,
        signature=signature,
        by=by,
        now=now,
        signed_by_node=True,
    )


# ---------------------------------------------------------------- meetings


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise SecretariatError(_("Unknown time zone: %s.") % name) from exc


def local_datetime(day: str, time: str, zone: str) -> dt.datetime:
    """A wall-clock date and time in an IANA zone, as an aware datetime (for forms)."""
    try:
        naive = dt.datetime.fromisoformat(f"{day}T{time}")
    except ValueError as exc:
        raise SecretariatError(_("Give the date as YYYY-MM-DD and the time as HH:MM.")) from exc
    return naive.replace(tzinfo=_zone(zone))


@transaction.atomic
def meeting_schedule(
    *,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    time_zone: str,
    by: User | None,
    series: MeetingSeries | None = None,
    room: str = "",
    online_url: str = "",
) -> Meeting:
    """Schedule a meeting; refuses a room already booked at an overlapping time."""
    _zone(time_zone)
    if not title.strip():
        raise SecretariatError(_("A meeting needs a title."))
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise SecretariatError(_("Meeting times need a time zone."))
    if ends_at <= starts_at:
        raise SecretariatError(_("The meeting ends before it starts."))
    room = " ".join(room.split())
    if room:
        clash = (
            Meeting.objects.select_for_update()
            .filter(room__iexact=room, starts_at__lt=ends_at, ends_at__gt=starts_at)
            .first()
        )
        if clash is not None:
            raise SecretariatError(
                _("%(room)s is already booked for “%(title)s” from %(start)s to %(end)s (UTC).")
                % {
                    "room": room,
                    "title": clash.title,
                    "start": clash.starts_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M"),
                    "end": clash.ends_at.astimezone(dt.UTC).strftime("%H:%M"),
                }
            )
    meeting = Meeting.objects.create(
        title=title.strip(),
        series=series,
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=time_zone,
        room=room,
        online_url=online_url,
    )
    audit_record(action="secretariat.meeting_scheduled", actor=by, target=str(meeting.pk))
    return meeting


def agenda_item_propose(
    *, meeting: Meeting, member: Member | None, title: str, document_url: str = ""
) -> AgendaItem:
    if member is None:
        raise SecretariatError(_("Only members propose agenda items."))
    if not title.strip():
        raise SecretariatError(_("An agenda item needs a title."))
    with transaction.atomic():
        position = meeting.agenda.count() + 1
        return AgendaItem.objects.create(
            meeting=meeting,
            proposed_by=member,
            title=title.strip(),
            document_url=document_url,
            position=position,
        )


def attendance_record(
    *, meeting: Meeting, member: Member, mode: str, delegate: str = ""
) -> Attendance:
    if mode not in AttendanceMode.values:
        raise SecretariatError(_("Attendance is in person or online."))
    attendance, _created = Attendance.objects.update_or_create(
        meeting=meeting, member=member, defaults={"mode": mode, "delegate": delegate}
    )
    return attendance


def minutes_save(*, meeting: Meeting, text: str, by: User | None, approve: bool = False) -> Meeting:
    """Draft the minutes; approving freezes them."""
    if meeting.minutes_status == MinutesStatus.APPROVED:
        raise SecretariatError(_("The minutes are approved and can no longer change."))
    if not text.strip():
        raise SecretariatError(_("The minutes are empty."))
    meeting.minutes = text
    meeting.minutes_status = MinutesStatus.APPROVED if approve else MinutesStatus.DRAFT
    meeting.minutes_approved_at = timezone.now() if approve else None
    meeting.save(update_fields=["minutes", "minutes_status", "minutes_approved_at"])
    if approve:
        audit_record(action="secretariat.minutes_approved", actor=by, target=str(meeting.pk))
    return meeting


@transaction.atomic
def decision_record(
    *,
    meeting: Meeting,
    text: str,
    method: str,
    by: User | None,
    votes: Mapping[Any, str] | None = None,
) -> Decision:
    """A decision by consensus (no votes) or by vote (every vote recorded; adopted if for > against)."""
    votes = dict(votes or {})
    if not text.strip():
        raise SecretariatError(_("Say what was decided."))
    if method not in DecisionMethod.values:
        raise SecretariatError(_("A decision is reached by consensus or by vote."))
    if method == DecisionMethod.CONSENSUS and votes:
        raise SecretariatError(_("A consensus decision records no votes."))
    if method == DecisionMethod.VOTE and not votes:
        raise SecretariatError(_("A vote needs the recorded votes."))
    if any(choice not in VoteChoice.values for choice in votes.values()):
        raise SecretariatError(_("A vote is for, against or abstain."))
    voters = {str(m.pk): m for m in _rows_by_ids(Member.objects.all(), list(votes))}
    unknown = sorted(str(k) for k in votes if str(k) not in voters)
    if unknown:
        raise SecretariatError(_("Only members vote; unknown: %s.") % ", ".join(unknown))
    tally = [votes[k] for k in votes]
    adopted = (
        True
        if method == DecisionMethod.CONSENSUS
        else tally.count(VoteChoice.FOR) > tally.count(VoteChoice.AGAINST)
    )
    decision = Decision.objects.create(
        meeting=meeting, text=text.strip(), method=method, adopted=adopted
    )
    Vote.objects.bulk_create(
        Vote(decision=decision, member=voters[str(k)], choice=c) for k, c in votes.items()
    )
    audit_record(action="secretariat.decision_recorded", actor=by, target=str(decision.pk))
    return decision


def action_add(
    *,
    meeting: Meeting,
    title: str,
    owner: Member | None,
    due_on: dt.date | None,
    by: User | None,
    decision: Decision | None = None,
) -> ActionItem:
    if owner is None:
        raise SecretariatError(_("An action needs an owner: the member responsible for it."))
    if not title.strip():
        raise SecretariatError(_("Say what the action is."))
    if due_on is None:
        raise SecretariatError(_("An action needs a due date."))
    action = ActionItem.objects.create(
        meeting=meeting, decision=decision, title=title.strip(), owner=owner, due_on=due_on
    )
    audit_record(action="secretariat.action_added", actor=by, target=str(action.pk))
    return action


def action_set_status(*, action: ActionItem, status: str, by: User | None) -> ActionItem:
    if status not in ActionStatus.values:
        raise SecretariatError(_("Unknown action status."))
    action.status = status
    action.save(update_fields=["status"])
    return action


REMIND_DAYS_AHEAD = 7


def action_reminders_send(*, today: dt.date) -> int:
    """Email each owner of an open action due within a week or overdue; once a day at most."""
    due = (
        ActionItem.objects.select_related("owner__organization", "meeting")
        .filter(status=ActionStatus.OPEN, due_on__lte=today + dt.timedelta(days=REMIND_DAYS_AHEAD))
        .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=today))
        .exclude(owner__contact_email="")
    )
    sent = 0
    for action in due:
        overdue = action.due_on < today
        subject = (_("Overdue action: %s") if overdue else _("Action due soon: %s")) % action.title
        body = _("%(title)s\nMeeting: %(meeting)s\nDue: %(due)s\nOwner: %(owner)s\n") % {
            "title": action.title,
            "meeting": action.meeting.title,
            "due": action.due_on.isoformat(),
            "owner": action.owner,
        }
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [action.owner.contact_email])
        action.last_reminded_on = today
        action.save(update_fields=["last_reminded_on"])
        sent += 1
    return sent


# ---------------------------------------------------------------- bulletins


def bulletin_publish(
    *,
    title: str,
    body: str,
    access: str,
    by: User | None,
    group: MeetingSeries | None = None,
    language: str = "en",
    now: dt.datetime | None = None,
) -> Bulletin:
    """Publish a bulletin; a group-only bulletin names its working group, others name none."""
    if not title.strip() or not body.strip():
        raise SecretariatError(_("A bulletin needs a title and a text."))
    if access not in Access.values:
        raise SecretariatError(_("Access is public, members or a working group."))
    if access == Access.GROUP and group is None:
        raise SecretariatError(_("Choose the working group that may read this bulletin."))
    if access != Access.GROUP:
        group = None
    bulletin = Bulletin.objects.create(
        title=title.strip(),
        body=body.strip(),
        access=access,
        group=group,
        language=language or "en",
        author=by,
        published_at=now or timezone.now(),
    )
    audit_record(action="secretariat.bulletin_published", actor=by, target=str(bulletin.pk))
    return bulletin


@transaction.atomic
def bulletin_translate(*, bulletin: Bulletin, language: str, by: User | None) -> BulletinDraft:
    """Ask the configured translation provider for a draft of `bulletin` in `language`.

    The draft is marked machine-translated and is not published: the secretariat reviews it
    first (bulletin_draft_publish). Without a provider, or when the provider fails or its answer
    fails the engine's checks, SecretariatError says why and nothing is stored."""
    from edubridge.engines.localize.translate import TranslationError
    from edubridge.localization.services import translation_provider
    from edubridge.secretariat.translation import provider_label, translate_bulletin

    provider = translation_provider()
    if provider is None:
        raise SecretariatError(_("No machine translation provider is configured on this node."))
    language = language.strip()
    codes = {code for code, _name in settings.LANGUAGES}
    if language not in codes:
        raise SecretariatError(_("Choose one of this node's languages."))
    if language == bulletin.language:
        raise SecretariatError(_("The bulletin is already in that language."))
    try:
        result = translate_bulletin(
            provider,
            title=bulletin.title,
            body=bulletin.body,
            source=bulletin.language,
            target=language,
        )
    except TranslationError as exc:
        raise SecretariatError(
            _("The machine translation was refused: %(why)s") % {"why": exc}
        ) from exc
    draft = BulletinDraft.objects.create(
        source=bulletin,
        language=language,
        title=result.title,
        body=result.body,
        provider=provider_label(provider)[:200],
        created_by=by,
    )
    audit_record(
        action="secretariat.bulletin_translated",
        actor=by,
        target=str(bulletin.pk),
        details={"language": language, "draft": str(draft.pk)},
    )
    return draft


@transaction.atomic
def bulletin_draft_publish(
    *, draft: BulletinDraft, by: User | None, title: str, body: str
) -> Bulletin:
    """Publish a reviewed machine-translated draft with the source's access, marked as such."""
    draft = BulletinDraft.objects.select_for_update().select_related("source").get(pk=draft.pk)
    if draft.published_id is not None:
        raise SecretariatError(_("This draft was already published."))
    source = draft.source
    bulletin = bulletin_publish(
        title=title,
        body=body,
        access=source.access,
        group=source.group,
        language=draft.language,
        by=by,
    )
    bulletin.translated_from = source
    bulletin.machine_translated = True
    bulletin.save(update_fields=["translated_from", "machine_translated"])
    draft.title, draft.body, draft.published = bulletin.title, bulletin.body, bulletin
    draft.save(update_fields=["title", "body", "published"])
    return bulletin


# ---------------------------------------------------------------- support desk

RESPONSE_TARGETS = {
    TicketPriority.URGENT: dt.timedelta(hours=4),
    TicketPriority.NORMAL: dt.timedelta(days=2),
    TicketPriority.LOW: dt.timedelta(days=5),
}
# Allowed moves of the workflow; anything else is refused with the allowed next states.
TRANSITIONS: dict[str, frozenset[str]] = {
    TicketStatus.NEW: frozenset({TicketStatus.ASSIGNED, TicketStatus.CLOSED}),
    TicketStatus.ASSIGNED: frozenset({TicketStatus.WAITING, TicketStatus.RESOLVED}),
    TicketStatus.WAITING: frozenset({TicketStatus.ASSIGNED, TicketStatus.RESOLVED}),
    TicketStatus.RESOLVED: frozenset({TicketStatus.CLOSED, TicketStatus.ASSIGNED}),
    TicketStatus.CLOSED: frozenset(),
}


def ticket_open(
    *,
    title: str,
    description: str,
    by: User,
    priority: str = TicketPriority.NORMAL,
    topic: str = "",
    now: dt.datetime | None = None,
) -> Ticket:
    """A partner opens a ticket; the response target follows from its priority."""
    if by.organization is None:
        raise SecretariatError(_("Your account belongs to no organization; ask your node admin."))
    if not title.strip() or not description.strip():
        raise SecretariatError(_("Say what the problem is, with details."))
    if priority not in TicketPriority.values:
        raise SecretariatError(_("Unknown priority."))
    now = now or timezone.now()
    return Ticket.objects.create(
        title=title.strip(),
        description=description.strip(),
        topic=topic.strip(),
        opened_by=by,
        organization=by.organization,
        priority=priority,
        opened_at=now,
        respond_by=now + RESPONSE_TARGETS[TicketPriority(priority)],
    )


@transaction.atomic
def ticket_move(
    *,
    ticket: Ticket,
    status: str,
    by: User,
    assignee: User | None = None,
    resolution: str = "",
    now: dt.datetime | None = None,
) -> Ticket:
    """Move a ticket along the workflow; the first move by the desk stops the response clock."""
    allowed = TRANSITIONS[ticket.status]
    if status not in allowed:
        raise SecretariatError(
            _("A %(from)s ticket can become: %(to)s.")
            % {"from": ticket.status, "to": ", ".join(sorted(allowed)) or _("nothing (closed)")}
        )
    if status == TicketStatus.ASSIGNED:
        ticket.assignee = assignee or ticket.assignee or by
    if status == TicketStatus.RESOLVED:
        if not resolution.strip():
            raise SecretariatError(_("Write the answer before resolving the ticket."))
        ticket.resolution = resolution.strip()
    if ticket.first_response_at is None:
        ticket.first_response_at = now or timezone.now()
    ticket.status = status
    ticket.save()
    audit_record(
        action="secretariat.ticket_moved", actor=by, target=str(ticket.pk), details={"to": status}
    )
    return ticket


# ---------------------------------------------------------------- forums and events


@transaction.atomic
def event_create(
    *,
    title: str,
    kind: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    time_zone: str,
    capacity: int,
    by: User | None,
    venue: str = "",
    waiting_list: bool = True,
) -> Event:
    _zone(time_zone)
    if not title.strip():
        raise SecretariatError(_("An event needs a title."))
    if ends_at <= starts_at:
        raise SecretariatError(_("The event ends before it starts."))
    if capacity < 1:
        raise SecretariatError(_("An event needs at least one seat."))
    event = Event.objects.create(
        title=title.strip(),
        kind=kind,
        venue=venue,
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=time_zone,
        capacity=capacity,
        waiting_list=waiting_list,
    )
    audit_record(action="secretariat.event_created", actor=by, target=str(event.pk))
    return event


def session_add(
    *,
    event: Event,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    speakers: str = "",
    room: str = "",
) -> EventSession:
    """A programme session inside the event's time; a room holds one session at a time."""
    if not title.strip():
        raise SecretariatError(_("A session needs a title."))
    if ends_at <= starts_at or starts_at < event.starts_at or ends_at > event.ends_at:
        raise SecretariatError(_("A session must start before it ends, within the event."))
    room = " ".join(room.split())
    if (
        room
        and event.sessions.filter(
            room__iexact=room, starts_at__lt=ends_at, ends_at__gt=starts_at
        ).exists()
    ):
        raise SecretariatError(_("%s already has a session at that time.") % room)
    return EventSession.objects.create(
        event=event,
        title=title.strip(),
        speakers=speakers,
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
    )


@transaction.atomic
def event_register(*, event: Event, person: User, now: dt.datetime | None = None) -> Registration:
    """A seat while seats remain; then the waiting list, or a refusal when the event has none."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    existing = Registration.objects.filter(event=event, person=person).first()
    if existing is not None and existing.status != RegistrationStatus.CANCELLED:
        raise SecretariatError(
            _("You are already registered (%s).") % existing.get_status_display()
        )
    taken = event.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    if taken < event.capacity:
        status = RegistrationStatus.REGISTERED
    elif event.waiting_list:
        status = RegistrationStatus.WAITING
    else:
        raise SecretariatError(
            _("The event is full: all %d seats are taken and it keeps no waiting list.")
            % event.capacity
        )
    now = now or timezone.now()
    if existing is not None:
        existing.status, existing.registered_at, existing.checked_in_at = status, now, None
        existing.save()
        return existing
    return Registration.objects.create(event=event, person=person, status=status, registered_at=now)


@transaction.atomic
def registration_cancel(*, registration: Registration) -> Registration | None:
    """Cancel; a freed seat goes to the first person waiting, who is returned."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    had_seat = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status"])
    if not had_seat:
        return None
    waiting = (
        event.registrations.filter(status=RegistrationStatus.WAITING)
        .order_by("registered_at", "pk")
        .first()
    )
    if waiting is not None:
        waiting.status = RegistrationStatus.REGISTERED
        waiting.save(update_fields=["status"])
    return waiting


def registration_check_in(
    *, registration: Registration, now: dt.datetime | None = None
) -> Registration:
    if registration.status != RegistrationStatus.REGISTERED:
        raise SecretariatError(_("Only people holding a seat check in."))
    if registration.checked_in_at is not None:
        raise SecretariatError(_("Already checked in."))
    registration.checked_in_at = now or timezone.now()
    registration.save(update_fields=["checked_in_at"])
    return registration


@transaction.atomic
def registration_certificate(*, registration: Registration, by: User | None, event_url: str) -> Any:
    """The participant's Open Badges 3.0 certificate of attendance, issued once after check-in
    through the training app's credential machinery (same signature, status list, verification
    page). Returns the training api's CredentialInfo."""
    from edubridge.training import api as credentials

    registration = (
        Registration.objects.select_for_update()
        .select_related("event", "person")
        .get(pk=registration.pk)
    )
    if registration.checked_in_at is None:
        raise SecretariatError(_("A certificate of attendance follows check-in at the event."))
    event = registration.event
    try:
        info = credentials.attendance_credential_issue(
            by=by,
            holder=registration.person,
            reference=f"secretariat.registration:{registration.pk}",
            event_name=event.title,
            event_description=_("%(kind)s, %(venue)s, %(day)s")
            % {
                "kind": event.get_kind_display(),
                "venue": event.venue or "-",
                "day": event.starts_at.astimezone(_zone(event.time_zone)).date().isoformat(),
            },
            event_url=event_url,
            issuer_name=str(settings.NODE["ORGANIZATION"]),
            attended_at=registration.checked_in_at,
        )
    except credentials.CredentialError as exc:
        raise SecretariatError(str(exc)) from exc
    if registration.credential_id != info.id:
        registration.credential_id = info.id
        registration.save(update_fields=["credential_id"])
    return info


def registration_certificate_revoke(*, registration: Registration, by: User, reason: str) -> Any:
    from edubridge.training import api as credentials

    if registration.credential_id is None:
        raise SecretariatError(_("No certificate was issued for this registration."))
    try:
        return credentials.credential_revoke(
            by=by, credential_id=registration.credential_id, reason=reason
        )
    except credentials.CredentialError as exc:
        raise SecretariatError(str(exc)) from exc


# ---------------------------------------------------------------- policy dialogue and standards


def policy_position_record(
    *,
    topic: PolicyTopic,
    member: Member,
    rules: str,
    by: User | None,
    position: str = "",
    source_url: str = "",
    today: dt.date | None = None,
) -> PolicyPosition:
    """Record or update a member's rules and position on a topic (one entry per member)."""
    if not rules.strip():
        raise SecretariatError(_("Describe the rules in force."))
    entry, _created = PolicyPosition.objects.update_or_create(
        topic=topic,
        member=member,
        defaults={
            "rules": rules.strip(),
            "position": position.strip(),
            "source_url": source_url.strip(),
            "updated_on": today or timezone.now().date(),
        },
    )
    audit_record(action="secretariat.policy_position", actor=by, target=f"{topic.pk}/{member.pk}")
    return entry


def standard_adoption_set(*, member: Member, standard: Standard, status: str) -> StandardAdoption:
    if status not in AdoptionStatus.values:
        raise SecretariatError(_("Adoption is adopted, piloting, planned or not used."))
    adoption, _created = StandardAdoption.objects.update_or_create(
        member=member, standard=standard, defaults={"status": status}
    )
    return adoption


@transaction.atomic
def agreement_record(
    *,
    kind: str,
    title: str,
    party_ids: list[Any],
    starts_on: dt.date | None,
    by: User | None,
    renews_on: dt.date | None = None,
    subject: str = "",
    terms: str = "",
) -> Agreement:
    """An MoU or a mutual-recognition agreement between at least two institutions."""
    if kind not in AgreementKind.values:
        raise SecretariatError(_("Unknown kind of agreement."))
    if not title.strip() or starts_on is None:
        raise SecretariatError(_("An agreement needs a title and a start date."))
    parties = _rows_by_ids(Organization.objects.all(), party_ids)
    if len(parties) < 2:
        raise SecretariatError(_("An agreement binds at least two institutions."))
    if renews_on is not None and renews_on <= starts_on:
        raise SecretariatError(_("The renewal date comes before the start."))
    agreement = Agreement.objects.create(
        kind=kind,
        title=title.strip(),
        subject=subject.strip(),
        terms=terms.strip(),
        starts_on=starts_on,
        renews_on=renews_on,
    )
    agreement.parties.set(parties)
    audit_record(action="secretariat.agreement_recorded", actor=by, target=str(agreement.pk))
    return agreement


def meeting_invitations_send(*, meeting: Meeting) -> int:
    """Email every active member's contact the meeting's iCalendar invitation (one per member)."""
    ics = meeting_ics(meeting)
    sent = 0
    recipients = Member.objects.filter(status=MemberStatus.ACTIVE).exclude(contact_email="")
    for member in recipients.select_related("organization"):
        message = EmailMessage(
            subject=_("Invitation: %s") % meeting.title,
            body=_("%(title)s\nThe invitation is attached; your calendar shows your local time.")
            % {"title": meeting.title},
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[member.contact_email],
        )
        message.attach("invite.ics", ics, "text/calendar; method=REQUEST; charset=utf-8")
        message.send()
        sent += 1
    return sent


def knowledge_article_from_ticket(*, ticket: Ticket, by: User | None) -> KnowledgeArticle:
    """Keep a resolved ticket's answer in the knowledge base so the next partner finds it."""
    if ticket.status not in (TicketStatus.RESOLVED, TicketStatus.CLOSED) or not ticket.resolution:
        raise SecretariatError(_("Only a resolved ticket's answer goes into the knowledge base."))
    article, _created = KnowledgeArticle.objects.get_or_create(
        ticket=ticket,
        defaults={
            "question": ticket.title,
            "answer": ticket.resolution,
            "topic": ticket.topic,
            "created_at": timezone.now(),
        },
    )
    return article


# ---------------------------------------------------------------- joint projects


@transaction.atomic
def project_create(
    *,
    title: str,
    institution_ids: list[Any],
    by: User | None,
    description: str = "",
    agreement: Agreement | None = None,
) -> JointProject:
    if not title.strip():
        raise SecretariatError(_("A project needs a title."))
    institutions = _rows_by_ids(Organization.objects.all(), institution_ids)
    if len(institutions) < 2:
        raise SecretariatError(_("A joint project has at least two institutions."))
    project = JointProject.objects.create(
        title=title.strip(), description=description.strip(), agreement=agreement
    )
    project.institutions.set(institutions)
    audit_record(action="secretariat.project_created", actor=by, target=str(project.pk))
    return project


def milestone_add(
    *, project: JointProject, title: str, due_on: dt.date | None, output_url: str = ""
) -> Milestone:
    if not title.strip() or due_on is None:
        raise SecretariatError(_("A milestone needs a title and a due date."))
    return Milestone.objects.create(
        project=project, title=title.strip(), due_on=due_on, output_url=output_url
    )


def milestone_reach(
    *, milestone: Milestone, output_url: str = "", today: dt.date | None = None
) -> Milestone:
    if milestone.done_on is not None:
        raise SecretariatError(_("This milestone is already reached."))
    milestone.done_on = today or timezone.now().date()
    if output_url:
        milestone.output_url = output_url
    milestone.save(update_fields=["done_on", "output_url"])
    return milestone


RENEWAL_NOTICE_DAYS = 30


def agreement_renewal_reminders_send(*, today: dt.date) -> int:
    """Email the member contacts of every party to an agreement renewing within 30 days."""
    sent = 0
    due = Agreement.objects.filter(
        renews_on__gte=today, renews_on__lte=today + dt.timedelta(days=RENEWAL_NOTICE_DAYS)
    ).prefetch_related("parties")
    for agreement in due:
        contacts = list(
            Member.objects.filter(organization__in=agreement.parties.all())
            .exclude(contact_email="")
            .values_list("contact_email", flat=True)
        )
        if contacts:
            send_mail(
                _("Agreement due for renewal: %s") % agreement.title,
                _("%(title)s renews on %(date)s.")
                % {"title": agreement.title, "date": agreement.renews_on},
                settings.DEFAULT_FROM_EMAIL,
                contacts,
            )
            sent += 1
    return sent


# ---------------------------------------------------------------- document library

DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


@transaction.atomic
def document_upload(
    *,
    title: str,
    upload: Any,
    access: str,
    by: User | None,
    group: MeetingSeries | None = None,
    meeting: Meeting | None = None,
) -> Document:
    """Store a file in the library with its SHA-256; refuses empty, oversized or unaddressed files."""
    if upload is None or not getattr(upload, "size", 0):
        raise SecretariatError(_("Choose a file to upload; empty files are refused."))
    if upload.size > DOCUMENT_MAX_BYTES:
        raise SecretariatError(_("The file is larger than 20 MB."))
    if not title.strip():
        raise SecretariatError(_("A document needs a title."))
    if access not in Access.values:
        raise SecretariatError(_("Access is public, members or a working group."))
    if access == Access.GROUP and group is None:
        raise SecretariatError(_("Choose the working group that may read this document."))
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    document = Document(
        title=title.strip(),
        sha256=digest.hexdigest(),
        size=upload.size,
        access=access,
        group=group if access == Access.GROUP else None,
        meeting=meeting,
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )
    document.file.save(upload.name.rsplit("/", 1)[-1][:100], upload, save=False)
    document.save()
    audit_record(action="secretariat.document_uploaded", actor=by, target=str(document.pk))
    return document
