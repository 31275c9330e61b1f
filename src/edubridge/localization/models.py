"""Localization jobs: a resource drafted for a target locale and grade, reviewed change by change."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from edubridge.catalogue.models import Bank
from edubridge.core.data_classes import DataClass, classified

PUBLIC, INTERNAL, PERSONAL = DataClass.PUBLIC, DataClass.INTERNAL, DataClass.PERSONAL


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Drafting")
    DONE = "done", _("Drafted, in review")
    FAILED = "failed", _("Failed")
    PUBLISHED = "published", _("Published")


class Decision(models.TextChoices):
    PENDING = "pending", _("Not reviewed yet")
    ACCEPTED = "accepted", _("Accepted")
    EDITED = "edited", _("Edited")
    REJECTED = "rejected", _("Rejected")


class LocalizationJob(models.Model):
    """One resource drafted for one target locale and grade, then reviewed and published."""

    bank = classified(
        models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="localization_jobs"),
        PUBLIC,
        "provenance: the source resource",
    )
    bank_version = classified(
        models.PositiveIntegerField(), PUBLIC, "provenance: version of the source resource"
    )
    target_locale = classified(models.CharField(max_length=35), PUBLIC, "locale pack to apply")
    grade = classified(
        models.PositiveSmallIntegerField(null=True, blank=True), PUBLIC, "target grade"
    )
    pack_version = classified(
        models.CharField(max_length=50), PUBLIC, "provenance: locale pack reference (id-ID@1)"
    )
    status = classified(
        models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED),
        INTERNAL,
        "progress shown on the job page",
    )
    done = classified(models.PositiveIntegerField(default=0), INTERNAL, "items drafted so far")
    total = classified(models.PositiveIntegerField(default=0), INTERNAL, "items to draft")
    error = classified(models.TextField(blank=True), INTERNAL, "why drafting failed")
    warnings = classified(
        models.JSONField(default=list, blank=True), INTERNAL, "engine warnings for the reviewer"
    )
    created_by = classified(
        models.ForeignKey(
            settings.AUTH_USER_MODEL,
            on_delete=models.SET_NULL,
            null=True,
            blank=True,
            related_name="+",
        ),
        PERSONAL,
        "who started the job (accountability)",
    )
    created_at = classified(models.DateTimeField(auto_now_add=True), INTERNAL, "job start")
    derivative = classified(
        models.ForeignKey(Bank, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"),
        PUBLIC,
        "the published derivative resource",
    )
    published_by = classified(
        models.ForeignKey(
            settings.AUTH_USER_MODEL,
            on_delete=models.SET_NULL,
            null=True,
            blank=True,
            related_name="+",
        ),
        PERSONAL,
        "who published the derivative (accountability)",
    )
    published_at = classified(
        models.DateTimeField(null=True, blank=True), PUBLIC, "when the derivative was published"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.bank.slug} → {self.target_locale}"


class DraftItem(models.Model):
    """One item of the resource: its source, the engine's draft and the reviewed result."""

    job = classified(
        models.ForeignKey(LocalizationJob, on_delete=models.CASCADE, related_name="items"),
        INTERNAL,
        "the job this draft belongs to",
    )
    position = classified(models.PositiveIntegerField(), PUBLIC, "order in the resource")
    identifier = classified(models.CharField(max_length=64), PUBLIC, "source item identifier")
    source = classified(models.JSONField(), PUBLIC, "the source item JSON")
    draft = classified(models.JSONField(), PUBLIC, "the engine's draft item JSON")
    reviewed = classified(
        models.JSONField(), PUBLIC, "the draft with the reviewer's decisions applied"
    )
    status = classified(
        models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING),
        INTERNAL,
        "review state of the whole item",
    )
    problems = classified(
        models.JSONField(default=list, blank=True),
        INTERNAL,
        "what the engine's re-check found in the reviewed item",
    )
    warnings = classified(
        models.JSONField(default=list, blank=True), INTERNAL, "engine warnings for this item"
    )

    class Meta:
        ordering = ["job", "position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "position"], name="localization_item_position")
        ]

    def __str__(self) -> str:
        return self.identifier


class Change(models.Model):
    """One proposed change with its reason and alternatives, and the reviewer's decision."""

    item = classified(
        models.ForeignKey(DraftItem, on_delete=models.CASCADE, related_name="changes"),
        INTERNAL,
        "the draft item changed",
    )
    position = classified(models.PositiveIntegerField(), INTERNAL, "order of the change")
    kind = classified(models.CharField(max_length=20), PUBLIC, "change kind (name, food, ...)")
    location = classified(models.CharField(max_length=200), PUBLIC, "where in the item")
    from_value = classified(models.TextField(blank=True), PUBLIC, "the source text")
    to_value = classified(models.TextField(blank=True), PUBLIC, "the proposed text")
    reason = classified(models.TextField(), PUBLIC, "why the engine proposes it")
    confidence = classified(models.FloatField(), PUBLIC, "engine confidence 0..1")
    alternatives = classified(
        models.JSONField(default=list, blank=True), PUBLIC, "other values a reviewer may choose"
    )
    needs_review = classified(models.BooleanField(default=False), PUBLIC, "a person must look")
    its_type = classified(
        models.CharField(max_length=60, blank=True), PUBLIC, "W3C ITS 2.0 issue type"
    )
    difficulty = classified(
        models.CharField(max_length=10, blank=True), PUBLIC, "easier/harder when flagged"
    )
    decision = classified(
        models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING),
        PUBLIC,
        "the reviewer's decision",
    )
    edited_value = classified(
        models.TextField(blank=True), PUBLIC, "the reviewer's own value when edited"
    )
    reviewer = classified(
        models.ForeignKey(
            settings.AUTH_USER_MODEL,
            on_delete=models.SET_NULL,
            null=True,
            blank=True,
            related_name="+",
        ),
        PERSONAL,
        "who decided (provenance)",
    )
    decided_at = classified(
        models.DateTimeField(null=True, blank=True), PUBLIC, "when it was decided"
    )

    class Meta:
        ordering = ["item", "position"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.from_value} → {self.to_value}"
