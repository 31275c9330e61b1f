"""Reads of the adaptive app: mastery per skill, the class heat map, who struggles, timelines."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from edubridge.accounts.models import User
from edubridge.adaptive.models import Answer, Classroom, LearnerSkillState, Skill
from edubridge.adaptive.services import POLICY, current_model, practice_bank

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


def mastery_by_skill(user: User, classroom: Classroom) -> list[SkillMastery]:
    """Every skill of the class's bank with the learner's mastery (the prior if never practised)."""
    bank = practice_bank(classroom.bank)
    model, _row = current_model()
    states = {
        s.skill_id: s
        for s in LearnerSkillState.objects.filter(learner=user, skill__in=list(bank.skills))
    }
    out = []
    for skill_id, skill in sorted(bank.skills.items(), key=lambda kv: kv[1].label):
        state = states.get(skill_id)
        if state is None:
            out.append(SkillMastery(skill, model.skill_params(skill_id)["prior"], 0, 0))
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
                SkillMastery(skill, model.skill_params(skill.pk)["prior"], 0, 0),
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
