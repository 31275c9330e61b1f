"""Reads of the adaptive app: mastery per skill, the class heat map, who struggles, timelines."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from edubridge.accounts.models import User
from edubridge.adaptive import learners as codec
from edubridge.adaptive.models import (
    Answer,
    Assignment,
    Classroom,
    LearnerSkillState,
    RefitJob,
    Skill,
)
from edubridge.adaptive.services import (
    POLICY,
    current_model,
    items_answered,
    open_assignments,
    practice_bank,
)

STRUGGLE_MASTERY = 0.4
STRUGGLE_ANSWERS = 4


def classrooms_of(user: User) -> QuerySet[Classroom]:
    return Classroom.objects.filter(learners=user).select_related("bank").order_by("name")


def classrooms_taught(user: User) -> QuerySet[Classroom]:
    return Classroom.objects.filter(teacher=user).select_related("bank").order_by("name")


@dataclass(frozen=True)
class SkillMastery:
    skill: Skill
    mastery: float
    answers: int
    right: int

    @property
    def percent(self) -> int:
        return round(self.mastery * 100)

    @property
    def mastered(self) -> bool:
        return self.mastery >= POLICY.mastery_threshold


def _prior(model: object) -> Callable[[int], float]:
    """Mastery of a skill never practised, per skill, under ``model``."""
    cache: dict[int, float] = {}

    def prior(skill_id: int) -> float:
        if skill_id not in cache:
            cache[skill_id] = codec.fresh_mastery(model, skill_id, POLICY.mastery_threshold)  # type: ignore[arg-type]
        return cache[skill_id]

    return prior


def mastery_by_skill(user: User, classroom: Classroom) -> list[SkillMastery]:
    """Every skill of the class's bank with the learner's mastery (the prior if never practised)."""
    bank = practice_bank(classroom.bank)
    model, _row = current_model()
    prior = _prior(model)
    states = {
        s.skill_id: s
        for s in LearnerSkillState.objects.filter(learner=user, skill__in=list(bank.skills))
    }
    out = []
    for skill_id, skill in sorted(bank.skills.items(), key=lambda kv: kv[1].label):
        state = states.get(skill_id)
        if state is None:
            out.append(SkillMastery(skill, prior(skill_id), 0, 0))
        else:
            out.append(SkillMastery(skill, state.mastery, state.answers, state.right))
    return out


@dataclass(frozen=True)
class ClassView:
    skills: list[Skill]
    learners: list[User]
    cells: dict[tuple[int, int], SkillMastery]  # (learner pk, skill pk)
    struggling: list[tuple[User, list[SkillMastery]]]  # most struggles first


def class_view(classroom: Classroom) -> ClassView:
    bank = practice_bank(classroom.bank)
    model, _row = current_model()
    prior = _prior(model)
    skills = sorted(bank.skills.values(), key=lambda s: s.label)
    learners = list(classroom.learners.order_by("username"))
    states = LearnerSkillState.objects.filter(learner__in=learners, skill__in=skills)
    cells: dict[tuple[int, int], SkillMastery] = {}
    for s in states:
        cells[(s.learner_id, s.skill_id)] = SkillMastery(
            bank.skills[s.skill_id], s.mastery, s.answers, s.right
        )
    for learner in learners:
        for skill in skills:
            cells.setdefault(
                (learner.pk, skill.pk),
                SkillMastery(skill, prior(skill.pk), 0, 0),
            )
    struggling = []
    for learner in learners:
        stuck = sorted(
            (
                cell
                for skill in skills
                if (cell := cells[(learner.pk, skill.pk)]).answers >= STRUGGLE_ANSWERS
                and cell.mastery < STRUGGLE_MASTERY
            ),
            key=lambda c: c.mastery,
        )
        if stuck:
            struggling.append((learner, stuck))
    struggling.sort(key=lambda pair: (-len(pair[1]), pair[1][0].mastery))
    return ClassView(skills, learners, cells, struggling)


def display_name(user: User) -> str:
    return user.get_full_name() or user.username


def _colour(m: float) -> str:
    """Red (low) to amber to green (mastered), a palette readable by most colour-blind people
    because the cell also prints its number."""
    if m >= POLICY.mastery_threshold:
        return "#1a7f37"
    if m >= 0.7:
        return "#7cc47f"
    if m >= 0.4:
        return "#f2c94c"
    return "#e5534b"


def heat_map_svg(view: ClassView) -> str:
    """Class × skill mastery as an SVG: one row per learner, one column per skill, numbered cells."""
    cell, left, top = 34, 150, 24
    width = left + cell * len(view.skills) + 4
    height = top + cell * len(view.learners) + 4
    title = _("Mastery by learner and skill")
    parts = [
        f'<svg class="heatmap" role="img" aria-labelledby="heatmap-title" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg" font-size="11">',
        f'<title id="heatmap-title">{escape(title)}</title>',
    ]
    for j, skill in enumerate(view.skills):
        x = left + j * cell + cell / 2
        parts.append(
            f'<text x="{x:.0f}" y="16" text-anchor="middle">S{j + 1}<title>{escape(skill.label)}</title></text>'
        )
    for i, learner in enumerate(view.learners):
        y = top + i * cell
        name = display_name(learner)
        parts.append(
            f'<text x="{left - 6}" y="{y + cell / 2 + 4:.0f}" text-anchor="end">{escape(name[:22])}</text>'
        )
        for j, skill in enumerate(view.skills):
            c = view.cells[(learner.pk, skill.pk)]
            x = left + j * cell
            label = _("%(learner)s, %(skill)s: %(percent)d%% mastery, %(answers)d answers") % {
                "learner": name,
                "skill": skill.label,
                "percent": c.percent,
                "answers": c.answers,
            }
            opacity = "1" if c.answers else "0.35"
            parts.append(
                f'<g><title>{escape(label)}</title><rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" '
                f'fill="{_colour(c.mastery)}" fill-opacity="{opacity}"/>'
                f'<text x="{x + cell / 2 - 1:.0f}" y="{y + cell / 2 + 4:.0f}" text-anchor="middle">{c.percent}</text></g>'
            )
    parts.append("</svg>")
    return "".join(parts)


def timeline(user: User, classroom: Classroom, limit: int = 200) -> QuerySet[Answer]:
    return (
        Answer.objects.filter(learner=user, classroom=classroom)
        .select_related("item", "skill")
        .order_by("-at", "-pk")[:limit]
    )


# ------------------------------------------------------------------ assignments


@dataclass(frozen=True)
class LearnerProgress:
    """One learner on one assignment: done, and how far (mastery or items answered)."""

    assignment: Assignment
    done: bool
    mastery: float | None  # skill assignments
    answered: int  # item assignments: items answered since assigned
    total: int

    @property
    def percent(self) -> int:
        if self.mastery is not None:
            return round(self.mastery * 100)
        return round(100 * self.answered / self.total) if self.total else 100


def _item_total(assignment: Assignment, item_skill: dict[int, int]) -> int:
    return len([i for i in assignment.items.all() if i.pk in item_skill])


def learner_assignments(user: User, classroom: Classroom) -> list[LearnerProgress]:
    """The class's assignments as this learner sees them, open ones first."""
    assignments = open_assignments(classroom)
    if not assignments:
        return []
    bank = practice_bank(classroom.bank)
    by_skill = {m.skill.pk: m.mastery for m in mastery_by_skill(user, classroom)}
    answered = items_answered(user, assignments)
    out = []
    for a in assignments:
        if a.skill_id:
            m = by_skill.get(a.skill_id, 0.0)
            out.append(LearnerProgress(a, m >= POLICY.mastery_threshold, m, 0, 0))
        else:
            total = _item_total(a, bank.item_skill)
            n = len(answered.get(a.pk, set()))
            out.append(LearnerProgress(a, n >= total, None, n, total))
    out.sort(key=lambda p: p.done)
    return out


