"""Writes of the adaptive app: the next item (kept so practice resumes), answers and refits."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

import numpy as np
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from edubridge.accounts.models import User
from edubridge.accounts.roles import Role
from edubridge.adaptive import learners as codec
from edubridge.adaptive.models import (
    Answer,
    Assignment,
    Classroom,
    FittedModel,
    LearnerModelState,
    LearnerSkillState,
    Pending,
    RefitJob,
    RefitStatus,
    Skill,
)
from edubridge.catalogue.models import Alignment, Association, Bank, BankStatus, Item
from edubridge.core.audit import audit_record
from edubridge.engines.adaptive.bkt import PARAM_NAMES, BKTConfig, BKTParameters
from edubridge.engines.adaptive.data import ResponseLog
from edubridge.engines.adaptive.interface import Learner, LearnerModel
from edubridge.engines.adaptive.models import BKTModel
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
def _model_from(pk: int) -> LearnerModel:
    """Parameters are immutable once written, so a fitted row is parsed once per process."""
    return codec.model_from_parameters(FittedModel.objects.get(pk=pk).parameters)


_DEFAULT: list[BKTModel] = []


#: How long a process trusts its idea of the newest fitted model (seconds); a refit in another
#: process is picked up within this time, and stored learner states self-correct (replay).
MODEL_TTL = 2.0
_NEWEST: list[tuple[float, FittedModel | None]] = []


def _newest_fitted() -> FittedModel | None:
    now = time.monotonic()
    if _NEWEST and now - _NEWEST[0][0] < MODEL_TTL:
        return _NEWEST[0][1]
    row = FittedModel.objects.only("pk", "name", "version").first()
    _NEWEST[:] = [(now, row)]
    return row


def forget_fitted() -> None:
    """Drop the cached newest model (after a refit in this process)."""
    _NEWEST.clear()
    _model_from.cache_clear()


def current_model() -> tuple[LearnerModel, FittedModel | None]:
    """The newest fitted model of this deployment (the one chosen by the last refit), else
    BKT with the documented default parameters. Parameters are parsed once per process; the
    newest row is looked up at most every MODEL_TTL seconds."""
    row = _newest_fitted()
    if row is not None:
        try:
            return _model_from(row.pk), row
        except FittedModel.DoesNotExist:  # deleted (or rolled back) since it was cached
            forget_fitted()
            row = _newest_fitted()
    if row is None:
        if not _DEFAULT:
            _DEFAULT.append(default_model())
        return _DEFAULT[0], None
    return _model_from(row.pk), row


@dataclass(frozen=True)
class PracticeBank:
    """A bank ready for the engine: supported items with one skill each, and the skill DAG."""

    engine: ItemBank
    skills: dict[int, Skill]
    item_skill: dict[int, int]  # catalogue Item pk -> skill id
    items: dict[int, Item]  # the practisable items (immutable while the bank version stands)


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
    for i in items:
        i.bank = bank  # the statement's activity id needs the bank's slug
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
    result = PracticeBank(
        engine,
        {s.pk: s for s in skills.values()},
        item_skill,
        {pk: by_pk[pk] for pk in item_skill},
    )
    _BANKS[key] = result
    return result


def _replay(user: User, model: LearnerModel) -> tuple[Learner, int]:
    """The learner rebuilt from every recorded answer, in order (after a refit, or for a model
    whose state cannot be stored); O(answers)."""
    learner = model.new_learner(POLICY.mastery_threshold)
    rows = Answer.objects.filter(learner=user).order_by("at", "pk")
    n = 0
    for skill_id, item_id, correct, at in rows.values_list("skill_id", "item_id", "correct", "at"):
        learner.observe(skill_id, item_id, correct, at.timestamp())
        n += 1
    return learner, n


def learner_state(
    user: User, model: LearnerModel, fitted: FittedModel | None, *, lock: bool = False
) -> Learner:
    """The learner's engine state under the model in use: stored JSON when it belongs to this
    fitted model, else a replay of the learner's answers (stored for next time)."""
    return _learner_state(user, model, fitted, lock=lock)[0]


