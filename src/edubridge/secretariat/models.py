"""Member registry, joint releases and meetings of the network's secretariat.

Business rules live in services.py; these models hold fields, constraints and data classes only.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from edubridge.accounts.models import Organization
from edubridge.core.data_classes import DataClass, classified

PUBLIC = DataClass.PUBLIC
INTERNAL = DataClass.INTERNAL
PERSONAL = DataClass.PERSONAL


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Member(models.Model):
    """An organization that belongs to the network; the registry is the network's trust list."""

    id = classified(
        models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False),
        PUBLIC,
        "member id in the signed registry and in release signatures",
    )
    organization = classified(
        models.OneToOneField(Organization, on_delete=models.PROTECT, related_name="membership"),
        PUBLIC,
        "which organization is the member (name, country, type live there)",
    )
    status = classified(
        models.CharField(max_length=12, choices=MemberStatus.choices, default=MemberStatus.ACTIVE),
        PUBLIC,
        "only active members sign releases and vote",
    )
    joined_on = classified(models.DateField(), PUBLIC, "published in the registry")
    contact_name = classified(
        models.CharField(max_length=200, blank=True), PERSONAL, "who the secretariat writes to"
    )
    contact_email = classified(
        models.EmailField(blank=True), PERSONAL, "invitations and action reminders"
    )
    node_descriptor_url = classified(
        models.URLField(blank=True), PUBLIC, "where the member's own node describes itself"
    )
    hosted_on_this_node = classified(
        models.BooleanField(default=False),
        INTERNAL,
        "demo only: this node keeps the member's private key and signs on its behalf",
    )

    class Meta:
        ordering = ["organization__name"]

    def __str__(self) -> str:
        return str(self.organization.name)


class MemberKey(models.Model):
    """A member's public Ed25519 signing key; rotation retires it, compromise revokes it."""

    member = classified(
        models.ForeignKey(Member, on_delete=models.CASCADE, related_name="keys"),
        PUBLIC,
        "whose key it is",
    )
    public_key = classified(
        models.CharField(max_length=64, unique=True),
        PUBLIC,
        "raw Ed25519 public key, base64url; published in the registry",
    )
    created_at = classified(models.DateTimeField(), PUBLIC, "key history in the registry")
    retired_at = classified(
        models.DateTimeField(null=True, blank=True),
        PUBLIC,
        "rotated out: signs nothing new, past signatures still count",
    )
    revoked_at = classified(
        models.DateTimeField(null=True, blank=True),
        PUBLIC,
        "revoked: no signature by this key counts any more",
    )
    revocation_reason = classified(
        models.CharField(max_length=300, blank=True), PUBLIC, "why the key was revoked"
    )

    class Meta:
        ordering = ["member_id", "created_at"]

    def __str__(self) -> str:
        return f"{self.public_key[:12]}…"

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        return "retired" if self.retired_at else "current"


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class MembershipApplication(models.Model):
    organization = classified(
        models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+"),
        PUBLIC,
        "which organization applies",
    )
    submitted_by = classified(
        models.ForeignKey(
            settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
        ),
        PERSONAL,
        "who applied on the organization's behalf",
    )
    contact_name = classified(models.CharField(max_length=200), PERSONAL, "member contact")
    contact_email = classified(models.EmailField(), PERSONAL, "member contact")
    node_descriptor_url = classified(
        models.URLField(blank=True), PUBLIC, "the applicant's node descriptor"
    )
    public_key = classified(
        models.CharField(max_length=64, blank=True),
        PUBLIC,
        "first signing key, registered on approval",
    )
    motivation = classified(models.TextField(blank=True), INTERNAL, "why it wants to join")
    status = classified(
        models.CharField(
            max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING
        ),
        INTERNAL,
        "review state",
    )
    decided_by = classified(
        models.ForeignKey(
            settings.AUTH_USER_MODEL,
            on_delete=models.SET_NULL,
            null=True,
            blank=True,
            related_name="+",
        ),
        PERSONAL,
        "accountability for the decision",
    )
    decided_at = classified(models.DateTimeField(null=True, blank=True), INTERNAL, "review")
    decision_note = classified(models.CharField(max_length=300, blank=True), INTERNAL, "review")
    submitted_at = classified(models.DateTimeField(auto_now_add=True), INTERNAL, "review")

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.status}"


class ReleaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNING = "signing", _("Awaiting signatures")
    PUBLISHED = "published", _("Published")


class Release(models.Model):
    """A statement or report drafted in versions, then signed by k of n designated members."""

    id = classified(
        models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False),
        PUBLIC,
        "release id inside the signed document",
    )
    title = classified(models.CharField(max_length=300), PUBLIC, "published with the release")
    language = classified(models.CharField(max_length=10, default="en"), PUBLIC, "text language")
    signers = classified(
        models.ManyToManyField(Member, related_name="designated_releases"),
        PUBLIC,
        "the designated signing members (n)",
    )
    threshold = classified(
        models.PositiveSmallIntegerField(), PUBLIC, "signatures of distinct members needed (k)"
    )
    status = classified(
        models.CharField(max_length=10, choices=ReleaseStatus.choices, default=ReleaseStatus.DRAFT),
        PUBLIC,
        "draft, awaiting signatures, published",
    )
    statement = classified(
        models.JSONField(null=True, blank=True),
        PUBLIC,
        "the frozen release body members sign (canonical JSON, see ADR 0019)",
    )
    created_by = classified(
        models.ForeignKey(
            settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
        ),
        PERSONAL,
        "who started the draft",
    )
    created_at = classified(models.DateTimeField(auto_now_add=True), INTERNAL, "history")
    published_at = classified(
        models.DateTimeField(null=True, blank=True), PUBLIC, "when the threshold was met"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.title)


class ReleaseVersion(models.Model):
    release = classified(
        models.ForeignKey(Release, on_delete=models.CASCADE, related_name="versions"),
        PUBLIC,
        "which release",
    )
    number = classified(models.PositiveIntegerField(), PUBLIC, "version number, from 1")
    text = classified(models.TextField(), PUBLIC, "the drafted text")
    note = classified(models.CharField(max_length=300, blank=True), INTERNAL, "what changed")
    author = classified(
        models.ForeignKey(
            settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
        ),
        PERSONAL,
        "who wrote the version",
    )
    created_at = classified(models.DateTimeField(auto_now_add=True), INTERNAL, "history")

    class Meta:
        ordering = ["release_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["release", "number"], name="one_number_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.release_id} v{self.number}"


class ReleaseSignature(models.Model):
    release = classified(
        models.ForeignKey(Release, on_delete=models.CASCADE, related_name="signatures"),
        PUBLIC,
        "which release",
    )
    member = classified(
        models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+"),
        PUBLIC,
        "which member signed",
    )
    key = classified(
        models.ForeignKey(MemberKey, on_delete=models.PROTECT, related_name="+"),
        PUBLIC,
        "the registry key that signed",
    )
    signature = classified(models.CharField(max_length=100), PUBLIC, "Ed25519 signature, base64url")
    signed_at = classified(models.DateTimeField(), PUBLIC, "when the node received it")
    signed_by_node = classified(
        models.BooleanField(default=False),
        PUBLIC,
        "demo: the node signed with the member's hosted key instead of an upload",
    )

    class Meta:
        ordering = ["release_id", "signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["release", "member"], name="one_signature_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} signed {self.release_id}"