@dataclass(frozen=True)
class AssignmentProgress:
    """One assignment across the class: how many learners are done, and the average progress."""

    assignment: Assignment
    done: int
    learners: int
    mean_percent: int
    not_done: list[User]

    @property
    def overdue(self) -> bool:
        return (
            self.assignment.due is not None
            and self.assignment.due < timezone.localdate()
            and self.done < self.learners
        )


def assignment_progress(classroom: Classroom, view: ClassView) -> list[AssignmentProgress]:
    """Each assignment with the class's progress on it (skills: mastery from the heat map's
    cells; items: answers since it was assigned, one query for all)."""
    assignments = open_assignments(classroom)
    if not assignments:
        return []
    bank = practice_bank(classroom.bank)
    item_sets = {a.pk: {i.pk for i in a.items.all()} for a in assignments if not a.skill_id}
    answered: dict[tuple[int, int], set[int]] = {}
    if item_sets:
        since = min(a.created_at for a in assignments if a.pk in item_sets)
        every = set().union(*item_sets.values())
        rows = Answer.objects.filter(
            classroom=classroom, item_id__in=every, at__gte=since
        ).values_list("learner_id", "item_id", "at")
        for learner_id, item_id, at in rows:
            for a in assignments:
                if a.pk in item_sets and item_id in item_sets[a.pk] and at >= a.created_at:
                    answered.setdefault((a.pk, learner_id), set()).add(item_id)
    out = []
    for a in assignments:
        done, percents, waiting = 0, [], []
        for learner in view.learners:
            if a.skill_id:
                cell = view.cells.get((learner.pk, a.skill_id))
                m = cell.mastery if cell is not None else 0.0
                ok = m >= POLICY.mastery_threshold
                percents.append(m * 100)
            else:
                total = _item_total(a, bank.item_skill)
                n = len(answered.get((a.pk, learner.pk), set()))
                ok = n >= total
                percents.append(100 * n / total if total else 100)
            done += ok
            if not ok:
                waiting.append(learner)
        mean = round(sum(percents) / len(percents)) if percents else 0
        out.append(AssignmentProgress(a, done, len(view.learners), mean, waiting))
    return out