_UNREAD: Any = object()


def _learner_state(
    user: User,
    model: LearnerModel,
    fitted: FittedModel | None,
    *,
    lock: bool = False,
    row: LearnerModelState | None = _UNREAD,
) -> tuple[Learner, int]:
    """The learner's engine state and the number of answers it was stored after; ``row`` is
    the stored state when the caller has read it already (None: there is none)."""
    if row is _UNREAD:
        rows = LearnerModelState.objects.filter(learner=user)
        if lock:
            rows = rows.select_for_update()
        row = rows.first()
    fitted_id = fitted.pk if fitted is not None else None
    if row is not None and row.fitted_id == fitted_id:
        loaded = codec.learner_load(model, row.state, POLICY.mastery_threshold)
        if loaded is not None:
            return loaded, row.n_answers
    learner, n = _replay(user, model)
    learner_state_save(user, learner, fitted, n)
    return learner, n


def learner_state_save(user: User, learner: Learner, fitted: FittedModel | None, n: int) -> None:
    state = codec.learner_dump(learner)
    LearnerModelState.objects.update_or_create(
        learner=user,
        defaults={
            "fitted": fitted,
            "state": state if state is not None else {},
            "n_answers": n,
        },
    )


# ------------------------------------------------------------------ next item


class NotInClassError(AdaptiveError):
    """The person is not a learner in this class."""


def pending_in_class(*, user: User, classroom_id: int) -> Pending | None:
    """The learner's pending item in a class they belong to, with the class and its bank, in
    one query; None when there is none or the person is not a learner there."""
    found = (
        Pending.objects.filter(learner=user, classroom_id=classroom_id, classroom__learners=user)
        .select_related("classroom__bank")
        .order_by()
        .first()
    )
    if found is not None:
        _attach_item(found, practice_bank(found.classroom.bank))
    return found


def _attach_item(pending: Pending, bank: PracticeBank) -> None:
    """Give the pending row its item from the bank's cache (parsed once per process)."""
    item = bank.items.get(pending.item_id)
    if item is not None:
        pending.item = item


def _choose(
    *,
    user: User,
    classroom: Classroom,
    bank: PracticeBank,
    learner: Learner,
    test_out: int | None = None,
    just_answered: int | None = None,
) -> Recommendation:
    """Open assignments of the class first (earliest due first), then the policy."""
    now = time.time()
    rec: Recommendation | None = None
    if test_out is None:
        rec = assigned_choice(
            user=user,
            classroom=classroom,
            bank=bank,
            learner=learner,
            now=now,
            just_answered=just_answered,
        )
    if rec is None:
        rec = learner.recommend(bank.engine, POLICY, now, test_out=test_out)
    return rec


def _pending_values(rec: Recommendation) -> dict[str, Any]:
    return {
        "item_id": int(rec.item),  # type: ignore[arg-type]
        "kind": rec.kind,
        "reason": rec.reason,
        "numbers": {**rec.numbers, "skill": rec.skill},
        "hints_shown": 0,
    }


