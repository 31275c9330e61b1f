"""Writes of the adaptive app: the next item (kept so practice resumes), answers and refits."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

import numpy as np
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from edubridge.accounts.models import User
from edubridge.adaptive.models import (
    Answer,
    Classroom,
    FittedModel,
    LearnerSkillState,
    Pending,
    Skill,
)
from edubridge.catalogue.models import Alignment, Association, Bank, Item
from edubridge.engines.adaptive.bkt import PARAM_NAMES, BKTConfig, BKTParameters
from edubridge.engines.adaptive.data import ResponseLog
from edubridge.engines.adaptive.models import BKTLearner, BKTModel
from edubridge.engines.adaptive.policy import Item as EngineItem
from edubridge.engines.adaptive.policy import ItemBank, PolicyConfig, Recommendation

SUPPORTED = ("choice", "numeric_entry", "text_entry")
POLICY = PolicyConfig()
DEFAULT_PARAMETERS = {"prior": 0.2, "learn": 0.15, "forget": 0.01, "guess": 0.2, "slip": 0.1}
VERB_ANSWERED = "http://adlnet.gov/expapi/verbs/answered"


class AdaptiveError(ValueError):
    """A bad request to the adaptive app, with a message for the person; nothing was stored."""


class AlreadyAnsweredError(AdaptiveError):
    """The item is not the learner's pending one (answered already, or never offered)."""


# ------------------------------------------------------------------ model and bank


def default_model() -> BKTModel:
    params = BKTParameters(
        skills=[], values={n: np.zeros(0) for n in PARAM_NAMES}, pooled=dict(DEFAULT_PARAMETERS)
    )
    return BKTModel(params, BKTConfig())


@lru_cache(maxsize=8)
def _model_from(pk: int) -> BKTModel:
    return BKTModel.from_parameters(FittedModel.objects.get(pk=pk).parameters)


def current_model() -> tuple[BKTModel, FittedModel | None]:
    """The newest fitted parameters of this deployment, else the documented defaults."""
    row = FittedModel.objects.only("pk").first()
    if row is None:
        return default_model(), None
    return _model_from(row.pk), row


@dataclass(frozen=True)
class PracticeBank:
    """A bank ready for the engine: supported items with one skill each, and the skill DAG."""

    engine: ItemBank
    skills: dict[int, Skill]
    item_skill: dict[int, int]  # catalogue Item pk -> skill id


def _skill_label(identifier: str, fallback: str) -> tuple[str, str]:
    """(code, label) from the framework item, else from the first item's title."""
    from edubridge.catalogue.models import FrameworkItem

    node = FrameworkItem.objects.filter(identifier=identifier).first()
    if node is None:
        return "", fallback[:300]
    text = f"{node.code} {node.statement}".strip() if node.code else node.statement
    return node.code[:100], text[:300]


def skills_for(items: list[Item]) -> dict[int, str]:
    """Item pk -> framework item identifier (the first alignment in the JSON, else a row)."""
    out: dict[int, str] = {}
    rows = Alignment.objects.filter(item__in=items, rejected=False).values_list(
        "item_id", "framework_item__identifier"
    )
    by_row = dict(rows)
    for item in items:
        aligned = [a.get("item") for a in item.data.get("alignments", []) if a.get("item")]
        identifier = aligned[0] if aligned else by_row.get(item.pk)
        if identifier:
            out[item.pk] = str(identifier)
    return out


def ensure_skills(item_identifiers: dict[int, str], items: dict[int, Item]) -> dict[str, Skill]:
    """Stable integer ids per deployment: one Skill row per framework item, created once."""
    wanted = set(item_identifiers.values())
    known = {s.identifier: s for s in Skill.objects.filter(identifier__in=wanted)}
    for pk, identifier in sorted(item_identifiers.items()):
        if identifier not in known:
            code, label = _skill_label(identifier, items[pk].title or identifier)
            known[identifier], _ = Skill.objects.get_or_create(
                identifier=identifier, defaults={"code": code, "label": label}
            )
    return known


_BANKS: dict[tuple[int, str], PracticeBank] = {}


def practice_bank(bank: Bank) -> PracticeBank:
    key = (bank.pk, f"{bank.version}-{bank.published_at}")
    cached = _BANKS.get(key)
    if cached is not None:
        return cached
    items = [i for i in bank.items.order_by("position") if i.interaction_type in SUPPORTED]
    by_pk = {i.pk: i for i in items}
    identifiers = skills_for(items)
    if not identifiers:
        raise AdaptiveError(_("This bank has no items aligned to a skill that can be practised."))
    skills = ensure_skills(identifiers, by_pk)
    item_skill = {pk: skills[ident].pk for pk, ident in identifiers.items()}
    prereqs: dict[int, set[int]] = {}
    for origin, destination in Association.objects.filter(
        association_type="precedes",
        origin_identifier__in=list(skills),
        destination_identifier__in=list(skills),
    ).values_list("origin_identifier", "destination_identifier"):
        prereqs.setdefault(skills[destination].pk, set()).add(skills[origin].pk)
    engine = ItemBank(
        [EngineItem(pk, skill) for pk, skill in item_skill.items()],
        prerequisites=prereqs,
        skill_names={s.pk: s.label for s in skills.values()},
    )
    result = PracticeBank(engine, {s.pk: s for s in skills.values()}, item_skill)
    _BANKS[key] = result
    return result


