"""Exchange programmes, their places, applications with ranked choices, matches and progress."""

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
SENSITIVE = DataClass.SENSITIVE


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for applications")
    CLOSED = "closed", _("Applications closed")
    MATCHED = "matched", _("Matched")


class Programme(models.Model):
    """An exchange programme between partner countries, with targets per year and in total."""

    id = classified(
        models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False),
        PUBLIC,
        "stable identifier of the programme",
    )
    name = classified(models.CharField(_("name"), max_length=200), PUBLIC, "shown to applicants")
    description = classified(
        models.TextField(_("description"), blank=True), PUBLIC, "shown to applicants"
    )
    coordinator = classified(
        models.ForeignKey(
            Organization, on_delete=models.PROTECT, related_name="exchange_programmes"
        ),
        PUBLIC,
        "organization running the programme",
    )
    partner_countries = classified(
        models.JSONField(_("partner countries"), default=list),
        PUBLIC,
        "ISO codes of countries that may send and host",
    )
    start_year = classified(
        models.PositiveIntegerField(_("first year")), PUBLIC, "programme period"
    )
    end_year = classified(models.PositiveIntegerField(_("last year")), PUBLIC, "programme period")
    target_total = classified(
        models.PositiveIntegerField(_("target participants in total")),
        PUBLIC,
        "progress toward targets",
    )
    max_choices = classified(
        models.PositiveSmallIntegerField(
            _("ranked choices per applicant"),
            default=5,
            validators=[MinValueValidator(1), MaxValueValidator(20)],
        ),
        PUBLIC,
        "how many places an applicant may rank",
    )
    lottery_seed = classified(
        models.BigIntegerField(_("published lottery seed"), null=True, blank=True),
        PUBLIC,
        "breaks ties between equally scored applicants; published",
    )
    status = classified(
        models.CharField(
            max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
        ),
        PUBLIC,
        "where the programme is in its cycle",
    )
    created_at = classified(models.DateTimeField(auto_now_add=True), INTERNAL, "record keeping")

    class Meta:
        ordering = ["-start_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="programme_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammeTarget(models.Model):
    """The number of participants a programme aims to send in one year."""

    programme = classified(
        models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets"),
        PUBLIC,
        "which programme",
    )
    year = classified(models.PositiveIntegerField(), PUBLIC, "target year")
    participants = classified(
        models.PositiveIntegerField(), PUBLIC, "target participants that year"
    )

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="one_target_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.year}: {self.participants}"


class Place(models.Model):
    """Seats a host institution offers in a programme, with requirements and optional soft quotas."""

    programme = classified(
        models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="places"),
        PUBLIC,
        "which programme",
    )
    code = classified(
        models.CharField(_("code"), max_length=40), PUBLIC, "place id used in files and matches"
    )
    host = classified(
        models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="exchange_places"),
        PUBLIC,
        "host institution",
    )
    title = classified(models.CharField(_("title"), max_length=200), PUBLIC, "shown to applicants")
    field = classified(
        models.CharField(_("field"), max_length=80), PUBLIC, "subject area; progress by field"
    )
    level = classified(
        models.CharField(_("level"), max_length=40), PUBLIC, "e.g. secondary, bachelor, teacher"
    )
    year = classified(
        models.PositiveIntegerField(_("year")), PUBLIC, "the year the exchange takes place"
    )
    capacity = classified(models.PositiveIntegerField(_("capacity")), PUBLIC, "seats offered")
    language_requirements = classified(
        models.JSONField(default=dict, blank=True),
        PUBLIC,
        'minimum CEFR level per language, e.g. {"en": "B2"}',
    )
    reserves = classified(
        models.JSONField(default=list, blank=True),
        PUBLIC,
        "soft quotas: [{attribute, value, seats}] filled first when applicants exist",
    )
    criteria = classified(
        models.JSONField(default=dict, blank=True),
        PUBLIC,
        'host scoring criteria and weights, e.g. {"grades": 0.6}',
    )

    class Meta:
        ordering = ["programme_id", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"], name="place_code_unique_in_programme"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"


class Application(models.Model):
    """One person's application to a programme: who they are as far as matching needs, and their levels."""

    programme = classified(
        models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="applications"),
        PERSONAL,
        "which programme the person applied to",
    )
    applicant = classified(
        models.ForeignKey(
            settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exchange_applications"
        ),
        PERSONAL,
        "the applicant",
    )
    sending_country = classified(
        models.CharField(max_length=2), PERSONAL, "eligibility; progress by country"
    )
    gender = classified(
        models.CharField(max_length=20, blank=True),
        SENSITIVE,
        "optional; only for soft quotas a programme declares",
    )
    first_generation = classified(
        models.BooleanField(null=True, blank=True),
        SENSITIVE,
        "optional; only for soft quotas a programme declares",
    )
    language_levels = classified(
        models.JSONField(default=dict, blank=True),
        PERSONAL,
        "CEFR level per language, checked against places",
    )
    statement = classified(models.TextField(blank=True), PERSONAL, "motivation read by hosts")
    submitted_at = classified(
        models.DateTimeField(auto_now_add=True), PERSONAL, "application history"
    )

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "applicant"], name="one_application_per_programme"
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """The id used in match files: stable, and not the person's name or email."""
        return f"A{self.pk:07d}"


def _document_path(instance: ApplicationDocument, filename: str) -> str:
    return f"exchange/applications/{instance.application_id}/{uuid.uuid4().hex}-{filename[-80:]}"