def next_item(
    *,
    user: User,
    classroom: Classroom,
    test_out: int | None = None,
    found: Pending | None = _UNREAD,
) -> Pending | None:
    """The item the learner is on (resume), else a new choice kept as pending: open assignments
    of the class first (earliest due first), then the policy (reviews, practice in the band).
    ``found``: the pending row when the caller has looked it up already (None: there is none).
    """
    bank = practice_bank(classroom.bank)
    if found is _UNREAD:
        found = Pending.objects.filter(learner=user, classroom=classroom).first()
    if found is not None and test_out is None:
        _attach_item(found, bank)
        return found
    model, fitted = current_model()
    learner = learner_state(user, model, fitted)
    rec = _choose(user=user, classroom=classroom, bank=bank, learner=learner, test_out=test_out)
    if rec.item is None:
        Pending.objects.filter(learner=user, classroom=classroom).delete()
        return None
    values = _pending_values(rec)
    row: Pending | None = None
    if found is None:
        # the usual case (the last item was answered): one INSERT. In autocommit a failed
        # INSERT leaves nothing behind, so no transaction (BEGIN and COMMIT are two more round
        # trips); inside a caller's transaction a savepoint keeps that transaction usable.
        try:
            if transaction.get_connection().in_atomic_block:
                with transaction.atomic():
                    row = Pending.objects.create(learner=user, classroom=classroom, **values)
            else:
                row = Pending.objects.create(learner=user, classroom=classroom, **values)
        except IntegrityError:  # a concurrent request of the same learner made one meanwhile
            row = None
    if row is None:
        row, _created = Pending.objects.update_or_create(
            learner=user, classroom=classroom, defaults=values
        )
    if row.item_id not in bank.items:
        return Pending.objects.select_related("item").get(pk=row.pk)
    _attach_item(row, bank)
    return row


def open_assignments(classroom: Classroom) -> list[Assignment]:
    """The class's assignments, earliest due first (no due date last), items prefetched."""
    rows = list(Assignment.objects.filter(classroom_id=classroom.pk).prefetch_related("items"))
    rows.sort(key=lambda a: (a.due is None, a.due or date.max, a.created_at, a.pk))
    return rows


def items_answered(user: User, assignments: list[Assignment]) -> dict[int, set[int]]:
    """Assignment pk -> the assigned items the learner has answered since it was assigned."""
    wanted = {a.pk: {i.pk for i in a.items.all()} for a in assignments if not a.skill_id}
    if not wanted:
        return {}
    since = min(a.created_at for a in assignments if a.pk in wanted)
    every = set().union(*wanted.values())
    answered: dict[int, list[datetime]] = {}
    for item_id, at in Answer.objects.filter(
        learner=user, item_id__in=every, at__gte=since
    ).values_list("item_id", "at"):
        answered.setdefault(item_id, []).append(at)
    by_pk = {a.pk: a for a in assignments}
    return {
        pk: {i for i in items if any(at >= by_pk[pk].created_at for at in answered.get(i, []))}
        for pk, items in wanted.items()
    }