class Recurrence(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")
    AD_HOC = "ad_hoc", _("As needed")


class MeetingSeries(models.Model):
    name = classified(models.CharField(max_length=200, unique=True), PUBLIC, "series title")
    recurrence = classified(
        models.CharField(max_length=12, choices=Recurrence.choices), PUBLIC, "how often it meets"
    )
    description = classified(models.TextField(blank=True), PUBLIC, "remit")
    participants = classified(
        models.ManyToManyField(Member, blank=True, related_name="working_groups"),
        INTERNAL,
        "members of the working group: they read its group-only bulletins",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "meeting series"

    def __str__(self) -> str:
        return str(self.name)


class MinutesStatus(models.TextChoices):
    NONE = "none", _("Not written")
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class Meeting(models.Model):
    id = classified(
        models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False),
        PUBLIC,
        "meeting id, also the iCalendar UID",
    )
    series = classified(
        models.ForeignKey(
            MeetingSeries, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
        ),
        PUBLIC,
        "which series",
    )
    title = classified(models.CharField(max_length=200), PUBLIC, "meeting title")
    starts_at = classified(models.DateTimeField(), PUBLIC, "start (stored in UTC)")
    ends_at = classified(models.DateTimeField(), PUBLIC, "end (stored in UTC)")
    time_zone = classified(
        models.CharField(max_length=64, default="UTC"), PUBLIC, "IANA zone the host schedules in"
    )
    room = classified(
        models.CharField(max_length=120, blank=True), PUBLIC, "physical room; no double booking"
    )
    online_url = classified(models.URLField(blank=True), INTERNAL, "video link for members")
    minutes = classified(models.TextField(blank=True), INTERNAL, "minutes text")
    minutes_status = classified(
        models.CharField(max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.NONE),
        INTERNAL,
        "draft or approved",
    )
    minutes_approved_at = classified(
        models.DateTimeField(null=True, blank=True), INTERNAL, "when minutes were approved"
    )

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return str(self.title)


class AgendaItem(models.Model):
    meeting = classified(
        models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda"),
        PUBLIC,
        "which meeting",
    )
    title = classified(models.CharField(max_length=300), INTERNAL, "agenda item")
    proposed_by = classified(
        models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+"),
        INTERNAL,
        "which member proposed it",
    )
    document_url = classified(models.URLField(blank=True), INTERNAL, "background document")
    position = classified(models.PositiveSmallIntegerField(), INTERNAL, "order on the agenda")

    class Meta:
        ordering = ["meeting_id", "position"]

    def __str__(self) -> str:
        return str(self.title)


class AttendanceMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class Attendance(models.Model):
    meeting = classified(
        models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance"),
        INTERNAL,
        "which meeting",
    )
    member = classified(
        models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+"),
        INTERNAL,
        "which member attended",
    )
    mode = classified(
        models.CharField(max_length=10, choices=AttendanceMode.choices),
        INTERNAL,
        "in person or online",
    )
    delegate = classified(models.CharField(max_length=200, blank=True), PERSONAL, "who came")

    class Meta:
        ordering = ["meeting_id", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.mode}"


class DecisionMethod(models.TextChoices):
    CONSENSUS = "consensus", _("Consensus")
    VOTE = "vote", _("Vote")


class Decision(models.Model):
    meeting = classified(
        models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions"),
        INTERNAL,
        "which meeting decided",
    )
    text = classified(models.TextField(), INTERNAL, "what was decided")
    method = classified(
        models.CharField(max_length=10, choices=DecisionMethod.choices),
        INTERNAL,
        "how it was reached",
    )
    adopted = classified(models.BooleanField(), INTERNAL, "outcome")

    class Meta:
        ordering = ["meeting_id", "pk"]

    def __str__(self) -> str:
        return str(self.text)[:60]


class VoteChoice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class Vote(models.Model):
    decision = classified(
        models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes"),
        INTERNAL,
        "which decision",
    )
    member = classified(
        models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+"),
        INTERNAL,
        "who voted",
    )
    choice = classified(
        models.CharField(max_length=8, choices=VoteChoice.choices), INTERNAL, "recorded vote"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "member"], name="one_vote_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.choice}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ActionItem(models.Model):
    meeting = classified(
        models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions"),
        INTERNAL,
        "meeting that set the action",
    )
    decision = classified(
        models.ForeignKey(
            Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
        ),
        INTERNAL,
        "decision the action carries out",
    )
    title = classified(models.CharField(max_length=300), INTERNAL, "what to do")
    owner = classified(
        models.ForeignKey(Member, on_delete=models.PROTECT, related_name="actions"),
        INTERNAL,
        "the member responsible (required)",
    )
    due_on = classified(models.DateField(), INTERNAL, "deadline")
    status = classified(
        models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN),
        INTERNAL,
        "progress",
    )
    last_reminded_on = classified(
        models.DateField(null=True, blank=True), INTERNAL, "one reminder a day at most"
    )

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return str(self.title)


