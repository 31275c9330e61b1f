"""Learning data a steward may export: learner responses, mastery and training records.

Each column names the model field it comes from, so its class is the registry's; datasets about
learners declare ``subjects_minor``, so a pupil's responses reach the policy as minor-sensitive
data (PIPL Art. 28, GDPR Art. 8) whenever any learner in them is recorded as a minor.

Quasi-identifiers use closed hierarchy files where the values are a closed set (ISO country ->
continent; grade 0-13 -> band -> stage; yes/no) and rules where they are open (dates -> month ->
year; counts and shares -> intervals of public width; programme names -> shown or hidden), so every
value the data can take is covered.
"""

from __future__ import annotations

from collections import defaultdict
from functools import partial

from django.utils.translation import gettext_lazy as _

from edubridge.engines.privacy.rules import date_hierarchy, flat_hierarchy, interval_hierarchy
from edubridge.governance.datasets import Column, Dataset, register

YES_NO = ("yes", "no")
GRADES = (*(str(g) for g in range(14)), "unknown")
MASTERED_AT = 0.95  # the adaptive engine's default mastery threshold
SHARE_RULE = partial(interval_hierarchy, lower=0.0, upper=1.0, widths=(0.1, 0.5))
COUNT_RULE = partial(interval_hierarchy, lower=0.0, upper=100_000.0, widths=(10, 50, 250, 1000))
DAY_RULE = partial(date_hierarchy, levels=("month", "year"))
LEARNER_CONTRIBUTIONS = 100  # answers of one learner in a DP release of responses
SKILL_CONTRIBUTIONS = 50  # skill states of one learner in a DP release of mastery
ENROLMENT_CONTRIBUTIONS = 5  # enrolments of one teacher in a DP release of training records


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _country(organization: object) -> str:
    return str(getattr(organization, "country", "") or "unknown").upper()


def _grade(value: int | None) -> str:
    return "unknown" if value is None else str(value)


def _learners_minor() -> bool:
    from edubridge.accounts.models import User

    return User.objects.filter(is_minor=True, answers__isnull=False).exists()


def _states_minor() -> bool:
    from edubridge.accounts.models import User

    return User.objects.filter(is_minor=True, skill_states__isnull=False).exists()


def _teachers_minor() -> bool:
    from edubridge.accounts.models import User
    from edubridge.training.models import Enrolment

    teachers = Enrolment.objects.values("teacher_id")
    return User.objects.filter(is_minor=True, pk__in=teachers).exists()


def _response_rows() -> list[tuple[str, ...]]:
    from edubridge.adaptive.models import Answer

    rows: list[tuple[str, ...]] = []
    for a in (
        Answer.objects.select_related("learner__organization", "item", "skill")
        .order_by("at", "pk")
        .iterator(chunk_size=2000)
    ):
        rows.append(
            (
                str(a.learner_id),
                _yes_no(a.learner.is_minor),
                _country(a.learner.organization),
                _grade(a.item.grade_min),
                a.item.subject or "unknown",
                a.skill.code or a.skill.identifier,
                a.item.identifier,
                a.at.date().isoformat(),
                _yes_no(a.correct),
                f"{min(max(a.mastery_after, 0.0), 1.0):.2f}",
            )
        )
    return rows


def _mastery_rows() -> list[tuple[str, ...]]:
    from edubridge.adaptive.models import LearnerSkillState

    rows: list[tuple[str, ...]] = []
    for s in LearnerSkillState.objects.select_related("learner__organization", "skill").order_by(
        "learner_id", "skill_id"
    ):
        mastery = min(max(s.mastery, 0.0), 1.0)
        rows.append(
            (
                str(s.learner_id),
                _yes_no(s.learner.is_minor),
                _country(s.learner.organization),
                s.skill.code or s.skill.identifier,
                str(min(s.answers, 100_000)),
                s.updated_at.date().isoformat(),
                f"{mastery:.2f}",
                _yes_no(mastery >= MASTERED_AT),
            )
        )
    return rows


def _training_rows() -> list[tuple[str, ...]]:
    from edubridge.training.models import Attendance, Enrolment, Evidence, IssuedCredential

    present: dict[int, list[bool]] = defaultdict(list)
    for enrolment_id, was in Attendance.objects.values_list("enrolment_id", "present"):
        present[enrolment_id].append(was)
    passed: dict[int, int] = defaultdict(int)
    for enrolment_id in Evidence.objects.filter(passed=True).values_list("enrolment_id", flat=True):
        passed[enrolment_id] += 1
    credentialed = set(IssuedCredential.objects.values_list("enrolment_id", flat=True))
    rows: list[tuple[str, ...]] = []
    for e in Enrolment.objects.select_related(
        "teacher__organization", "cohort__programme"
    ).order_by("pk"):
        marks = present.get(e.pk, [])
        share = sum(marks) / len(marks) if marks else 0.0
        rows.append(
            (
                str(e.teacher_id),
                _country(e.teacher.organization),
                e.cohort.programme.name,
                str(e.cohort.generation),
                e.cohort.starts_on.isoformat(),
                e.status,
                f"{share:.2f}",
                str(passed.get(e.pk, 0)),
                _yes_no(e.pk in credentialed),
            )
        )
    return rows