class ApplicationDocument(models.Model):
    """A document an applicant attaches (transcript, language certificate, letter)."""

    application = classified(
        models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents"),
        PERSONAL,
        "whose document",
    )
    kind = classified(models.CharField(max_length=40), PERSONAL, "what the document is")
    file = classified(
        models.FileField(upload_to=_document_path, max_length=300),
        PERSONAL,
        "the document itself, read by hosts and coordinators",
    )
    uploaded_at = classified(models.DateTimeField(auto_now_add=True), PERSONAL, "history")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.kind}"


class Choice(models.Model):
    """One ranked choice of an application, with the host's score and the eligibility verdict."""

    application = classified(
        models.ForeignKey(Application, on_delete=models.CASCADE, related_name="choices"),
        PERSONAL,
        "whose choice",
    )
    place = classified(
        models.ForeignKey(Place, on_delete=models.CASCADE, related_name="choices"),
        PERSONAL,
        "the place chosen",
    )
    preference = classified(models.PositiveSmallIntegerField(), PERSONAL, "1 = first choice")
    criteria_scores = classified(
        models.JSONField(default=dict, blank=True), PERSONAL, "host's score per criterion"
    )
    host_score = classified(
        models.FloatField(null=True, blank=True),
        PERSONAL,
        "host's overall score (weighted criteria or set by hand); higher is better",
    )
    ineligible_reason = classified(
        models.CharField(max_length=300, blank=True),
        PERSONAL,
        "why the applicant cannot take this place, if not eligible",
    )

    class Meta:
        ordering = ["application_id", "preference"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "preference"], name="one_choice_per_rank"
            ),
            models.UniqueConstraint(fields=["application", "place"], name="one_rank_per_place"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} #{self.preference}: {self.place_id}"


class MatchRun(models.Model):
    """One run of the match for a programme: its seed, figures and the published lottery."""

    programme = classified(
        models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="match_runs"),
        PUBLIC,
        "which programme",
    )
    round = classified(models.PositiveSmallIntegerField(), PUBLIC, "1, or 2 for unfilled places")
    seed = classified(models.BigIntegerField(), PUBLIC, "lottery seed, published")
    lottery = classified(
        models.JSONField(default=list),
        PERSONAL,
        "application references in lottery order (pseudonymous, re-checkable)",
    )
    matched = classified(models.PositiveIntegerField(), PUBLIC, "figures")
    unmatched = classified(models.PositiveIntegerField(), PUBLIC, "figures")
    places_filled = classified(models.PositiveIntegerField(), PUBLIC, "figures")
    seconds = classified(models.FloatField(), INTERNAL, "how long the engine took")
    run_by = classified(
        models.ForeignKey(
            settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
        ),
        PERSONAL,
        "accountability",
    )
    run_at = classified(models.DateTimeField(auto_now_add=True), INTERNAL, "when")

    class Meta:
        ordering = ["programme_id", "round"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "round"], name="one_run_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} round {self.round}"


class ParticipationStatus(models.TextChoices):
    ADMITTED = "admitted", _("Admitted")
    ACCEPTED = "accepted", _("Accepted the offer")
    VISA = "visa", _("Visa granted")
    ARRIVED = "arrived", _("Arrived")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined or withdrew")


PROGRESS_STAGES = [
    ParticipationStatus.ADMITTED,
    ParticipationStatus.ACCEPTED,
    ParticipationStatus.VISA,
    ParticipationStatus.ARRIVED,
    ParticipationStatus.COMPLETED,
]


class Participation(models.Model):
    """An applicant matched to a place, followed from admission to completion."""

    application = classified(
        models.OneToOneField(Application, on_delete=models.CASCADE, related_name="participation"),
        PERSONAL,
        "who",
    )
    place = classified(
        models.ForeignKey(Place, on_delete=models.PROTECT, related_name="participations"),
        PERSONAL,
        "where",
    )
    choice = classified(models.PositiveSmallIntegerField(), PERSONAL, "which ranked choice it was")
    round = classified(models.PositiveSmallIntegerField(), PERSONAL, "match round")
    explanation = classified(models.TextField(), PERSONAL, "why this place and not a higher choice")
    status = classified(
        models.CharField(
            max_length=10, choices=ParticipationStatus.choices, default=ParticipationStatus.ADMITTED
        ),
        PERSONAL,
        "progress toward arrival and completion",
    )
    updated_at = classified(models.DateTimeField(auto_now=True), INTERNAL, "last change")

    def __str__(self) -> str:
        return f"{self.application_id} at {self.place_id}: {self.status}"


class MatchOutcome(models.Model):
    """What the match said to one applicant in one round, including why not each higher choice."""

    run = classified(
        models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="outcomes"),
        PERSONAL,
        "which run",
    )
    application = classified(
        models.ForeignKey(Application, on_delete=models.CASCADE, related_name="outcomes"),
        PERSONAL,
        "whose outcome",
    )
    place = classified(
        models.ForeignKey(Place, on_delete=models.PROTECT, null=True, blank=True, related_name="+"),
        PERSONAL,
        "matched place, if any",
    )
    choice = classified(
        models.PositiveSmallIntegerField(null=True, blank=True),
        PERSONAL,
        "rank of the matched choice",
    )
    explanation = classified(models.TextField(), PERSONAL, "the engine's reasons in words")
    reasons = classified(models.JSONField(default=list), PERSONAL, "the reasons per choice as data")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "application"], name="one_outcome_per_run")
        ]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.application_id}"