class Access(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members")
    GROUP = "group", _("Working group")


class Bulletin(models.Model):
    """News the secretariat shares: public, members only, or one working group only."""

    id = classified(
        models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False),
        PUBLIC,
        "bulletin id, also the Atom entry id",
    )
    title = classified(models.CharField(max_length=200), INTERNAL, "headline")
    body = classified(models.TextField(), INTERNAL, "the bulletin")
    language = classified(models.CharField(max_length=10, default="en"), INTERNAL, "text language")
    access = classified(
        models.CharField(max_length=8, choices=Access.choices), INTERNAL, "who may read it"
    )
    group = classified(
        models.ForeignKey(
            MeetingSeries, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
        ),
        INTERNAL,
        "the working group a group-only bulletin is for",
    )
    author = classified(
        models.ForeignKey(
            settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
        ),
        PERSONAL,
        "who wrote it",
    )
    published_at = classified(models.DateTimeField(), INTERNAL, "when it was published")
    translated_from = classified(
        models.ForeignKey(
            "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="translations"
        ),
        INTERNAL,
        "the bulletin this one translates",
    )
    machine_translated = classified(
        models.BooleanField(default=False),
        INTERNAL,
        "drafted by machine translation and reviewed by the secretariat before publishing",
    )

    class Meta:
        ordering = ["-published_at"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(access="group") & models.Q(group__isnull=False))
                | (~models.Q(access="group") & models.Q(group__isnull=True)),
                name="bulletin_group_iff_group_access",
            )
        ]

    def __str__(self) -> str:
        return str(self.title)


class BulletinDraft(models.Model):
    """A machine-translated draft of a bulletin, waiting for the secretariat's review.

    Nothing is published until a person has read and (if needed) corrected it."""

    id = classified(
        models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False),
        INTERNAL,
        "draft id",
    )
    source = classified(
        models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="drafts"),
        INTERNAL,
        "the bulletin translated",
    )
    language = classified(models.CharField(max_length=10), INTERNAL, "target language")
    title = classified(models.CharField(max_length=200), INTERNAL, "translated headline")
    body = classified(models.TextField(), INTERNAL, "translated text")
    provider = classified(
        models.CharField(max_length=200),
        INTERNAL,
        "which translation provider and model drafted it",
    )
    created_by = classified(
        models.ForeignKey(
            settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
        ),
        PERSONAL,
        "who asked for the translation",
    )
    created_at = classified(models.DateTimeField(auto_now_add=True), INTERNAL, "record keeping")
    published = classified(
        models.OneToOneField(
            Bulletin, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
        ),
        INTERNAL,
        "the bulletin published from this draft after review",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.title)


class TicketStatus(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    WAITING = "waiting", _("Waiting for the partner")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class TicketPriority(models.TextChoices):
    URGENT = "urgent", _("Urgent (4 hours)")
    NORMAL = "normal", _("Normal (2 days)")
    LOW = "low", _("Low (5 days)")


class Ticket(models.Model):
    """A support request from a partner about a shared resource or a deployment."""

    title = classified(models.CharField(max_length=200), INTERNAL, "what the problem is")
    description = classified(models.TextField(), INTERNAL, "details of the problem")
    topic = classified(
        models.CharField(max_length=100, blank=True), INTERNAL, "resource or deployment concerned"
    )
    opened_by = classified(
        models.ForeignKey(
            settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
        ),
        PERSONAL,
        "who asked for help",
    )
    organization = classified(
        models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+"),
        INTERNAL,
        "partner organization asking",
    )
    assignee = classified(
        models.ForeignKey(
            settings.AUTH_USER_MODEL,
            on_delete=models.SET_NULL,
            null=True,
            blank=True,
            related_name="+",
        ),
        PERSONAL,
        "who handles it",
    )
    priority = classified(
        models.CharField(
            max_length=8, choices=TicketPriority.choices, default=TicketPriority.NORMAL
        ),
        INTERNAL,
        "sets the response-time target",
    )
    status = classified(
        models.CharField(max_length=10, choices=TicketStatus.choices, default=TicketStatus.NEW),
        INTERNAL,
        "workflow state",
    )
    opened_at = classified(models.DateTimeField(), INTERNAL, "response-time clock start")
    respond_by = classified(models.DateTimeField(), INTERNAL, "response-time target")
    first_response_at = classified(
        models.DateTimeField(null=True, blank=True), INTERNAL, "response-time clock stop"
    )
    resolution = classified(models.TextField(blank=True), INTERNAL, "the answer given")

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return str(self.title)


class EventKind(models.TextChoices):
    FORUM = "forum", _("Flagship forum at a conference")
    YOUTH = "youth", _("Bilateral youth activity")
    WORKSHOP = "workshop", _("Workshop")


class Event(models.Model):
    id = classified(
        models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False),
        PUBLIC,
        "event id",
    )
    title = classified(models.CharField(max_length=200), PUBLIC, "event title")
    kind = classified(models.CharField(max_length=10, choices=EventKind.choices), PUBLIC, "kind")
    venue = classified(models.CharField(max_length=200, blank=True), PUBLIC, "where")
    starts_at = classified(models.DateTimeField(), PUBLIC, "start (UTC)")
    ends_at = classified(models.DateTimeField(), PUBLIC, "end (UTC)")
    time_zone = classified(models.CharField(max_length=64, default="UTC"), PUBLIC, "local zone")
    capacity = classified(models.PositiveIntegerField(), PUBLIC, "seats")
    waiting_list = classified(
        models.BooleanField(default=True), PUBLIC, "whether people beyond capacity may wait"
    )

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return str(self.title)


