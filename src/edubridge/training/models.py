"""Competency frameworks (CASE-shaped), programmes, cohorts, sessions, evidence and credentials."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from edubridge.accounts.models import Organization
from edubridge.core.data_classes import DataClass, classified

PUBLIC = DataClass.PUBLIC
INTERNAL = DataClass.INTERNAL
PERSONAL = DataClass.PERSONAL

USER = settings.AUTH_USER_MODEL


class Framework(models.Model):
    """A competency framework (CASE CFDocument)."""

    id = classified(
        models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False),
        PUBLIC,
        "CASE identifier of the framework",
    )
    code = classified(models.SlugField(unique=True), PUBLIC, "stable short name")
    title = classified(models.CharField(max_length=200), PUBLIC, "shown to people")
    publisher = classified(models.CharField(max_length=200), PUBLIC, "CASE creator")
    version = classified(models.CharField(max_length=40), PUBLIC, "CASE version")
    description = classified(models.TextField(blank=True), PUBLIC, "shown to people")
    levels = classified(
        models.JSONField(default=list), PUBLIC, "progression levels as [number, name] pairs"
    )

    def __str__(self) -> str:
        return self.title


class Competency(models.Model):
    """One competency (CASE CFItem) at one level of one dimension."""

    id = classified(
        models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False),
        PUBLIC,
        "CASE identifier of the item",
    )
    framework = classified(
        models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="competencies"),
        PUBLIC,
        "CASE isChildOf the document",
    )
    code = classified(models.CharField(max_length=40), PUBLIC, "CASE humanCodingScheme")
    dimension = classified(models.CharField(max_length=120), PUBLIC, "grouping of competencies")
    dimension_number = classified(models.PositiveSmallIntegerField(), PUBLIC, "ordering")
    level = classified(
        models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(9)]),
        PUBLIC,
        "progression level",
    )
    title = classified(models.CharField(max_length=200), PUBLIC, "CASE abbreviatedStatement")
    description = classified(models.TextField(), PUBLIC, "CASE fullStatement")

    class Meta:
        ordering = ["framework", "dimension_number", "level"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="competency_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class SessionMode(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")


class Programme(models.Model):
    """A training programme built on a framework, with the rules for completing it."""

    id = classified(
        models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False),
        PUBLIC,
        "stable identifier; part of the credential's achievement id",
    )
    name = classified(models.CharField(_("name"), max_length=200), PUBLIC, "shown to people")
    description = classified(models.TextField(_("description"), blank=True), PUBLIC, "shown")
    framework = classified(
        models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="programmes"),
        PUBLIC,
        "framework the targets come from",
    )
    target_competencies = classified(
        models.ManyToManyField(Competency, related_name="programmes"),
        PUBLIC,
        "competencies the programme develops and assesses",
    )
    target_level = classified(
        models.PositiveSmallIntegerField(_("target level"), default=1),
        PUBLIC,
        "progression level the programme aims at",
    )
    language = classified(
        models.CharField(_("language"), max_length=12), PUBLIC, "teaching language"
    )
    hours = classified(models.PositiveIntegerField(_("hours")), PUBLIC, "total contact hours")
    prerequisites = classified(models.TextField(_("prerequisites"), blank=True), PUBLIC, "shown")
    attendance_share = classified(
        models.PositiveSmallIntegerField(
            _("attendance needed (%)"), default=80, validators=[MaxValueValidator(100)]
        ),
        PUBLIC,
        "completion rule: share of sessions attended",
    )
    pass_score = classified(
        models.PositiveSmallIntegerField(_("rubric points needed per competency"), default=6),
        PUBLIC,
        "completion rule: assessed evidence per competency",
    )
    rubric = classified(
        models.JSONField(default=list),
        PUBLIC,
        "rubric criteria shown to assessors: [{name, levels: [text per point 0..3]}]",
    )
    trains_trainers = classified(
        models.BooleanField(_("trainer level"), default=False),
        PUBLIC,
        "completing it makes a teacher a seed teacher who may run cohorts",
    )
    created_at = classified(models.DateTimeField(auto_now_add=True), INTERNAL, "record keeping")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Module(models.Model):
    programme = classified(
        models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="modules"),
        PUBLIC,
        "which programme",
    )
    position = classified(models.PositiveSmallIntegerField(), PUBLIC, "order")
    title = classified(models.CharField(max_length=200), PUBLIC, "shown")
    hours = classified(models.PositiveSmallIntegerField(default=0), PUBLIC, "contact hours")

    class Meta:
        ordering = ["programme", "position"]

    def __str__(self) -> str:
        return self.title


class Cohort(models.Model):
    """A group of teachers taking a programme at a training centre, led by a trainer."""

    id = classified(
        models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False),
        PUBLIC,
        "stable identifier",
    )
    programme = classified(
        models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cohorts"),
        PUBLIC,
        "which programme",
    )
    centre = classified(
        models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="training_cohorts"),
        PUBLIC,
        "training centre that hosts it",
    )
    name = classified(models.CharField(_("name"), max_length=200), PUBLIC, "shown")
    lead = classified(
        models.ForeignKey(USER, on_delete=models.PROTECT, related_name="led_cohorts"),
        PERSONAL,
        "trainer who runs it: the 'who trained whom' of the cascade",
    )
    generation = classified(
        models.PositiveSmallIntegerField(default=1),
        INTERNAL,
        "cascade generation: 1 when led by the centre, n+1 when led by a generation-n seed teacher",
    )
    starts_on = classified(models.DateField(_("starts on")), PUBLIC, "shown")
    created_at = classified(models.DateTimeField(auto_now_add=True), INTERNAL, "record keeping")

    class Meta:
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")


class Enrolment(models.Model):
    cohort = classified(
        models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrolments"),
        PUBLIC,
        "which cohort",
    )
    teacher = classified(
        models.ForeignKey(USER, on_delete=models.PROTECT, related_name="training_enrolments"),
        PERSONAL,
        "who is trained",
    )
    status = classified(
        models.CharField(
            max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED
        ),
        PERSONAL,
        "progress",
    )
    enrolled_at = classified(models.DateTimeField(auto_now_add=True), PERSONAL, "record keeping")
    completed_at = classified(models.DateTimeField(null=True, blank=True), PERSONAL, "completion")

    class Meta:
        ordering = ["cohort", "teacher__last_name", "teacher__username"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "teacher"], name="one_enrolment_per_cohort")
        ]

    def __str__(self) -> str:
        return f"{self.teacher_id} in {self.cohort_id}"


class TrainingSession(models.Model):
    cohort = classified(
        models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions"),
        PUBLIC,
        "which cohort",
    )
    title = classified(models.CharField(_("title"), max_length=200), PUBLIC, "shown")
    starts_at = classified(models.DateTimeField(_("starts at")), PUBLIC, "aware, stored in UTC")
    minutes = classified(
        models.PositiveSmallIntegerField(_("minutes"), default=90), PUBLIC, "length"
    )
    time_zone = classified(
        models.CharField(_("time zone"), max_length=64), PUBLIC, "IANA zone the session is held in"
    )
    mode = classified(
        models.CharField(max_length=10, choices=SessionMode.choices), PUBLIC, "online or in person"
    )
    place = classified(
        models.CharField(_("room or link"), max_length=300, blank=True), PUBLIC, "where to go"
    )

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    session = classified(
        models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendance"),
        PUBLIC,
        "which session",
    )
    enrolment = classified(
        models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance"),
        PERSONAL,
        "who",
    )
    present = classified(models.BooleanField(default=False), PERSONAL, "completion rule")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="one_attendance_mark")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} at {self.session_id}: {self.present}"


class Quiz(models.Model):
    """A set of catalogue items a programme uses as assessed evidence for one competency.

    Items are named by bank slug and item id (the catalogue's stable identifiers); each attempt
    keeps the item documents it was scored against, so later edits of the bank change nothing
    already assessed."""

    id = classified(
        models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False),
        PUBLIC,
        "stable identifier",
    )
    programme = classified(
        models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="quizzes"),
        PUBLIC,
        "which programme uses it",
    )
    competency = classified(
        models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="quizzes"),
        PUBLIC,
        "the competency a passed attempt is evidence for",
    )
    title = classified(models.CharField(_("title"), max_length=200), PUBLIC, "shown to teachers")
    items = classified(
        models.JSONField(default=list),
        PUBLIC,
        "catalogue items in order: [{bank: slug, item: identifier}]",
    )
    pass_percent = classified(
        models.PositiveSmallIntegerField(
            _("score needed (%)"),
            default=80,
            validators=[MinValueValidator(1), MaxValueValidator(100)],
        ),
        PUBLIC,
        "completion rule: share of the quiz's points a passing attempt reaches",
    )
    created_at = classified(models.DateTimeField(auto_now_add=True), INTERNAL, "record keeping")

    class Meta:
        ordering = ["programme", "competency__dimension_number", "competency__level", "title"]

    def __str__(self) -> str:
        return self.title


class EvidenceKind(models.TextChoices):
    RUBRIC = "rubric", _("Rubric-scored task")
    QUIZ = "quiz", _("Catalogue quiz")


class Evidence(models.Model):
    """Assessed evidence for one competency: a rubric-scored task (for example a lesson plan
    using AI responsibly) or a catalogue quiz scored by the node."""

    enrolment = classified(
        models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="evidence"),
        PERSONAL,
        "whose work",
    )
    competency = classified(
        models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="evidence"),
        PUBLIC,
        "what it shows",
    )
    kind = classified(
        models.CharField(max_length=8, choices=EvidenceKind.choices, default=EvidenceKind.RUBRIC),
        INTERNAL,
        "how it was assessed",
    )
    quiz = classified(
        models.ForeignKey(
            Quiz, on_delete=models.PROTECT, null=True, blank=True, related_name="attempts"
        ),
        INTERNAL,
        "the quiz a quiz attempt answered",
    )
    title = classified(models.CharField(_("task"), max_length=200), PERSONAL, "what was submitted")
    scores = classified(
        models.JSONField(default=dict),
        PERSONAL,
        "points per rubric criterion (assessor), or per quiz item (node)",
    )
    total = classified(
        models.PositiveSmallIntegerField(),
        PERSONAL,
        "sum of rubric points, or a quiz's score in per cent",
    )
    responses = classified(
        models.JSONField(default=list, blank=True),
        PERSONAL,
        "quiz only: each item as scored [{bank, item, stem, response, points, max, correct}]",
    )
    passed = classified(
        models.BooleanField(), PERSONAL, "total reached the programme's pass score or quiz's share"
    )
    assessor = classified(
        models.ForeignKey(
            USER,
            on_delete=models.PROTECT,
            null=True,
            blank=True,
            related_name="assessed_evidence",
        ),
        PERSONAL,
        "who scored it (none for a quiz the node scored)",
    )
    assessed_at = classified(models.DateTimeField(auto_now_add=True), PERSONAL, "record keeping")

    class Meta:
        ordering = ["-assessed_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.total})"

    @property
    def shown_score(self) -> str:
        return f"{self.total}%" if self.kind == EvidenceKind.QUIZ else str(self.total)


class EnrolmentImport(models.Model):
    """A CSV of teachers checked and waiting for the coordinator to confirm the good rows."""

    id = classified(
        models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False),
        INTERNAL,
        "identifier",
    )
    cohort = classified(
        models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="imports"),
        INTERNAL,
        "target cohort",
    )
    created_by = classified(
        models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+"),
        INTERNAL,
        "who uploaded",
    )
    accepted = classified(
        models.JSONField(default=list), PERSONAL, "rows that will enrol: [{line, username}]"
    )
    rejected = classified(
        models.JSONField(default=list), PERSONAL, "rows refused: [{line, value, reason}]"
    )
    confirmed_at = classified(models.DateTimeField(null=True, blank=True), INTERNAL, "done")
    created_at = classified(models.DateTimeField(auto_now_add=True), INTERNAL, "record keeping")

    def __str__(self) -> str:
        return f"CSV for {self.cohort_id}"


class CredentialKind(models.TextChoices):
    COMPLETION = "completion", _("Programme completion")
    ATTENDANCE = "attendance", _("Certificate of attendance")


class IssuedCredential(models.Model):
    """A signed Open Badges 3.0 credential the node issued, with its revocation state.

    A programme completion names its enrolment; a certificate of attendance (for an event the
    secretariat runs) names its holder and the event through `reference`."""

    id = classified(
        models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False),
        PUBLIC,
        "urn:uuid of the credential",
    )
    kind = classified(
        models.CharField(
            max_length=10, choices=CredentialKind.choices, default=CredentialKind.COMPLETION
        ),
        PUBLIC,
        "what the credential certifies",
    )
    enrolment = classified(
        models.OneToOneField(
            Enrolment,
            on_delete=models.PROTECT,
            null=True,
            blank=True,
            related_name="credential",
        ),
        PERSONAL,
        "the completed enrolment a completion credential certifies",
    )
    holder = classified(
        models.ForeignKey(
            USER, on_delete=models.PROTECT, null=True, related_name="training_credentials"
        ),
        PERSONAL,
        "whom the credential names",
    )
    reference = classified(
        models.CharField(max_length=120, blank=True),
        INTERNAL,
        "what an attendance certificate is for, e.g. secretariat.registration:<id>",
    )
    title = classified(
        models.CharField(max_length=200, blank=True), PUBLIC, "the achievement's name, for lists"
    )
    document = classified(
        models.JSONField(), PERSONAL, "the signed credential, kept to explain failed verifications"
    )
    status_index = classified(
        models.PositiveIntegerField(unique=True), PUBLIC, "entry in the revocation status list"
    )
    issued_at = classified(models.DateTimeField(), PUBLIC, "issuance time")
    revoked_at = classified(models.DateTimeField(null=True, blank=True), PUBLIC, "revocation time")
    revoked_reason = classified(
        models.CharField(max_length=300, blank=True), INTERNAL, "why it was revoked"
    )

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference"],
                condition=~models.Q(reference=""),
                name="one_credential_per_reference",
            )
        ]

    def __str__(self) -> str:
        return f"urn:uuid:{self.id}"
