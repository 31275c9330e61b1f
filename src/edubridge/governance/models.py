"""Governed exports (with their approval trail), privacy budgets and model cards."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from edubridge.core.data_classes import DataClass, classified

PUBLIC = DataClass.PUBLIC
INTERNAL = DataClass.INTERNAL
PERSONAL = DataClass.PERSONAL


class ExportKind(models.TextChoices):
    RECORDS = "records", _("Records (pseudonymized, k-anonymous)")
    HISTOGRAM = "histogram", _("Counts by group (differentially private)")
    MEAN = "mean", _("Means, overall or by group (differentially private)")


class ExportStatus(models.TextChoices):
    BUILDING = "building", _("Building")
    FAILED = "failed", _("Failed")
    DRAFT = "draft", _("Draft: waiting for approval")
    APPROVED = "approved", _("Approved: waiting for release")
    RELEASED = "released", _("Released")


class Export(models.Model):
    """One policy-checked export of a dataset, from request through build, approval and release."""

    id = classified(
        models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False),
        INTERNAL,
        "stable identifier of the export, named in its manifest and the audit log",
    )
    dataset = classified(models.CharField(max_length=80), INTERNAL, "which registered dataset")
    kind = classified(
        models.CharField(max_length=12, choices=ExportKind.choices),
        INTERNAL,
        "record-level release or differentially private counts",
    )
    jurisdiction = classified(
        models.CharField(max_length=8), INTERNAL, "the policy the data is held under"
    )
    destination = classified(models.CharField(max_length=8), INTERNAL, "where the file goes")
    purpose = classified(models.CharField(max_length=40), INTERNAL, "why it goes there")
    parameters = classified(
        models.JSONField(default=dict),
        INTERNAL,
        "columns and protections requested (k, l, suppression, epsilon, group)",
    )
    decision = classified(
        models.JSONField(default=dict),
        INTERNAL,
        "the policy decision: rule, citation, approval and conditions",
    )
    status = classified(
        models.CharField(
            max_length=10, choices=ExportStatus.choices, default=ExportStatus.BUILDING
        ),
        INTERNAL,
        "where the export is in its workflow",
    )
    task_id = classified(
        models.CharField(max_length=64, blank=True), INTERNAL, "background build task"
    )
    error = classified(models.TextField(blank=True), INTERNAL, "why the build failed")
    report = classified(
        models.JSONField(default=dict),
        INTERNAL,
        "what the protections did: generalization, information loss, row counts",
    )
    manifest = classified(
        models.JSONField(default=dict), INTERNAL, "the signed manifest released with the file"
    )
    file_name = classified(
        models.CharField(max_length=200, blank=True),
        INTERNAL,
        "name of the file in the data folder",
    )
    author = classified(
        models.ForeignKey(
            settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="governance_exports"
        ),
        PERSONAL,
        "accountability: who asked for the export",
    )
    approved_by = classified(
        models.ForeignKey(
            settings.AUTH_USER_MODEL,
            on_delete=models.PROTECT,
            null=True,
            blank=True,
            related_name="+",
        ),
        PERSONAL,
        "accountability: the second data steward who approved it",
    )
    released_by = classified(
        models.ForeignKey(
            settings.AUTH_USER_MODEL,
            on_delete=models.PROTECT,
            null=True,
            blank=True,
            related_name="+",
        ),
        PERSONAL,
        "accountability: who released it",
    )
    created_at = classified(models.DateTimeField(auto_now_add=True), INTERNAL, "workflow history")
    approved_at = classified(
        models.DateTimeField(null=True, blank=True), INTERNAL, "workflow history"
    )
    released_at = classified(
        models.DateTimeField(null=True, blank=True), INTERNAL, "workflow history"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.dataset} to {self.destination} ({self.status})"


class PrivacyBudget(models.Model):
    """The total differential-privacy budget (epsilon) of one dataset."""

    dataset = classified(
        models.CharField(max_length=80, unique=True), INTERNAL, "which registered dataset"
    )
    total_epsilon = classified(
        models.FloatField(), INTERNAL, "epsilon all releases from the dataset may spend together"
    )

    def __str__(self) -> str:
        return f"{self.dataset}: {self.total_epsilon:g}"


class BudgetCharge(models.Model):
    """One differentially private release charged to a dataset's budget (never deleted)."""

    budget = classified(
        models.ForeignKey(PrivacyBudget, on_delete=models.PROTECT, related_name="charges"),
        INTERNAL,
        "which budget",
    )
    export = classified(
        models.ForeignKey(
            Export, on_delete=models.PROTECT, null=True, blank=True, related_name="charges"
        ),
        INTERNAL,
        "the export that spent it",
    )
    label = classified(models.CharField(max_length=200), INTERNAL, "what was released")
    epsilon = classified(models.FloatField(), INTERNAL, "epsilon OpenDP certified for it")
    mechanism = classified(models.CharField(max_length=120), INTERNAL, "how the noise was drawn")
    at = classified(models.DateTimeField(), INTERNAL, "when it was charged")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.label}: {self.epsilon:g}"


class ModelCard(models.Model):
    """What an AI model of the node is for, how it was trained, how well it does and for whom."""

    name = classified(models.CharField(_("model"), max_length=80), PUBLIC, "model name")
    version = classified(models.CharField(_("version"), max_length=40), PUBLIC, "model version")
    intended_use = classified(models.TextField(), PUBLIC, "model card: intended use")
    training_data = classified(models.TextField(), PUBLIC, "model card: training data")
    metrics = classified(models.JSONField(default=dict), PUBLIC, "model card: overall metrics")
    metrics_by_group = classified(
        models.JSONField(default=dict), PUBLIC, "model card: metrics by group"
    )
    limits = classified(models.JSONField(default=list), PUBLIC, "model card: known limits")
    ethical_considerations = classified(
        models.TextField(blank=True), PUBLIC, "model card: ethical considerations"
    )
    bias_audit = classified(
        models.JSONField(default=dict),
        PUBLIC,
        "bias audit: AUC, calibration and error rates by group with intervals, ABROCA",
    )
    used_at = classified(
        models.CharField(max_length=200, blank=True),
        PUBLIC,
        "where in the node the model acts (linked from there)",
    )
    updated_at = classified(models.DateTimeField(auto_now=True), INTERNAL, "last change")

    class Meta:
        ordering = ["name", "-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="one_card_per_model_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"