class EventSession(models.Model):
    event = classified(
        models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions"),
        PUBLIC,
        "which event",
    )
    title = classified(models.CharField(max_length=200), PUBLIC, "session title")
    speakers = classified(models.CharField(max_length=300, blank=True), PUBLIC, "named speakers")
    room = classified(models.CharField(max_length=120, blank=True), PUBLIC, "room")
    starts_at = classified(models.DateTimeField(), PUBLIC, "start (UTC)")
    ends_at = classified(models.DateTimeField(), PUBLIC, "end (UTC)")

    class Meta:
        ordering = ["event_id", "starts_at"]

    def __str__(self) -> str:
        return str(self.title)


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(models.Model):
    event = classified(
        models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations"),
        INTERNAL,
        "which event",
    )
    person = classified(
        models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"),
        PERSONAL,
        "who registered",
    )
    status = classified(
        models.CharField(max_length=10, choices=RegistrationStatus.choices),
        PERSONAL,
        "seat, waiting list or cancelled",
    )
    registered_at = classified(models.DateTimeField(), PERSONAL, "waiting-list order")
    checked_in_at = classified(
        models.DateTimeField(null=True, blank=True), PERSONAL, "attendance at the event"
    )
    credential_id = classified(
        models.UUIDField(null=True, blank=True),
        PERSONAL,
        "the certificate of attendance issued for it (a training credential id)",
    )

    class Meta:
        ordering = ["event_id", "registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="one_registration_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.status}"


class PolicyTopic(models.Model):
    """A policy-dialogue topic (data privacy, algorithmic bias, AI in assessment, …)."""

    name = classified(models.CharField(max_length=120, unique=True), PUBLIC, "topic")
    description = classified(models.TextField(blank=True), PUBLIC, "what the topic covers")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return str(self.name)


class PolicyPosition(models.Model):
    """One member's current rules and position on a topic, compared side by side."""

    topic = classified(
        models.ForeignKey(PolicyTopic, on_delete=models.CASCADE, related_name="positions"),
        PUBLIC,
        "which topic",
    )
    member = classified(
        models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+"),
        PUBLIC,
        "whose position",
    )
    rules = classified(models.TextField(), PUBLIC, "the rules in force in the member's country")
    position = classified(models.TextField(blank=True), PUBLIC, "the member's stated position")
    source_url = classified(models.URLField(blank=True), PUBLIC, "where the rules are published")
    updated_on = classified(models.DateField(), PUBLIC, "how current the entry is")

    class Meta:
        ordering = ["topic_id", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "member"], name="one_position_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.topic_id}/{self.member_id}"