def learner_state(user: User, model: BKTModel) -> BKTLearner:
    """Rebuild the learner from stored per-skill state and the last few answers."""
    learner = model.new_learner(POLICY.mastery_threshold)
    for row in LearnerSkillState.objects.filter(learner=user):
        learner.known[row.skill_id] = float(row.state.get("known", row.mastery))
        if row.state.get("last_seen") is not None:
            learner.last_seen[row.skill_id] = float(row.state["last_seen"])
        learner.reviews_passed[row.skill_id] = int(row.state.get("reviews_passed", 0))
    recent = Answer.objects.filter(learner=user).order_by("-at", "-pk")
    for item_id in reversed(
        list(recent.values_list("item_id", flat=True)[: POLICY.no_repeat_window])
    ):
        learner.recent_items.append(item_id)
    return learner


# ------------------------------------------------------------------ next item


def next_item(*, user: User, classroom: Classroom, test_out: int | None = None) -> Pending | None:
    """The item the learner is on (resume), else a new choice from the policy, kept as pending."""
    pending = Pending.objects.filter(learner=user, classroom=classroom).select_related("item")
    found = pending.first()
    if found is not None and test_out is None:
        return found
    bank = practice_bank(classroom.bank)
    model, _row = current_model()
    learner = learner_state(user, model)
    rec: Recommendation = learner.recommend(bank.engine, POLICY, time.time(), test_out=test_out)
    if rec.item is None:
        Pending.objects.filter(learner=user, classroom=classroom).delete()
        return None
    values = {
        "item_id": int(rec.item),
        "kind": rec.kind,
        "reason": rec.reason,
        "numbers": {**rec.numbers, "skill": rec.skill},
        "hints_shown": 0,
    }
    row, _created = Pending.objects.update_or_create(
        learner=user, classroom=classroom, defaults=values
    )
    return Pending.objects.select_related("item").get(pk=row.pk)


def show_hint(*, user: User, classroom: Classroom) -> Pending:
    pending = Pending.objects.filter(learner=user, classroom=classroom).first()
    if pending is None:
        raise AdaptiveError(_("There is no item waiting for an answer."))
    if pending.hints_shown < len(pending.item.data.get("hints", [])):
        pending.hints_shown += 1
        pending.save(update_fields=["hints_shown"])
    return pending


# ------------------------------------------------------------------ answers


def _number(text: str) -> Decimal:
    try:
        return Decimal(text.strip().replace(",", "").replace(" ", ""))
    except InvalidOperation:
        raise AdaptiveError(_("Please enter a number, for example 24 or 3.5.")) from None


def check_response(item: Item, response: str) -> bool:
    """Score a response against the item's correct response; a malformed one raises."""
    data = item.data
    interaction = data["interaction"]
    kind = interaction["type"]
    values = data.get("correct_response", {}).get("values", [])
    response = response.strip()
    if not response:
        raise AdaptiveError(_("Please give an answer before checking it."))
    if len(response) > 500:
        raise AdaptiveError(_("That answer is too long."))
    if kind == "numeric_entry":
        given = _number(response)
        tolerance = Decimal(str(interaction.get("tolerance") or 0))
        return any(abs(given - Decimal(str(v))) <= tolerance for v in values)
    if kind == "choice":
        ids = {c["id"] for c in interaction.get("choices", [])}
        if response not in ids:
            raise AdaptiveError(_("Please choose one of the options."))
        return response in values
    if kind == "text_entry":
        if interaction.get("case_sensitive", True):
            return response in values
        return response.casefold() in {str(v).casefold() for v in values}
    raise AdaptiveError(_("This kind of item cannot be answered here."))


def correct_text(item: Item) -> str:
    data = item.data
    values = data.get("correct_response", {}).get("values", [])
    if data["interaction"]["type"] == "choice":
        texts = {c["id"]: c["text"] for c in data["interaction"].get("choices", [])}
        return ", ".join(texts.get(v, str(v)) for v in values)
    unit = data["interaction"].get("unit") or ""
    return " ".join(filter(None, [", ".join(str(v) for v in values), unit]))


