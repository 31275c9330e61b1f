"""Demo class: the demo teacher's class on the en-US demo bank, with the demo learner and 20
simulated learners whose practice histories come from a seeded BKT simulation driven by the real
next-item policy; the learner model is chosen by cross-validation on those histories, and every
answer is also in the learning record store as an xAPI statement (so the LRS agrees with the
dashboards). Idempotent and fast."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from edubridge.accounts.models import User
from edubridge.adaptive import learners as codec
from edubridge.adaptive import services
from edubridge.adaptive.models import (
    Answer,
    Classroom,
    FittedModel,
    LearnerModelState,
    LearnerSkillState,
)
from edubridge.catalogue.models import Bank, Item
from edubridge.engines.adaptive.data import ResponseLog
from edubridge.engines.adaptive.evaluate import CANDIDATES
from edubridge.engines.adaptive.selection import select_model
from edubridge.records import api as records

STEPS = 1
DEMO_CLASS = "Grade 4 maths (Riverbend demo)"
BANK_SLUG = "en-math-g3-5-everyday"
SEED = 6
NAMES = [
    ("Amara", "Okafor"),
    ("Ben", "Hartley"),
    ("Chen", "Wu"),
    ("Dalia", "Haddad"),
    ("Eli", "Brooks"),
    ("Fatima", "Sesay"),
    ("Gus", "Lindqvist"),
    ("Hana", "Sato"),
    ("Ivan", "Petrov"),
    ("Jade", "Morales"),
    ("Kofi", "Mensah"),
    ("Lena", "Fischer"),
    ("Mateo", "Rossi"),
    ("Nia", "Campbell"),
    ("Omar", "Aziz"),
    ("Priya", "Nair"),
    ("Quinn", "Doyle"),
    ("Rosa", "Vega"),
    ("Sam", "Ng"),
    ("Tariq", "Rahman"),
]


def load(advance: Callable[[str], None]) -> list[tuple[str, str, str]]:
    teacher = User.objects.filter(username="teacher").first()
    bank = Bank.objects.filter(slug=BANK_SLUG).first()
    if teacher is None or bank is None or Classroom.objects.filter(name=DEMO_CLASS).exists():
        advance("adaptive demo class")
        return []
    with transaction.atomic():
        _build(teacher, bank)
    advance("adaptive demo class")
    return []


def _build(teacher: User, bank: Bank) -> None:
    pb = services.practice_bank(bank)
    rng = np.random.default_rng(SEED)
    learners = []
    for i, (first, last) in enumerate(NAMES):
        user, _ = User.objects.get_or_create(
            username=f"demo-sim-{i + 1:02d}",
            defaults={"first_name": first, "last_name": last, "organization": teacher.organization},
        )
        if user.has_usable_password():
            user.set_unusable_password()
            user.save(update_fields=["password"])
        learners.append(user)
    LearnerSkillState.objects.filter(learner__in=learners).delete()
    LearnerModelState.objects.filter(learner__in=learners).delete()
    Answer.objects.filter(learner__in=learners).delete()
    real = User.objects.filter(username="learner").first()
    classroom = Classroom.objects.create(name=DEMO_CLASS, teacher=teacher, bank=bank)
    classroom.learners.set(learners + ([real] if real else []))

    skills = sorted(pb.skills)
    truth = {
        s: {
            "prior": rng.uniform(0.05, 0.35),
            "learn": rng.uniform(0.06, 0.22),
            "guess": rng.uniform(0.12, 0.25),
            "slip": rng.uniform(0.05, 0.12),
        }
        for s in skills
    }
    chooser = services.default_model()
    start = timezone.now() - timedelta(days=21)
    histories: list[tuple[User, list[tuple[int, int, bool, float]]]] = []
    for user in learners:
        ability = rng.normal(0.0, 1.0)
        known = {
            s: rng.random() < min(0.9, truth[s]["prior"] * np.exp(0.6 * ability)) for s in skills
        }
        view = chooser.new_learner(services.POLICY.mastery_threshold)
        t = start.timestamp() + rng.uniform(0, 3 * 86400)
        history = []
        for n in range(int(rng.integers(40, 90))):
            rec = view.recommend(pb.engine, services.POLICY, t)
            if rec.item is None or rec.skill is None:
                break
            s = int(rec.skill)
            p = truth[s]
            right = bool(rng.random() < ((1 - p["slip"]) if known[s] else p["guess"]))
            if not known[s] and rng.random() < min(0.6, p["learn"] * np.exp(0.7 * ability)):
                known[s] = True
            view.observe(s, int(rec.item), right, t)
            history.append((int(rec.item), s, right, t))
            t += rng.uniform(40, 150) if n % 8 else rng.uniform(0.5, 2.5) * 86400
        histories.append((user, history))

    log = ResponseLog.from_sequences(
        [([s for _i, s, _r, _t in h], [int(r) for _i, _s, r, _t in h]) for _u, h in histories]
    )
    record = select_model(log, names=["bkt", "bkt-forget", "pfa"], folds=3, seed=SEED)
    model = CANDIDATES[record.chosen](log)
    selection = {**record.as_dict(), "seconds": 0.0}
    fitted = FittedModel.objects.create(
        name=record.chosen,
        version=model.version,
        parameters=model.export_parameters(),
        n_responses=log.n_responses,
        n_learners=log.n_learners,
        source=f"simulated demo histories, seed {SEED}",
        reason=record.reason + " (demo: history-lr left out to keep loading fast)",
        selection=selection,
    )
    services.forget_fitted()

    items = {
        i.pk: i for i in Item.objects.filter(pk__in=list(pb.item_skill)).select_related("bank")
    }
    answers: list[Answer] = []
    statements: list[dict[str, Any]] = []
    states: list[LearnerSkillState] = []
    model_states: list[LearnerModelState] = []
    now = timezone.now()
    for user, history in histories:
        learner = model.new_learner(services.POLICY.mastery_threshold)
        counts: dict[int, list[float]] = {}
        for item_id, s, right, t in history:
            at = datetime.fromtimestamp(min(t, now.timestamp()), tz=UTC)
            learner.observe(s, item_id, right, at.timestamp())
            c = counts.setdefault(s, [0, 0, 0])
            c[0] += 1
            c[1] += int(right)
            c[2] = at.timestamp()
            response = str(items[item_id].data["correct_response"]["values"][0]) if right else "0"
            statement = services.build_statement(
                user=user, item=items[item_id], correct=right, response=response, at=at
            )
            statements.append(statement)
            answers.append(
                Answer(
                    learner=user,
                    classroom=classroom,
                    item_id=item_id,
                    skill_id=s,
                    correct=right,
                    response=response,
                    mastery_after=learner.mastery(s),
                    reason="simulated demo history",
                    at=at,
                    statement=statement,
                    statement_sent=True,
                )
            )
        model_states.append(
            LearnerModelState(
                learner=user,
                fitted=fitted,
                state=codec.learner_dump(learner) or {},
                n_answers=len(history),
            )
        )
        for skill_id, (count, right_count, last_at) in counts.items():
            states.append(
                LearnerSkillState(
                    learner=user,
                    skill_id=skill_id,
                    state={
                        "known": learner.mastery(skill_id),
                        "last_seen": float(last_at),
                        "reviews_passed": getattr(learner, "reviews_passed", {}).get(skill_id, 0),
                        "model": fitted.name,
                    },
                    mastery=learner.mastery(skill_id),
                    answers=int(count),
                    right=int(right_count),
                    updated_at=datetime.fromtimestamp(last_at, tz=UTC),
                )
            )
    # One batch into the learning record store, in the demo's transaction: each answer once.
    records.statements_record(statements=statements)
    Answer.objects.bulk_create(answers, batch_size=500)
    LearnerSkillState.objects.bulk_create(states, batch_size=500)
    LearnerModelState.objects.bulk_create(model_states, batch_size=500)