def assigned_choice(
    *,
    user: User,
    classroom: Classroom,
    bank: PracticeBank,
    learner: Learner,
    now: float,
    just_answered: int | None = None,
) -> Recommendation | None:
    """The next item of the learner's first unfinished assignment, with its reason; None when
    every assignment is done (skill mastered, every item answered) or nothing is assigned.
    ``just_answered``: an item answered in the transaction being prepared (not stored yet)."""
    assignments = open_assignments(classroom)
    if not assignments:
        return None
    answered = items_answered(user, assignments)
    if just_answered is not None:
        for a in assignments:
            if not a.skill_id and any(i.pk == just_answered for i in a.items.all()):
                answered.setdefault(a.pk, set()).add(just_answered)
    threshold = POLICY.mastery_threshold
    for a in assignments:
        extra = {"assignment": float(a.pk)}
        if a.skill_id:
            if a.skill_id not in bank.engine.row or learner.mastery(a.skill_id) >= threshold:
                continue
            rec = learner.recommend(bank.engine, POLICY, now, test_out=a.skill_id)
            if rec.kind != "test-out" or rec.item is None:
                continue  # every item of the skill was just seen: let the policy fill in
            return Recommendation(
                rec.item,
                rec.skill,
                "assigned",
                f"assigned by the teacher ({a.title}); {rec.reason}",
                {**rec.numbers, **extra},
            )
        left = [
            i.pk
            for i in a.items.all()
            if i.pk in bank.item_skill and i.pk not in answered.get(a.pk, set())
        ]
        if not left:
            continue
        recent = set(list(getattr(learner, "recent_items", []))[-POLICY.no_repeat_window :])
        candidates = [i for i in left if i not in recent] or left
        skills = np.array(sorted({bank.item_skill[i] for i in candidates}), dtype=np.int64)
        success, mastery = learner.skill_state(skills)
        pos = {int(s): j for j, s in enumerate(skills)}
        low, high = POLICY.band
        centre = (low + high) / 2
        best = min(
            candidates,
            key=lambda i: (abs(float(success[pos[bank.item_skill[i]]]) - centre), i),
        )
        skill = bank.item_skill[best]
        p = float(success[pos[skill]])
        m = float(mastery[pos[skill]])
        total = len([i for i in a.items.all() if i.pk in bank.item_skill])
        numbers = {
            **extra,
            "mastery": m,
            "predicted_success": p,
            "band_low": low,
            "band_high": high,
            "threshold": threshold,
            "items_left": float(len(left)),
            "items_total": float(total),
        }
        reason = (
            f"assigned by the teacher ({a.title}): {len(left)} of {total} items left; "
            f"{bank.engine.name(skill)} at {m:.2f} mastery, item predicted {p:.2f} success"
        )
        return Recommendation(best, skill, "assigned", reason, numbers)
    return None


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

    home = records.learner_actor(user.pseudonym)["account"]["homePage"].rstrip("/")
    return records.learner_statement(
        actor_user_pseudonym=user.pseudonym,
        verb={"id": VERB_ANSWERED, "display": {"en-US": "answered"}},
        object={
            "objectType": "Activity",
            "id": home + reverse("catalogue:item", args=[item.bank.slug, item.identifier]),
            "definition": {
                "name": {item.language or "und": item.title or item.identifier},
                "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
            },
        },
        result={
            "success": correct,
            "response": response,
            "score": {"scaled": 1.0 if correct else 0.0},
        },
        timestamp=at,
        statement_id=uuid.uuid4(),
    )


@dataclass(frozen=True)
class Outcome:
    answer: Answer
    correct: bool
    correct_text: str
    feedback: str
    mastery_before: float
    skill: Skill


def _already_answered() -> AlreadyAnsweredError:
    return AlreadyAnsweredError(
        _("This item was already answered or was not offered to you; here is your next one.")
    )


def answer_submit(*, user: User, classroom: Classroom, item_id: int, response: str) -> Outcome:
    """Score and record one answer once, update the learner in O(1), emit its xAPI statement,
    and choose the learner's next item (see ``_answer``)."""
    # the learner's stored model state comes in the same query (learner -> its state)
    pending = (
        Pending.objects.filter(learner=user, classroom=classroom)
        .select_related("learner__learner_model_state")
        .order_by()
        .first()
    )
    return _answer(user, classroom, pending, item_id, response)


def answer_submit_in(*, user: User, classroom_id: int, item_id: int, response: str) -> Outcome:
    """``answer_submit`` for a class given by its id (the HTTP API): the membership check, the
    pending item, the class, its bank and the learner's stored state are one query. Raises
    NotInClassError when the person is not a learner in the class."""
    pending = (
        Pending.objects.filter(learner=user, classroom_id=classroom_id, classroom__learners=user)
        .select_related("classroom__bank", "learner__learner_model_state")
        .order_by()
        .first()
    )
    if pending is None:
        room = Classroom.objects.select_related("bank").filter(pk=classroom_id, learners=user)
        classroom = room.order_by().first()
        if classroom is None:
            raise NotInClassError(_("You are not a learner in this class."))
        return _answer(user, classroom, None, item_id, response)
    return _answer(user, pending.classroom, pending, item_id, response)