def register_learning_datasets() -> None:
    register(
        Dataset(
            key="learner-responses",
            title=_("Learner responses"),
            description=_(
                "One row per answer in adaptive practice: the learner (pseudonymized), whether a "
                "minor, their organization's country, the item's grade and subject, the skill, "
                "the day, right or wrong, and the learner model's mastery after the answer."
            ),
            columns=(
                Column("learner", "adaptive.Answer.learner", _("who answered"), identifier=True),
                Column(
                    "minor",
                    "accounts.User.is_minor",
                    _("the learner is recorded as a minor"),
                    categories=YES_NO,
                ),
                Column(
                    "country",
                    "adaptive.Answer.learner",
                    _("country of the learner's organization (ISO code)"),
                ),
                Column(
                    "grade",
                    "catalogue.Item.grade_min",
                    _("grade of the item (0-13)"),
                    categories=GRADES,
                ),
                Column("subject", "catalogue.Item.subject", _("subject of the item")),
                Column("skill", "adaptive.Answer.skill", _("the skill practised (code)")),
                Column("item", "adaptive.Answer.item", _("the item answered (identifier)")),
                Column(
                    "day", "adaptive.Answer.at", _("day of the answer"), hierarchy_rule=DAY_RULE
                ),
                Column(
                    "correct", "adaptive.Answer.correct", _("right or wrong"), categories=YES_NO
                ),
                Column(
                    "mastery_after",
                    "adaptive.Answer.mastery_after",
                    _("P(known) after the answer, 2 decimals"),
                    hierarchy_rule=SHARE_RULE,
                    bounds=(0.0, 1.0),
                ),
            ),
            quasi_identifiers=("minor", "country", "grade", "day"),
            sensitive="correct",
            rows=_response_rows,
            hierarchy_prefix="learning",
            subjects_minor=_learners_minor,
            contributions=LEARNER_CONTRIBUTIONS,
            person="learner",
        )
    )
    register(
        Dataset(
            key="learner-mastery",
            title=_("Learner mastery"),
            description=_(
                "One row per learner and skill: the learner (pseudonymized), whether a minor, "
                "their organization's country, how many answers, the day of the last answer, "
                "the learner model's mastery and whether the skill counts as mastered."
            ),
            columns=(
                Column(
                    "learner",
                    "adaptive.LearnerSkillState.learner",
                    _("whose state"),
                    identifier=True,
                ),
                Column(
                    "minor",
                    "accounts.User.is_minor",
                    _("the learner is recorded as a minor"),
                    categories=YES_NO,
                ),
                Column(
                    "country",
                    "adaptive.LearnerSkillState.learner",
                    _("country of the learner's organization (ISO code)"),
                ),
                Column("skill", "adaptive.LearnerSkillState.skill", _("the skill (code)")),
                Column(
                    "answers",
                    "adaptive.LearnerSkillState.answers",
                    _("answers on the skill"),
                    hierarchy_rule=COUNT_RULE,
                    bounds=(0.0, 200.0),
                ),
                Column(
                    "last_day",
                    "adaptive.LearnerSkillState.updated_at",
                    _("day of the last answer on the skill"),
                    hierarchy_rule=DAY_RULE,
                ),
                Column(
                    "mastery",
                    "adaptive.LearnerSkillState.mastery",
                    _("P(known), 2 decimals"),
                    hierarchy_rule=SHARE_RULE,
                    bounds=(0.0, 1.0),
                ),
                Column(
                    "mastered",
                    "adaptive.LearnerSkillState.mastery",
                    _("mastery at or above 0.95"),
                    categories=YES_NO,
                ),
            ),
            quasi_identifiers=("minor", "country", "answers", "last_day"),
            sensitive="mastered",
            rows=_mastery_rows,
            hierarchy_prefix="learning",
            subjects_minor=_states_minor,
            contributions=SKILL_CONTRIBUTIONS,
            person="learner",
        )
    )
    register(
        Dataset(
            key="training-records",
            title=_("Training records"),
            description=_(
                "One row per enrolment in a teacher-training cohort: the teacher "
                "(pseudonymized), their organization's country, the programme, the cascade "
                "generation, the cohort's start, status, share of sessions attended, evidence "
                "passed and whether a credential was issued."
            ),
            columns=(
                Column("teacher", "training.Enrolment.teacher", _("the teacher"), identifier=True),
                Column(
                    "country",
                    "training.Enrolment.teacher",
                    _("country of the teacher's organization (ISO code)"),
                ),
                Column(
                    "programme",
                    "training.Enrolment.cohort",
                    _("programme of the cohort"),
                    hierarchy_rule=flat_hierarchy,
                ),
                Column(
                    "generation",
                    "training.Cohort.generation",
                    _("cascade generation of the cohort"),
                ),
                Column(
                    "start",
                    "training.Cohort.starts_on",
                    _("day the cohort starts"),
                    hierarchy_rule=DAY_RULE,
                ),
                Column(
                    "status",
                    "training.Enrolment.status",
                    _("enrolled or completed"),
                    categories=("enrolled", "completed"),
                ),
                Column(
                    "attendance",
                    "training.Attendance.present",
                    _("share of sessions attended, 2 decimals"),
                    hierarchy_rule=SHARE_RULE,
                    bounds=(0.0, 1.0),
                ),
                Column(
                    "evidence_passed",
                    "training.Evidence.passed",
                    _("pieces of evidence that passed"),
                    bounds=(0.0, 20.0),
                ),
                Column(
                    "credential",
                    "training.IssuedCredential.enrolment",
                    _("a credential was issued"),
                    categories=YES_NO,
                ),
            ),
            quasi_identifiers=("country", "programme", "start"),
            sensitive="credential",
            rows=_training_rows,
            hierarchy_prefix="learning",
            subjects_minor=_teachers_minor,
            contributions=ENROLMENT_CONTRIBUTIONS,
            person="teacher",
        )
    )
