"""Adaptive practice: classes, skills mapped to engine integers, per-skill learner state,
answers (recorded once, with their xAPI statement) and the fitted learner-model parameters."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from edubridge.catalogue.models import Bank, Item
from edubridge.core.data_classes import DataClass, classified

PUBLIC = DataClass.PUBLIC
INTERNAL = DataClass.INTERNAL
PERSONAL = DataClass.PERSONAL


class Skill(models.Model):
    """A curriculum framework item practised here; its primary key is the engine's skill id."""

    identifier = classified(
        models.CharField(max_length=200, unique=True), PUBLIC, "CASE CFItem identifier"
    )
    code = classified(
        models.CharField(max_length=100, blank=True), PUBLIC, "short code, e.g. 4.MD.A.1"
    )
    label = classified(models.CharField(max_length=300), PUBLIC, "shown on bars and heat maps")

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label

    @property
    def short(self) -> str:
        return self.code or self.label[:30]


class Classroom(models.Model):
    """A teacher's class practising one published bank."""

    name = classified(models.CharField(_("name"), max_length=200), INTERNAL, "shown to its members")
    teacher = classified(
        models.ForeignKey(
            settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="classrooms_taught"
        ),
        PERSONAL,
        "who sees the class's mastery",
    )
    learners = classified(
        models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="classrooms", blank=True),
        PERSONAL,
        "who practises in the class",
    )
    bank = classified(
        models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="classrooms"),
        PUBLIC,
        "the items the class practises",
    )
    created_at = classified(models.DateTimeField(auto_now_add=True), INTERNAL, "when created")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LearnerSkillState(models.Model):
    """One learner's model state on one skill, updated in O(1) after each answer."""

    learner = classified(
        models.ForeignKey(
            settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skill_states"
        ),
        PERSONAL,
        "whose state",
    )
    skill = classified(models.ForeignKey(Skill, on_delete=models.CASCADE), PUBLIC, "which skill")
    state = classified(
        models.JSONField(default=dict),
        PERSONAL,
        "learner-model state (P(known), last practice, reviews passed)",
    )
    mastery = classified(models.FloatField(default=0.0), PERSONAL, "P(known), shown as a bar")
    answers = classified(models.PositiveIntegerField(default=0), PERSONAL, "answers on the skill")
    right = classified(models.PositiveIntegerField(default=0), PERSONAL, "right answers")
    updated_at = classified(models.DateTimeField(), PERSONAL, "last answer on the skill")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "skill"], name="adaptive_state_unique")
        ]

    def __str__(self) -> str:
        return f"{self.learner_id}/{self.skill_id}: {self.mastery:.2f}"


class Answer(models.Model):
    """One answer, recorded once; ``statement`` is its xAPI statement as sent to the records app."""

    learner = classified(
        models.ForeignKey(
            settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answers"
        ),
        PERSONAL,
        "who answered",
    )
    classroom = classified(
        models.ForeignKey(Classroom, on_delete=models.SET_NULL, null=True, related_name="answers"),
        INTERNAL,
        "the class practised in",
    )
    item = classified(models.ForeignKey(Item, on_delete=models.PROTECT), PUBLIC, "the item")
    skill = classified(models.ForeignKey(Skill, on_delete=models.PROTECT), PUBLIC, "its skill")
    correct = classified(models.BooleanField(), PERSONAL, "right or wrong")
    response = classified(models.CharField(max_length=500), PERSONAL, "what the learner answered")
    mastery_after = classified(models.FloatField(), PERSONAL, "P(known) after the answer")
    reason = classified(
        models.TextField(blank=True), INTERNAL, "why the item was offered (engine words)"
    )
    at = classified(models.DateTimeField(), PERSONAL, "when answered")
    statement = classified(models.JSONField(), PERSONAL, "the xAPI statement of the answer")
    statement_sent = classified(
        models.BooleanField(default=False), INTERNAL, "stored in the learning record store"
    )

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["learner", "at"])]

    def __str__(self) -> str:
        return f"{self.learner_id} {self.item_id} {'right' if self.correct else 'wrong'}"


class Pending(models.Model):
    """The item a learner was given and has not answered yet: practice resumes here."""

    learner = classified(
        models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE), PERSONAL, "who"
    )
    classroom = classified(
        models.ForeignKey(Classroom, on_delete=models.CASCADE), INTERNAL, "which class"
    )
    item = classified(models.ForeignKey(Item, on_delete=models.CASCADE), PUBLIC, "the item")
    kind = classified(models.CharField(max_length=20), INTERNAL, "practice, review or test-out")
    reason = classified(models.TextField(), INTERNAL, "the engine's reason in English")
    numbers = classified(models.JSONField(default=dict), INTERNAL, "the reason's numbers")
    hints_shown = classified(models.PositiveSmallIntegerField(default=0), PERSONAL, "hints seen")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "classroom"], name="adaptive_pending_unique")
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} on {self.item_id}"