def _practice_commit_mode() -> None:
    """On PostgreSQL, unless the operator asks for durable commits, this transaction's commit
    does not wait for its WAL to reach the disk (ADR 0022): on this kind of machine one commit
    in a hundred waited 35-90 ms for the disk, most of a practice answer's slowest latencies.
    Atomicity is unchanged; a database crash can lose the last fraction of a second of answers.
    """
    connection = transaction.get_connection()
    if connection.vendor != "postgresql" or settings.EDUBRIDGE_PRACTICE_DURABLE_COMMIT:
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _answer(
    user: User, classroom: Classroom, pending: Pending | None, item_id: int, response: str
) -> Outcome:
    """Score and record one answer once, update the learner in O(1), emit its xAPI statement.

    The answer, the skill state, the statement and the pending item's change commit together;
    answering an item that is not the pending one (a double submit) is refused and stores nothing.
    The learner's next item is chosen here, from the state just computed, and kept as the
    pending one, so the next-item request that follows only reads it; when the choice would
    be the item just answered, nothing is kept and that request chooses.

    Reading and computing (scoring, the learner's update, the statement, the next choice)
    happen before the transaction, which on SQLite holds the database's only write lock while it
    lasts (other writers wait meanwhile, sleeping in SQLite's busy handler). The transaction
    only writes, and its writes check that nothing changed since the reads: the pending row is
    changed only while it still holds the answered item (a second submit of it changes nothing
    and is refused), and the learner's state is replaced only if it is still the one read (else
    it is read again under lock and the answer applied to it).
    """
    from edubridge.records import api as records

    if pending is None or pending.item_id != item_id:
        raise _already_answered()
    try:
        state_row: LearnerModelState | None = pending.learner.learner_model_state
    except LearnerModelState.DoesNotExist:
        state_row = None
    bank = practice_bank(classroom.bank)
    item = bank.items.get(pending.item_id) or pending.item
    correct = check_response(item, response)
    skill_id = bank.item_skill[item.pk]
    model, fitted = current_model()
    now = timezone.now()

    def observe(learner: Learner) -> tuple[float, float]:
        before = learner.mastery(skill_id)
        learner.observe(skill_id, item.pk, correct, now.timestamp())
        return before, learner.mastery(skill_id)

    def next_values(learner: Learner) -> dict[str, Any] | None:
        rec = _choose(
            user=user, classroom=classroom, bank=bank, learner=learner, just_answered=item.pk
        )
        if rec.item is None or int(rec.item) == item.pk:
            return None
        return _pending_values(rec)

    learner, seen = _learner_state(user, model, fitted, row=state_row)
    before, after = observe(learner)
    state = codec.learner_dump(learner) or {}
    coming = next_values(learner)
    statement = build_statement(
        user=user, item=item, correct=correct, response=response.strip(), at=now
    )
    with transaction.atomic():
        _practice_commit_mode()
        claim = Pending.objects.filter(pk=pending.pk, item_id=item_id)
        claimed = claim.update(**coming) if coming is not None else claim.delete()[0]
        if not claimed:
            raise _already_answered()
        stored = LearnerModelState.objects.filter(learner=user, n_answers=seen).update(
            fitted=fitted, state=state, n_answers=seen + 1
        )
        if not stored:  # the learner answered elsewhere meanwhile (another class)
            learner, seen = _learner_state(user, model, fitted, lock=True)
            before, after = observe(learner)
            LearnerModelState.objects.filter(learner=user).update(
                fitted=fitted,
                state=codec.learner_dump(learner) or {},
                n_answers=F("n_answers") + 1,
            )
            if coming is not None:  # chosen from a state that was not the newest: choose again
                Pending.objects.filter(pk=pending.pk).delete()
        new_state = {
            "known": after,
            "last_seen": now.timestamp(),
            "reviews_passed": getattr(learner, "reviews_passed", {}).get(skill_id, 0),
            "model": getattr(model, "name", ""),
        }
        # one UPDATE with the counters incremented in SQL; the first answer on a skill inserts
        updated = LearnerSkillState.objects.filter(learner=user, skill_id=skill_id).update(
            state=new_state,
            mastery=after,
            answers=F("answers") + 1,
            right=F("right") + int(correct),
            updated_at=now,
        )
        if not updated:
            LearnerSkillState.objects.create(
                learner=user,
                skill_id=skill_id,
                state=new_state,
                mastery=after,
                answers=1,
                right=int(correct),
                updated_at=now,
            )
        records.learner_statement_record(statement, new_id=True, actor_is_minor=user.is_minor)
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
    fb = item.data.get("feedback", {})
    feedback = fb.get("correct" if correct else "incorrect") or ""
    return Outcome(answer, correct, correct_text(item), feedback, before, bank.skills[skill_id])