def build_statement(
    *, user: User, item: Item, correct: bool, response: str, at: datetime
) -> dict[str, Any]:
    """The answer as an xAPI statement: the learner's pseudonymous account, never an email."""
    from edubridge.records import api as records

    actor = records.learner_actor(user.pseudonym)
    home = actor["account"]["homePage"].rstrip("/")
    return {
        "id": str(uuid.uuid4()),
        "actor": actor,
        "verb": {"id": VERB_ANSWERED, "display": {"en-US": "answered"}},
        "object": {
            "objectType": "Activity",
            "id": home + reverse("catalogue:item", args=[item.bank.slug, item.identifier]),
            "definition": {
                "name": {item.language or "und": item.title or item.identifier},
                "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
            },
        },
        "result": {
            "success": correct,
            "response": response,
            "score": {"scaled": 1.0 if correct else 0.0},
        },
        "timestamp": at.isoformat(),
    }


@dataclass(frozen=True)
class Outcome:
    answer: Answer
    correct: bool
    correct_text: str
    feedback: str
    mastery_before: float
    skill: Skill


def answer_submit(*, user: User, classroom: Classroom, item_id: int, response: str) -> Outcome:
    """Score and record one answer once, update the learner in O(1), emit its xAPI statement.

    The answer, the skill state, the statement and the end of the pending item commit together;
    answering an item that is not the pending one (a double submit) is refused and stores nothing.
    """
    from edubridge.records import api as records

    with transaction.atomic():
        pending = (
            Pending.objects.select_for_update()
            .select_related("item__bank")
            .filter(learner=user, classroom=classroom)
            .first()
        )
        if pending is None or pending.item_id != item_id:
            raise AlreadyAnsweredError(
                _(
                    "This item was already answered or was not offered to you; here is your next one."
                )
            )
        item = pending.item
        correct = check_response(item, response)
        bank = practice_bank(classroom.bank)
        skill_id = bank.item_skill[item.pk]
        model, _row = current_model()
        now = timezone.now()
        state = (
            LearnerSkillState.objects.select_for_update()
            .filter(learner=user, skill_id=skill_id)
            .first()
        )
        learner = model.new_learner(POLICY.mastery_threshold)
        if state is not None:
            learner.known[skill_id] = float(state.state.get("known", state.mastery))
            learner.reviews_passed[skill_id] = int(state.state.get("reviews_passed", 0))
        before = learner.mastery(skill_id)
        learner.observe(skill_id, item.pk, correct, now.timestamp())
        after = learner.mastery(skill_id)
        new_state = {
            "known": after,
            "last_seen": now.timestamp(),
            "reviews_passed": learner.reviews_passed.get(skill_id, 0),
            "model": model.name,
        }
        if state is None:
            state = LearnerSkillState(learner=user, skill_id=skill_id, updated_at=now)
        state.state = new_state
        state.mastery = after
        state.answers += 1
        state.right += int(correct)
        state.updated_at = now
        state.save()
        statement = build_statement(
            user=user, item=item, correct=correct, response=response.strip(), at=now
        )
        records.statement_record(
            actor_user_pseudonym=user.pseudonym,
            verb=statement["verb"],
            object=statement["object"],
            result=statement["result"],
            timestamp=now,
            statement_id=uuid.UUID(statement["id"]),
        )
        answer = Answer.objects.create(
            learner=user,
            classroom=classroom,
            item=item,
            skill_id=skill_id,
            correct=correct,
            response=response.strip()[:500],
            mastery_after=after,
            reason=pending.reason,
            at=now,
            statement=statement,
            statement_sent=True,
        )
        pending.delete()
    fb = item.data.get("feedback", {})
    feedback = fb.get("correct" if correct else "incorrect") or ""
    return Outcome(answer, correct, correct_text(item), feedback, before, bank.skills[skill_id])


# ------------------------------------------------------------------ classes and refit


def classroom_create(*, teacher: User, name: str, bank: Bank, learners: list[User]) -> Classroom:
    name = name.strip()
    if not name:
        raise AdaptiveError(_("A class needs a name."))
    practice_bank(bank)  # refuses a bank with nothing to practise
    with transaction.atomic():
        classroom = Classroom.objects.create(teacher=teacher, name=name, bank=bank)
        classroom.learners.set(learners)
    return classroom


def refit(*, source: str = "answers recorded on this node", min_answers: int = 50) -> FittedModel:
    """Refit BKT with forgetting on every recorded answer (the periodic job)."""
    rows = list(
        Answer.objects.order_by("learner_id", "at", "pk").values_list(
            "learner_id", "skill_id", "correct"
        )
    )
    if len(rows) < min_answers:
        raise AdaptiveError(
            _("Only %(n)d answers recorded; at least %(min)d are needed to refit.")
            % {"n": len(rows), "min": min_answers}
        )
    sequences: dict[int, tuple[list[int], list[int]]] = {}
    for learner_id, skill_id, correct in rows:
        seq = sequences.setdefault(learner_id, ([], []))
        seq[0].append(skill_id)
        seq[1].append(int(correct))
    log = ResponseLog.from_sequences(list(sequences.values()))
    model = BKTModel.fit(log, BKTConfig())
    return FittedModel.objects.create(
        name=model.name,
        version=model.version,
        parameters=model.export_parameters(),
        n_responses=log.n_responses,
        source=source[:200],
    )