class Standard(models.Model):
    name = classified(models.CharField(max_length=120, unique=True), PUBLIC, "standard name")
    kind = classified(
        models.CharField(max_length=20, default="standard"), PUBLIC, "standard or framework"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return str(self.name)


class AdoptionStatus(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    PILOTING = "piloting", _("Piloting")
    PLANNED = "planned", _("Planned")
    NOT_USED = "not_used", _("Not used")


class StandardAdoption(models.Model):
    member = classified(
        models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+"),
        PUBLIC,
        "which member",
    )
    standard = classified(
        models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="adoptions"),
        PUBLIC,
        "which standard",
    )
    status = classified(
        models.CharField(max_length=10, choices=AdoptionStatus.choices), PUBLIC, "adoption state"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "standard"], name="one_adoption_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.member_id}/{self.standard_id}: {self.status}"


class AgreementKind(models.TextChoices):
    MOU = "mou", _("Memorandum of understanding")
    RECOGNITION = "recognition", _("Mutual-recognition agreement")


class Agreement(models.Model):
    """An MoU between institutions or a mutual-recognition agreement between members."""

    kind = classified(
        models.CharField(max_length=12, choices=AgreementKind.choices), PUBLIC, "kind"
    )
    title = classified(models.CharField(max_length=200), PUBLIC, "agreement title")
    subject = classified(
        models.CharField(max_length=200, blank=True),
        PUBLIC,
        "what is recognised or cooperated on (e.g. teacher credentials)",
    )
    terms = classified(models.TextField(blank=True), INTERNAL, "main terms")
    parties = classified(
        models.ManyToManyField(Organization, related_name="+"), PUBLIC, "the institutions bound"
    )
    starts_on = classified(models.DateField(), PUBLIC, "start")
    renews_on = classified(models.DateField(null=True, blank=True), PUBLIC, "renewal date")

    class Meta:
        ordering = ["renews_on", "title"]

    def __str__(self) -> str:
        return str(self.title)


class KnowledgeArticle(models.Model):
    """An answer kept from a resolved support ticket, readable by every partner."""

    question = classified(models.CharField(max_length=200), INTERNAL, "the problem asked about")
    answer = classified(models.TextField(), INTERNAL, "the answer")
    topic = classified(models.CharField(max_length=100, blank=True), INTERNAL, "for search")
    ticket = classified(
        models.OneToOneField(
            Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="article"
        ),
        INTERNAL,
        "the ticket it came from",
    )
    created_at = classified(models.DateTimeField(), INTERNAL, "history")

    class Meta:
        ordering = ["question"]

    def __str__(self) -> str:
        return str(self.question)


class JointProject(models.Model):
    """Joint research or development by several institutions, with milestones and outputs."""

    title = classified(models.CharField(max_length=200), PUBLIC, "project title")
    description = classified(models.TextField(blank=True), PUBLIC, "aims")
    agreement = classified(
        models.ForeignKey(
            Agreement, on_delete=models.SET_NULL, null=True, blank=True, related_name="projects"
        ),
        PUBLIC,
        "the MoU the project runs under",
    )
    institutions = classified(
        models.ManyToManyField(Organization, related_name="+"), PUBLIC, "participating institutions"
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return str(self.title)


class Milestone(models.Model):
    project = classified(
        models.ForeignKey(JointProject, on_delete=models.CASCADE, related_name="milestones"),
        PUBLIC,
        "which project",
    )
    title = classified(models.CharField(max_length=200), PUBLIC, "milestone")
    due_on = classified(models.DateField(), PUBLIC, "planned date")
    done_on = classified(models.DateField(null=True, blank=True), PUBLIC, "when reached")
    output_url = classified(
        models.URLField(blank=True), PUBLIC, "the output (report, dataset, code)"
    )

    class Meta:
        ordering = ["project_id", "due_on"]

    def __str__(self) -> str:
        return str(self.title)


def _document_path(instance: Document, filename: str) -> str:
    return f"secretariat/documents/{instance.id}/{filename}"


class Document(models.Model):
    """A file in the document library, readable by the public, members, or one working group."""

    id = classified(
        models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False),
        PUBLIC,
        "document id",
    )
    title = classified(models.CharField(max_length=200), INTERNAL, "document title")
    file = classified(
        models.FileField(upload_to=_document_path, max_length=300), INTERNAL, "the stored file"
    )
    sha256 = classified(models.CharField(max_length=64), INTERNAL, "integrity of the file")
    size = classified(models.PositiveIntegerField(), INTERNAL, "bytes")
    access = classified(
        models.CharField(max_length=8, choices=Access.choices), INTERNAL, "who may read it"
    )
    group = classified(
        models.ForeignKey(
            MeetingSeries, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
        ),
        INTERNAL,
        "the working group a group-only document is for",
    )
    meeting = classified(
        models.ForeignKey(
            Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
        ),
        INTERNAL,
        "the meeting the document belongs to",
    )
    uploaded_by = classified(
        models.ForeignKey(
            settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
        ),
        PERSONAL,
        "who uploaded it",
    )
    uploaded_at = classified(models.DateTimeField(), INTERNAL, "when")

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return str(self.title)