# ------------------------------------------------------------------ classes and assignments


def practisable_banks() -> list[Bank]:
    """Published banks a class can practise (at least one supported item aligned to a skill)."""
    out = []
    for bank in Bank.objects.filter(status=BankStatus.PUBLISHED).order_by("title"):
        try:
            practice_bank(bank)
        except AdaptiveError:
            continue
        out.append(bank)
    return out


def learner_candidates() -> QuerySet[User]:
    """People who may be enrolled: users holding the learner role, by name."""
    return (
        User.objects.filter(role_assignments__role=Role.LEARNER.value, is_active=True)
        .select_related("organization")
        .order_by("last_name", "first_name", "username")
        .distinct()
    )


def _check_learners(learners: list[User]) -> None:
    allowed = set(learner_candidates().values_list("pk", flat=True))
    refused = [u.get_username() for u in learners if u.pk not in allowed]
    if refused:
        raise AdaptiveError(
            _("Only people with the learner role can be enrolled: %(names)s.")
            % {"names": ", ".join(refused)}
        )


def classroom_create(*, teacher: User, name: str, bank: Bank, learners: list[User]) -> Classroom:
    """A new class of ``teacher`` practising a published bank, with its first learners."""
    name = name.strip()
    if not name:
        raise AdaptiveError(_("A class needs a name."))
    if len(name) > 200:
        raise AdaptiveError(_("A class name has at most 200 characters."))
    if bank.status != BankStatus.PUBLISHED:
        raise AdaptiveError(_("Only a published resource can be practised."))
    practice_bank(bank)  # refuses a bank with nothing to practise
    _check_learners(learners)
    with transaction.atomic():
        classroom = Classroom.objects.create(teacher=teacher, name=name, bank=bank)
        classroom.learners.set(learners)
        audit_record(
            action="adaptive.class_created",
            actor=teacher,
            target=f"classroom:{classroom.pk}",
            details={"bank": bank.slug, "learners": len(learners)},
        )
    return classroom


def classroom_enrol(*, classroom: Classroom, by: User, add: list[User], remove: list[User]) -> None:
    """Enrol people with the learner role and take others out; their answers are kept."""
    _check_learners(add)
    with transaction.atomic():
        classroom.learners.add(*add)
        classroom.learners.remove(*remove)
        Pending.objects.filter(classroom=classroom, learner__in=remove).delete()
        audit_record(
            action="adaptive.class_enrolment",
            actor=by,
            target=f"classroom:{classroom.pk}",
            details={"added": len(add), "removed": len(remove)},
        )


def assignment_create(
    *,
    classroom: Classroom,
    by: User,
    skill_id: int | None = None,
    item_ids: list[int] | None = None,
    due: date | None = None,
    title: str = "",
    note: str = "",
) -> Assignment:
    """Assign one skill of the class's bank, or chosen items of it, to the whole class.

    Exactly one of ``skill_id`` and ``item_ids`` is given; items must belong to the class's bank
    and be practisable here. A due date in the past is refused."""
    bank = practice_bank(classroom.bank)
    item_ids = list(dict.fromkeys(item_ids or []))
    if (skill_id is None) == (not item_ids):
        raise AdaptiveError(_("Choose either one skill or some items to assign, not both."))
    if due is not None and due < timezone.localdate():
        raise AdaptiveError(_("The due date is in the past."))
    if skill_id is not None:
        if skill_id not in bank.skills:
            raise AdaptiveError(_("This skill is not practised with this class's resource."))
        default_title = bank.skills[skill_id].label
    else:
        unknown = [i for i in item_ids if i not in bank.item_skill]
        if unknown:
            raise AdaptiveError(
                _("%(n)d of the chosen items are not practisable items of this class's resource.")
                % {"n": len(unknown)}
            )
        default_title = _("%(n)d chosen items") % {"n": len(item_ids)}
    title = (title.strip() or default_title)[:300]
    with transaction.atomic():
        assignment = Assignment.objects.create(
            classroom=classroom,
            skill_id=skill_id,
            title=title,
            due=due,
            note=note[:2000],
            created_by=by,
        )
        if item_ids:
            assignment.items.set(item_ids)
        # learners waiting on an unassigned item get the assigned work next
        Pending.objects.filter(classroom=classroom).delete()
        audit_record(
            action="adaptive.assigned",
            actor=by,
            target=f"classroom:{classroom.pk}",
            details={"assignment": assignment.pk, "skill": skill_id, "items": len(item_ids)},
        )
    return assignment