@dataclass(frozen=True)
class Suggestion:
    """A skill worth assigning next, with its reason in words and the numbers behind it."""

    skill: Skill
    ready_below: int  # learners below mastery whose prerequisites are mastered
    waiting: int  # learners below mastery still missing a prerequisite
    mastered: int
    learners: int
    mean_mastery: float  # among the ready learners
    reason: str


def suggestions(classroom: Classroom, view: ClassView, limit: int = 3) -> list[Suggestion]:
    """Skills where most of the class is below mastery with prerequisites met (and not assigned
    already), most such learners first, then the lowest mean mastery."""
    bank = practice_bank(classroom.bank)
    engine = bank.engine
    threshold = POLICY.mastery_threshold
    assigned = {a.skill_id for a in open_assignments(classroom) if a.skill_id}
    n = len(view.learners)
    if not n:
        return []
    out = []
    for skill in view.skills:
        if skill.pk in assigned or skill.pk not in engine.row:
            continue
        row = engine.row[skill.pk]
        prereqs = [int(engine.skills[j]) for j in engine.direct[row].nonzero()[0]]
        ready, waiting, mastered = [], 0, 0
        for learner in view.learners:
            m = view.cells[(learner.pk, skill.pk)].mastery
            if m >= threshold:
                mastered += 1
            elif all(
                (c := view.cells.get((learner.pk, p))) is not None and c.mastery >= threshold
                for p in prereqs
            ):
                ready.append(m)
            else:
                waiting += 1
        if not ready:
            continue
        mean = sum(ready) / len(ready)
        reason = _(
            "%(ready)d of %(n)d learners are below mastery on this skill (mean %(mean)d%%) and "
            "have mastered its prerequisites; %(waiting)d still need a prerequisite and "
            "%(mastered)d have mastered it."
        ) % {
            "ready": len(ready),
            "n": n,
            "mean": round(mean * 100),
            "waiting": waiting,
            "mastered": mastered,
        }
        out.append(Suggestion(skill, len(ready), waiting, mastered, n, mean, reason))
    out.sort(key=lambda s: (-s.ready_below, s.mean_mastery, s.skill.label))
    return out[:limit]


def refit_jobs(limit: int = 5) -> list[RefitJob]:
    return list(RefitJob.objects.select_related("fitted", "created_by")[:limit])