class FittedModel(models.Model):
    """Learner-model parameters fitted for this deployment; the newest row is used.

    ``selection`` keeps why this model was chosen: the cross-validation of every candidate on the
    node's own answers (mean and per-fold held-out AUC, fit seconds) and the rule applied."""

    name = classified(models.CharField(max_length=40), PUBLIC, "learner model name")
    version = classified(models.CharField(max_length=40), PUBLIC, "model version")
    parameters = classified(models.JSONField(), PUBLIC, "exported parameters (engine interface)")
    n_responses = classified(models.PositiveIntegerField(default=0), PUBLIC, "answers fitted on")
    n_learners = classified(models.PositiveIntegerField(default=0), PUBLIC, "learners fitted on")
    source = classified(models.CharField(max_length=200), PUBLIC, "what it was fitted on")
    reason = classified(
        models.TextField(blank=True), PUBLIC, "why this model was chosen, in words and numbers"
    )
    selection = classified(
        models.JSONField(default=dict, blank=True),
        PUBLIC,
        "cross-validation metrics per candidate model (aggregate, no learner data)",
    )
    fitted_at = classified(models.DateTimeField(auto_now_add=True), PUBLIC, "when fitted")

    class Meta:
        ordering = ["-fitted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.version} ({self.n_responses} answers)"


class LearnerModelState(models.Model):
    """One learner's whole state under the fitted model in use (the engine's learner object as
    JSON), so the next item and each answer cost O(1) instead of a replay of every answer."""

    learner = classified(
        models.OneToOneField(
            settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_model_state"
        ),
        PERSONAL,
        "whose state",
    )
    fitted = classified(
        models.ForeignKey(FittedModel, on_delete=models.SET_NULL, null=True, blank=True),
        PUBLIC,
        "the fitted model the state belongs to (none: the default parameters)",
    )
    state = classified(models.JSONField(default=dict), PERSONAL, "learner-model state")
    n_answers = classified(models.PositiveIntegerField(default=0), PERSONAL, "answers folded in")
    updated_at = classified(models.DateTimeField(auto_now=True), PERSONAL, "last change")

    def __str__(self) -> str:
        return f"{self.learner_id} under {self.fitted_id}"


class Assignment(models.Model):
    """Work a teacher gives a class: one skill (done when mastered) or chosen items (done when
    each is answered), with an optional due date. Practice is steered toward open assignments."""

    classroom = classified(
        models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments"),
        INTERNAL,
        "the class",
    )
    skill = classified(
        models.ForeignKey(Skill, on_delete=models.PROTECT, null=True, blank=True),
        PUBLIC,
        "the assigned skill (or none when items are assigned)",
    )
    items = classified(
        models.ManyToManyField(Item, blank=True, related_name="+"), PUBLIC, "assigned items"
    )
    title = classified(models.CharField(max_length=300), INTERNAL, "shown to learners")
    due = classified(models.DateField(null=True, blank=True), INTERNAL, "optional due date")
    note = classified(
        models.TextField(blank=True), INTERNAL, "why it was assigned (e.g. the suggestion's reason)"
    )
    created_by = classified(
        models.ForeignKey(
            settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
        ),
        PERSONAL,
        "the teacher who assigned it",
    )
    created_at = classified(models.DateTimeField(auto_now_add=True), INTERNAL, "when assigned")

    class Meta:
        ordering = ["due", "created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class RefitStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class RefitJob(models.Model):
    """One background refit: cross-validate the candidate models, fit the best, re-score learners."""

    status = classified(
        models.CharField(max_length=10, choices=RefitStatus.choices, default=RefitStatus.QUEUED),
        INTERNAL,
        "shown on the learner-model page",
    )
    stage = classified(models.CharField(max_length=200, blank=True), INTERNAL, "current step")
    done = classified(models.PositiveIntegerField(default=0), INTERNAL, "steps done")
    total = classified(models.PositiveIntegerField(default=0), INTERNAL, "steps in all")
    error = classified(models.TextField(blank=True), INTERNAL, "why the refit failed")
    fitted = classified(
        models.ForeignKey(FittedModel, on_delete=models.SET_NULL, null=True, blank=True),
        PUBLIC,
        "the model it produced",
    )
    task_id = classified(models.CharField(max_length=100, blank=True), INTERNAL, "queue task id")
    created_by = classified(
        models.ForeignKey(
            settings.AUTH_USER_MODEL,
            on_delete=models.SET_NULL,
            null=True,
            blank=True,
            related_name="+",
        ),
        PERSONAL,
        "who asked for the refit (none: scheduled or command line)",
    )
    created_at = classified(models.DateTimeField(auto_now_add=True), INTERNAL, "when queued")
    started_at = classified(models.DateTimeField(null=True, blank=True), INTERNAL, "started")
    finished_at = classified(models.DateTimeField(null=True, blank=True), INTERNAL, "finished")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"refit {self.pk} {self.status}"

    @property
    def running(self) -> bool:
        return self.status in (RefitStatus.QUEUED, RefitStatus.RUNNING)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0