def assignment_delete(*, assignment: Assignment, by: User) -> None:
    with transaction.atomic():
        audit_record(
            action="adaptive.assignment_removed",
            actor=by,
            target=f"classroom:{assignment.classroom_id}",
            details={"assignment": assignment.pk},
        )
        assignment.delete()


# ------------------------------------------------------------------ refit and model choice

#: Fewer learners than this and cross-validation means nothing: BKT with forgetting is kept.
MIN_LEARNERS_TO_SELECT = 6
FALLBACK_MODEL = "bkt-forget"
REFIT_ABANDONED = timedelta(hours=6)


def answer_log() -> tuple[ResponseLog, list[int]]:
    """Every recorded answer as an engine log (learner order, time order), and the user ids."""
    rows = Answer.objects.order_by("learner_id", "at", "pk").values_list(
        "learner_id", "skill_id", "correct"
    )
    sequences: dict[int, tuple[list[int], list[int]]] = {}
    for learner_id, skill_id, correct in rows.iterator(chunk_size=5000):
        seq = sequences.setdefault(learner_id, ([], []))
        seq[0].append(skill_id)
        seq[1].append(int(correct))
    return ResponseLog.from_sequences(list(sequences.values())), list(sequences)


def refit_start(*, by: User | None, enqueue: bool = True) -> RefitJob:
    """Queue a refit (one at a time: a queued or running one is returned instead). A job left
    queued or running for longer than REFIT_ABANDONED (a worker that died) is marked failed."""
    RefitJob.objects.filter(
        status__in=[RefitStatus.QUEUED, RefitStatus.RUNNING],
        created_at__lt=timezone.now() - REFIT_ABANDONED,
    ).update(
        status=RefitStatus.FAILED,
        error=_("abandoned: no task worker finished it within 6 hours"),
        finished_at=timezone.now(),
    )
    running = RefitJob.objects.filter(status__in=[RefitStatus.QUEUED, RefitStatus.RUNNING]).first()
    if running is not None:
        return running
    job = RefitJob.objects.create(created_by=by, stage=_("waiting for the task worker"))
    audit_record(action="adaptive.refit_queued", actor=by, target=f"refit:{job.pk}")
    if enqueue:
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from edubridge.adaptive.tasks import refit_task

    result = refit_task.enqueue(job_id)
    RefitJob.objects.filter(pk=job_id).update(task_id=str(result.id)[:100])


def _progress(job: RefitJob, stage: str, done: int, total: int) -> None:
    job.stage, job.done, job.total = stage[:200], done, total
    RefitJob.objects.filter(pk=job.pk).update(stage=job.stage, done=done, total=total)


