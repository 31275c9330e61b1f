"""The versioned learner-model interface and the model card, as plain data.

Two protocols keep population parameters apart from one learner's state:

* :class:`LearnerModel` – fitted parameters shared by all learners of a deployment: ``version``,
  ``export_parameters`` / ``from_parameters`` (plain JSON-able dicts), ``new_learner`` and a
  ``model_card``; ``predict_log`` scores a whole log for evaluation.
* :class:`Learner` – one learner's state: ``observe(skill, item, correct)`` in O(1), ``predict``,
  ``mastery``, ``recommend`` (delegating to :mod:`policy`) and ``explain``.

Skills are integer ids (the app maps its curriculum identifiers to stable integers per
deployment); items are any string or integer id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, Self, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from edubridge.engines.adaptive.data import ResponseLog

if TYPE_CHECKING:
    from edubridge.engines.adaptive.policy import ItemBank, PolicyConfig, Recommendation

#: Version of this interface; a model exports it with its parameters.
INTERFACE_VERSION = "1.0"

ItemId = str | int


@dataclass(frozen=True)
class ModelCard:
    """What a model is for, what it was fitted on, how well it did and where it fails."""

    name: str
    version: str
    intended_use: str
    data: str
    metrics: Mapping[str, float] = field(default_factory=dict)
    metrics_by_group: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    limits: Sequence[str] = ()

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["metrics"] = dict(self.metrics)
        out["metrics_by_group"] = {k: dict(v) for k, v in self.metrics_by_group.items()}
        out["limits"] = list(self.limits)
        return out


@runtime_checkable
class Learner(Protocol):
    """One learner's knowledge state under one model."""

    def observe(self, skill: int, item: ItemId, correct: bool, at: float | None = None) -> None:
        """Fold in one answer (``at``: seconds since the epoch, from the caller's clock)."""
        ...

    def predict(self, skill: int, item: ItemId | None = None) -> float:
        """P(right) on the next answer to ``skill`` (``item`` adds its difficulty if known)."""
        ...

    def mastery(self, skill: int) -> float:
        """P(skill known) now, the quantity compared with the mastery threshold."""
        ...

    def skill_state(self, skills: NDArray[np.int64]) -> tuple[NDArray[np.float64], ...]:
        """(P(right), mastery) for many skills at once, for the next-item policy."""
        ...

    def recommend(
        self, bank: ItemBank, config: PolicyConfig, now: float, test_out: int | None = None
    ) -> Recommendation:
        """The next item and why."""
        ...

    def explain(self, skill: int) -> str:
        """The learner's state on ``skill`` in words and numbers."""
        ...


@runtime_checkable
class LearnerModel(Protocol):
    """Fitted population parameters of one learner model."""

    name: str
    version: str

    def new_learner(self, mastery_threshold: float = 0.95) -> Learner: ...

    def predict_log(self, log: ResponseLog) -> NDArray[np.float64]:
        """P(right) for every response of ``log`` from that learner's earlier answers only."""
        ...

    def export_parameters(self) -> dict[str, Any]: ...

    @classmethod
    def from_parameters(cls, data: dict[str, Any]) -> Self: ...

    def model_card(self) -> ModelCard: ...
