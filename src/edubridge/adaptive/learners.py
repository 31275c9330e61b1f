"""Learner models of this deployment: loading fitted parameters, and one learner's engine state
kept as JSON so the next item and each answer cost O(1) instead of a replay of every answer.

The engine's learner objects are plain dataclasses; their state is written here field by field.
A learner class this module does not know (a model added to the engine later) is rebuilt by
replaying the learner's answers, which is correct but O(answers) per request.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from typing import Any

from edubridge.engines.adaptive import features as feat
from edubridge.engines.adaptive.context import ContextState
from edubridge.engines.adaptive.interface import Learner, LearnerModel
from edubridge.engines.adaptive.models import (
    BKTLearner,
    BKTModel,
    ContextLearner,
    ContextLRModel,
    HistoryLearner,
    HistoryLRModel,
    PFALearner,
    PFAModel,
)

#: Exported ``model`` name -> the class that reads its parameters.
MODEL_CLASSES: dict[str, Any] = {
    "bkt": BKTModel,
    "bkt-forget": BKTModel,
    "pfa": PFAModel,
    "history-lr": HistoryLRModel,
    "context-lr": ContextLRModel,
}

CODEC_VERSION = 1


class UnknownModelError(ValueError):
    """The stored parameters name a model this code cannot load."""


def model_from_parameters(parameters: dict[str, Any]) -> LearnerModel:
    """The fitted model described by exported parameters (the engine checks the interface)."""
    name = str(parameters.get("model", ""))
    cls = MODEL_CLASSES.get(name)
    if cls is None:
        raise UnknownModelError(f"no learner model named {name!r} in this version of EduBridge")
    model: LearnerModel = cls.from_parameters(parameters)
    return model


def _common(learner: Any) -> dict[str, Any]:
    return {
        "recent": list(learner.recent_items),
        "last_seen": {str(k): v for k, v in learner.last_seen.items()},
        "reviews": {str(k): v for k, v in learner.reviews_passed.items()},
    }


def _restore_common(learner: Any, data: dict[str, Any]) -> None:
    learner.recent_items = deque(data.get("recent", []), maxlen=learner.recent_items.maxlen)
    learner.last_seen = {int(k): float(v) for k, v in data.get("last_seen", {}).items()}
    learner.reviews_passed = {int(k): int(v) for k, v in data.get("reviews", {}).items()}


_SKILL_FIELDS = [f.name for f in dataclasses.fields(feat.SkillHistory)]
_HISTORY_FIELDS = [f.name for f in dataclasses.fields(feat.HistoryState) if f.name != "skills"]


def _dump_bkt(learner: BKTLearner) -> dict[str, Any]:
    return {**_common(learner), "known": {str(k): v for k, v in learner.known.items()}}


def _load_bkt(learner: BKTLearner, data: dict[str, Any]) -> BKTLearner:
    _restore_common(learner, data)
    learner.known = {int(k): float(v) for k, v in data["known"].items()}
    return learner


def learner_dump(learner: Learner) -> dict[str, Any] | None:
    """The learner's whole state as JSON-able data, or None for a learner class not known here."""
    head = {"codec": CODEC_VERSION, "class": type(learner).__name__}
    if type(learner) is BKTLearner:
        return {**head, **_dump_bkt(learner)}
    if type(learner) is PFALearner:
        return {
            **head,
            **_common(learner),
            "counts": {str(k): list(v) for k, v in learner.counts.items()},
        }
    if type(learner) in (HistoryLearner, ContextLearner):
        assert isinstance(learner, HistoryLearner)
        h = learner.history
        out = {
            **head,
            **_common(learner),
            "bkt": _dump_bkt(learner.bkt),
            "history": {name: getattr(h, name) for name in _HISTORY_FIELDS},
            "skills": {str(k): [getattr(s, n) for n in _SKILL_FIELDS] for k, s in h.skills.items()},
            "skill_fields": _SKILL_FIELDS,
            "skill_logit": {str(k): v for k, v in learner.skill_logit.items()},
        }
        if isinstance(learner, ContextLearner):
            out["context"] = learner.context.to_dict()
        return out
    return None


def learner_load(model: LearnerModel, data: dict[str, Any], threshold: float) -> Learner | None:
    """A learner of ``model`` with the stored state, or None if the state does not fit it."""
    if not data or data.get("codec") != CODEC_VERSION:
        return None
    learner = model.new_learner(threshold)
    try:
        if type(learner).__name__ != data.get("class"):
            return None
        if isinstance(learner, BKTLearner):
            return _load_bkt(learner, data)
        if isinstance(learner, PFALearner):
            _restore_common(learner, data)
            learner.counts = {int(k): (float(v[0]), float(v[1])) for k, v in data["counts"].items()}
            return learner
        if isinstance(learner, HistoryLearner):
            if data.get("skill_fields") != _SKILL_FIELDS:
                return None
            _restore_common(learner, data)
            _load_bkt(learner.bkt, data["bkt"])
            history = feat.HistoryState(
                skills={
                    int(k): feat.SkillHistory(*[float(x) for x in v])
                    for k, v in data["skills"].items()
                },
                **data["history"],
            )
            learner.history = history
            learner.skill_logit = {int(k): float(v) for k, v in data["skill_logit"].items()}
            if isinstance(learner, ContextLearner):
                assert isinstance(model, ContextLRModel)
                learner.context = ContextState.from_dict(model.context, data["context"])
            return learner
    except (KeyError, TypeError, ValueError, IndexError):
        return None
    return None


def fresh_mastery(model: LearnerModel, skill: int, threshold: float) -> float:
    """Mastery of a learner who never practised ``skill`` (the model's prior)."""
    return float(model.new_learner(threshold).mastery(skill))