def refit_run(job_id: int, *, min_answers: int = 50, folds: int = 3) -> RefitJob:
    """Cross-validate the candidate models on this node's answers, fit the chosen one on all of
    them, and re-score every learner under it. Progress and any failure are kept on the job; a
    failure leaves the model in use unchanged."""
    job = RefitJob.objects.get(pk=job_id)
    job.status = RefitStatus.RUNNING
    job.started_at = timezone.now()
    job.error = ""
    job.save(update_fields=["status", "started_at", "error"])
    try:
        fitted = _refit(job, min_answers=min_answers, folds=folds)
    except Exception as exc:
        job.status = RefitStatus.FAILED
        job.error = str(exc)[:2000] or exc.__class__.__name__
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        return job
    job.status = RefitStatus.DONE
    job.fitted = fitted
    job.finished_at = timezone.now()
    job.stage = _("done")
    job.done = job.total
    job.save(update_fields=["status", "fitted", "finished_at", "stage", "done"])
    return job


def _refit(job: RefitJob, *, min_answers: int, folds: int) -> FittedModel:
    from edubridge.engines.adaptive.evaluate import CANDIDATES
    from edubridge.engines.adaptive.selection import select_model

    log, user_ids = answer_log()
    total = 4
    _progress(job, _("reading %(n)d answers") % {"n": log.n_responses}, 0, total)
    if log.n_responses < min_answers:
        raise AdaptiveError(
            _("Only %(n)d answers recorded; at least %(min)d are needed to refit.")
            % {"n": log.n_responses, "min": min_answers}
        )
    names = [n for n in CANDIDATES if n in codec.MODEL_CLASSES]
    started = time.perf_counter()
    if log.n_learners >= max(MIN_LEARNERS_TO_SELECT, folds):
        _progress(
            job,
            _("cross-validating %(models)d models over %(folds)d learner folds")
            % {"models": len(names), "folds": folds},
            1,
            total,
        )
        record = select_model(log, names=names, folds=folds)
        chosen, reason, selection = record.chosen, record.reason, record.as_dict()
    else:
        chosen = FALLBACK_MODEL
        reason = (
            f"{chosen} kept without cross-validation: only {log.n_learners} learners have "
            f"answers, fewer than the {MIN_LEARNERS_TO_SELECT} needed for {folds} learner folds"
        )
        selection = {"chosen": chosen, "reason": reason, "folds": 0}
    selection["seconds"] = round(time.perf_counter() - started, 3)
    _progress(job, _("fitting %(model)s on every answer") % {"model": chosen}, 2, total)
    model = CANDIDATES[chosen](log)
    with transaction.atomic():
        fitted = FittedModel.objects.create(
            name=chosen,
            version=model.version,
            parameters=model.export_parameters(),
            n_responses=log.n_responses,
            n_learners=log.n_learners,
            source=_("answers recorded on this node"),
            reason=reason,
            selection=selection,
        )
    forget_fitted()
    _progress(job, _("updating every learner's state"), 3, total)
    learners_rescore(fitted=fitted, user_ids=user_ids)
    return fitted


def learners_rescore(*, fitted: FittedModel, user_ids: list[int]) -> None:
    """Replay each learner's answers under ``fitted`` and store the state and mastery per skill,
    so bars and heat maps use the chosen model at once (one learner per transaction)."""
    model = _model_from(fitted.pk)
    for user_id in user_ids:
        user = User.objects.get(pk=user_id)
        with transaction.atomic():
            learner, n = _replay(user, model)
            learner_state_save(user, learner, fitted, n)
            rows = list(LearnerSkillState.objects.select_for_update().filter(learner=user))
            for row in rows:
                row.mastery = float(learner.mastery(row.skill_id))
                row.state = {**row.state, "known": row.mastery, "model": fitted.name}
            LearnerSkillState.objects.bulk_update(rows, ["mastery", "state"])


def refit(*, min_answers: int = 50, by: User | None = None) -> FittedModel:
    """Run a refit now, in this process (the command line and tests); raises on failure."""
    job = refit_start(by=by, enqueue=False)
    job = refit_run(job.pk, min_answers=min_answers)
    fitted = job.fitted
    if job.status != RefitStatus.DONE or not isinstance(fitted, FittedModel):
        raise AdaptiveError(job.error)
    return fitted
