"""The learner models: BKT (with or without forgetting), PFA and the history-logistic model.

Each model fits on a :class:`ResponseLog`, scores a log from earlier answers only
(``predict_log``) and makes :class:`Learner` objects that update in O(1) per answer.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any, Self

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit

from edubridge.engines.adaptive import features as feat
from edubridge.engines.adaptive.bkt import (
    PARAM_NAMES,
    BKTConfig,
    BKTParameters,
    bkt_predict,
    bkt_trace,
    bkt_update,
    fit_bkt,
)
from edubridge.engines.adaptive.context import ContextState, ContextWeights, fit_context
from edubridge.engines.adaptive.context import layout as context_layout
from edubridge.engines.adaptive.data import ResponseLog
from edubridge.engines.adaptive.interface import INTERFACE_VERSION, ItemId, ModelCard
from edubridge.engines.adaptive.logistic import LogisticFit, fit_logistic
from edubridge.engines.adaptive.policy import ItemBank, PolicyConfig, Recommendation, recommend

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


class ParameterError(ValueError):
    """Exported parameters do not belong to this model or interface version."""


def _check_header(data: dict[str, Any], model: str) -> None:
    """Refuse parameters of another model or of an incompatible interface major version."""
    if data.get("model") != model:
        raise ParameterError(f"parameters are for {data.get('model')!r}, not {model!r}")
    if str(data.get("interface_version", "")).split(".")[0] != INTERFACE_VERSION.split(".")[0]:
        raise ParameterError(f"interface version {data.get('interface_version')!r} unsupported")


@dataclass
class _LearnerBase(ABC):
    """Bookkeeping shared by all learners: recent items and spacing history."""

    mastery_threshold: float = 0.95
    recent_items: deque[ItemId] = field(default_factory=lambda: deque(maxlen=20))
    last_seen: dict[int, float] = field(default_factory=dict)
    reviews_passed: dict[int, int] = field(default_factory=dict)

    def _book(
        self, skill: int, item: ItemId, correct: bool, at: float | None, before: float
    ) -> None:
        self.recent_items.append(item)
        if at is not None:
            self.last_seen[skill] = at
        if before >= self.mastery_threshold:
            # a right answer while mastered stretches the next review interval; a wrong one resets
            self.reviews_passed[skill] = self.reviews_passed.get(skill, 0) + 1 if correct else 0

    @abstractmethod
    def skill_state(self, skills: IntArray) -> tuple[FloatArray, FloatArray]:
        """Mastery and predicted success per skill; each learner model defines it."""

    def recommend(
        self, bank: ItemBank, config: PolicyConfig, now: float, test_out: int | None = None
    ) -> Recommendation:
        return recommend(
            self,  # type: ignore[arg-type]
            bank,
            config,
            now,
            list(self.recent_items),
            self.last_seen,
            self.reviews_passed,
            test_out,
        )


# --------------------------------------------------------------------------------------- BKT


@dataclass
class _BKTFast:
    """P(known) by parameter row (``has`` marks rows with an answer); ``extra`` holds skills
    the fit never saw, which all share the pooled row."""

    value: FloatArray
    has: NDArray[np.bool_]
    extra: dict[int, float]

    @staticmethod
    def empty(n_rows: int) -> _BKTFast:
        return _BKTFast(np.zeros(n_rows + 1), np.zeros(n_rows + 1, dtype=bool), {})

    def set(self, model: BKTModel, skill: int, value: float) -> None:
        row = model._index.get(skill)
        if row is None:
            self.extra[skill] = value
        else:
            self.value[row] = value
            self.has[row] = True


@dataclass
class BKTLearner(_LearnerBase):
    """P(known) per skill; one Bayes step plus a transition per answer."""

    model: BKTModel = field(kw_only=True)
    known: dict[int, float] = field(default_factory=dict)
    #: ``known`` laid out by the model's parameter rows, for the all-skills prediction; derived,
    #: rebuilt when ``known`` or ``model`` is replaced, updated in place by :meth:`observe`.
    _fast: _BKTFast | None = field(default=None, init=False, repr=False, compare=False)

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        if name in ("known", "model"):
            super().__setattr__("_fast", None)

    def _params(self, skill: int) -> dict[str, float]:
        return self.model.skill_params(skill)

    def mastery(self, skill: int) -> float:
        return self.known.get(skill, self._params(skill)["prior"])

    def predict(self, skill: int, item: ItemId | None = None) -> float:
        return bkt_predict(self.mastery(skill), self._params(skill))

    def observe(self, skill: int, item: ItemId, correct: bool, at: float | None = None) -> None:
        before = self.mastery(skill)
        value = bkt_update(before, correct, self._params(skill))
        self.known[skill] = value
        if self._fast is not None:
            self._fast.set(self.model, skill, value)
        self._book(skill, item, correct, at, before)

    def fast(self) -> _BKTFast:
        """The row layout of ``known`` (built on first use after a replacement)."""
        if self._fast is None:
            fast = _BKTFast.empty(len(self.model.params.skills))
            for skill, value in self.known.items():
                fast.set(self.model, skill, value)
            super().__setattr__("_fast", fast)
            return fast
        return self._fast

    def skill_state(self, skills: IntArray) -> tuple[FloatArray, FloatArray]:
        rows, pos = self.model.rows_for(skills)
        fast = self.fast()
        prior = self.model._table["prior"][rows]
        k = np.where(fast.has[rows], fast.value[rows], prior)
        for skill, value in fast.extra.items():  # skills the fit never saw (pooled row)
            i = pos.get(skill)
            if i is not None:
                k[i] = value
        guess = self.model._table["guess"][rows]
        slip = self.model._table["slip"][rows]
        return k * (1.0 - slip) + (1.0 - k) * guess, k

    def explain(self, skill: int) -> str:
        p = self._params(skill)
        return (
            f"skill {skill}: P(known) {self.mastery(skill):.2f}, next answer predicted "
            f"{self.predict(skill):.2f} right (guess {p['guess']:.2f}, slip {p['slip']:.2f}, "
            f"learn {p['learn']:.2f}, forget {p['forget']:.2f})"
        )


class BKTModel:
    """Per-skill BKT; ``forgets`` selects BKT+forgetting."""

    version = f"bkt-{INTERFACE_VERSION}"

    def __init__(self, params: BKTParameters, config: BKTConfig) -> None:
        self.params = params
        self.config = config
        self.name = "bkt-forget" if config.forgets else "bkt"
        self._index = params.index()
        self._cache: dict[bytes, tuple[IntArray, dict[int, int]]] = {}
        self._table = {n: np.r_[params.values[n], params.pooled[n]] for n in PARAM_NAMES}
        self.metrics: dict[str, float] = {}

    @classmethod
    def fit(cls, log: ResponseLog, config: BKTConfig | None = None) -> Self:
        config = config or BKTConfig()
        return cls(fit_bkt(log, config), config)

    def skill_params(self, skill: int) -> dict[str, float]:
        i = self._index.get(skill, len(self.params.skills))
        return {n: float(self._table[n][i]) for n in PARAM_NAMES}

    def rows_for(self, skills: IntArray) -> tuple[IntArray, dict[int, int]]:
        key = skills.tobytes()
        hit = self._cache.get(key)
        if hit is None:
            missing = len(self.params.skills)
            rows = np.array([self._index.get(int(s), missing) for s in skills], dtype=np.int64)
            hit = (rows, {int(s): i for i, s in enumerate(skills)})
            self._cache[key] = hit
        return hit

    def gathered(self, rows: IntArray) -> dict[str, FloatArray]:
        return {n: self._table[n][rows] for n in PARAM_NAMES}

    def new_learner(self, mastery_threshold: float = 0.95) -> BKTLearner:
        return BKTLearner(mastery_threshold=mastery_threshold, model=self)

    def predict_log(self, log: ResponseLog) -> FloatArray:
        return bkt_trace(self.params, log)[0]

    def export_parameters(self) -> dict[str, Any]:
        return {
            "model": self.name,
            "interface_version": INTERFACE_VERSION,
            "version": self.version,
            "config": {
                "forgets": self.config.forgets,
                "restarts": self.config.restarts,
                "max_iter": self.config.max_iter,
                "prior_strength": self.config.prior_strength,
                "seed": self.config.seed,
            },
            "bkt": self.params.to_dict(),
        }

    @classmethod
    def from_parameters(cls, data: dict[str, Any]) -> Self:
        _check_header(data, "bkt-forget" if data.get("config", {}).get("forgets") else "bkt")
        c = data["config"]
        config = BKTConfig(
            forgets=bool(c["forgets"]),
            restarts=int(c["restarts"]),
            max_iter=int(c["max_iter"]),
            prior_strength=float(c["prior_strength"]),
            seed=int(c["seed"]),
        )
        return cls(BKTParameters.from_dict(data["bkt"]), config)

    def model_card(self) -> ModelCard:
        return ModelCard(
            name=self.name,
            version=self.version,
            intended_use=(
                "Estimate per-skill mastery (P(known)) of a learner practising items tagged with "
                "one skill each; drives mastery bars and the mastery threshold of the policy."
            ),
            data=(
                f"fitted on {sum(self.params.n_responses.values())} responses over "
                f"{len(self.params.skills)} skills"
            ),
            metrics=dict(self.metrics),
            limits=(
                "one skill per item; multi-skill items must be split by the caller",
                "no item difficulty: all items of a skill are alike",
                "guess and slip are capped at 0.30 to avoid degenerate fits",
                "unseen skills use pooled parameters until refitted",
                "not validated for high-stakes decisions (grading, placement)",
            ),
        )


# -------------------------------------------------------------------------- history-logistic


@dataclass
class HistoryLearner(_LearnerBase):
    """BKT mastery plus the history counters of :class:`features.HistoryState`."""

    model: HistoryLRModel = field(kw_only=True)
    bkt: BKTLearner = field(kw_only=True)
    history: feat.HistoryState = field(default_factory=feat.HistoryState)
    skill_logit: dict[int, float] = field(default_factory=dict)
    #: Derived from the fields above for the all-skills prediction (rebuilt when one of them
    #: is replaced, kept up to date by :meth:`observe`).
    _fast: _HistoryFast | None = field(default=None, init=False, repr=False, compare=False)

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        if name in ("model", "bkt", "history", "skill_logit"):
            super().__setattr__("_fast", None)

    def mastery(self, skill: int) -> float:
        return self.bkt.mastery(skill)

    def _logit(self, skill: int) -> float:
        raw = self.history.raw_for(skill, self.bkt.predict(skill), self.bkt.mastery(skill))
        return float(self.model.logit_rows({k: np.array([v]) for k, v in raw.items()}, [skill])[0])

    def predict(self, skill: int, item: ItemId | None = None) -> float:
        return float(expit(self._logit(skill)))

    def observe(self, skill: int, item: ItemId, correct: bool, at: float | None = None) -> None:
        before = self.bkt.mastery(skill)
        self.bkt.observe(skill, item, correct, at)
        self.history.observe(skill, correct, self.model.base_rate(skill))
        value, shift, exact = self.model.after_answer(self.history, self.bkt, skill)
        self.skill_logit[skill] = value
        fast = self._fast
        if fast is not None:
            # constant work per answer: one skill's entry and the two learner-wide numbers
            # (the skill just answered is now the previous skill, so ``exact`` is its logit)
            fast.set(self.model, skill, value, self.history.skills[skill].last_pos)
            fast.shift, fast.prev_logit = shift, exact
            fast.n = self.history.n
            fast.bkt_fast = self.bkt.fast()
        self._book(skill, item, correct, at, before)

    def fast(self) -> _HistoryFast:
        """The derived all-skills layout (built on first use after a replacement)."""
        fast = self._fast
        if fast is None:
            fast = _HistoryFast.empty(len(self.model.skills))
            for skill, value in self.skill_logit.items():
                fast.set(self.model, skill, value, self.history.skills[skill].last_pos)
            fast.refresh(self)
            super().__setattr__("_fast", fast)
        elif fast.bkt_fast is not self.bkt._fast or fast.n != self.history.n:
            fast.refresh(self)  # the BKT state or the history changed behind our back
        return fast

    def skill_state(self, skills: IntArray) -> tuple[FloatArray, FloatArray]:
        """All skills at once: cached per-skill parts + one learner-wide shift (separable)."""
        z, mastery = self._skill_logits(skills)
        return np.asarray(expit(z), dtype=np.float64), mastery

    def _skill_logits(self, skills: IntArray) -> tuple[FloatArray, FloatArray]:
        rows, pos = self.model.bkt.rows_for(skills)
        fast = self.fast()
        # the only skill column that moves without an answer on the skill is the gap since it
        # was last seen (cached at gap 1); correct it, then add the learner-wide shift
        gap_w = self.model.gap_weight
        now = self.history.n
        seen = fast.has[rows]
        gap = np.maximum(now - fast.last_pos[rows], 0.0)
        z = np.where(
            seen,
            fast.value[rows] + gap_w * (np.log1p(gap) - _LOG2),
            self.model.default_logit[rows],
        )
        for skill, (value, last) in fast.extra.items():  # skills the fit never saw
            i = pos.get(skill)
            if i is not None:
                z[i] = value + gap_w * (math.log1p(now - last) - _LOG2)
        z += fast.shift
        prev = self.history.prev_skill
        if prev is not None and prev in pos:
            z[pos[prev]] = fast.prev_logit  # exact, without a subclass's extra terms
        _, mastery = self.bkt.skill_state(skills)
        return z, mastery

    def explain(self, skill: int) -> str:
        raw = self.history.raw_for(skill, 0.0, 0.0)
        return (
            f"skill {skill}: P(known) {self.mastery(skill):.2f}, next answer predicted "
            f"{self.predict(skill):.2f} right; {int(raw['s_c'])} right and "
            f"{int(raw['s_n'] - raw['s_c'])} wrong on this skill, "
            f"{int(self.history.c)}/{int(self.history.n)} right overall"
        )


_LOG2 = math.log(2.0)


@dataclass
class _HistoryFast:
    """Per parameter row: the cached skill logit and when the skill was last answered; plus the
    learner-wide shift and the exact logit of the skill just answered, both as of ``n``."""

    value: FloatArray
    last_pos: FloatArray
    has: NDArray[np.bool_]
    extra: dict[int, tuple[float, float]]
    shift: float = 0.0
    prev_logit: float = 0.0
    n: float = -1.0
    bkt_fast: object = None

    @staticmethod
    def empty(n_rows: int) -> _HistoryFast:
        return _HistoryFast(
            np.zeros(n_rows + 1), np.zeros(n_rows + 1), np.zeros(n_rows + 1, dtype=bool), {}
        )

    def set(self, model: HistoryLRModel, skill: int, value: float, last_pos: float) -> None:
        row = model._row.get(skill)
        if row is None:
            self.extra[skill] = (value, last_pos)
        else:
            self.value[row] = value
            self.last_pos[row] = last_pos
            self.has[row] = True

    def refresh(self, learner: HistoryLearner) -> None:
        self.shift = learner.model.learner_shift(learner.history)
        prev = learner.history.prev_skill
        self.prev_logit = HistoryLearner._logit(learner, prev) if prev is not None else 0.0
        self.n = learner.history.n
        self.bkt_fast = learner.bkt.fast()


#: Columns of :data:`features.FEATURE_NAMES` that depend on the learner only, and those that
#: depend on whether the skill is the one just answered; all others depend on the skill only.
_LEARNER_COLUMNS = frozenset(
    {
        "log_learner_successes",
        "log_learner_failures",
        "logit_learner_rate",
        "logit_learner_recent_rate_slow",
        "logit_learner_recent_rate_fast",
        "prev_answer_right",
        "prev_answer_wrong",
        "log_skills_seen",
        "logit_first_attempt_rate",
        "learner_residual_sum",
        "learner_residual_mean",
        "learner_residual_recent",
        "learner_residual_longterm",
        "log_runs_so_far",
    }
)


@dataclass(frozen=True)
class HistoryConfig:
    """Fit options of the history-logistic model (chosen in ADR 0011)."""

    bkt: BKTConfig = field(default_factory=lambda: BKTConfig(forgets=True, restarts=1, max_iter=10))
    l2: float = 1.0
    max_iter: int = 25
    max_rows: int = 250_000
    seed: int = 0


class HistoryLRModel:
    """PFA-family logistic regression on a learner's earlier answers, with BKT as a feature."""

    name = "history-lr"
    version = f"history-lr-{INTERFACE_VERSION}"
    #: The dense feature columns and those among them that depend on the learner only;
    #: a subclass with more columns overrides both and :meth:`_assemble`.
    feature_names: tuple[str, ...] = feat.FEATURE_NAMES
    learner_columns: frozenset[str] = _LEARNER_COLUMNS

    @staticmethod
    def _assemble(raw: dict[str, FloatArray]) -> FloatArray:
        return feat.assemble(raw)

    def __init__(
        self,
        bkt: BKTModel,
        skill_rate: dict[int, float],
        global_rate: float,
        lr: LogisticFit,
        config: HistoryConfig,
    ) -> None:
        self.bkt = bkt
        self.skill_rate = skill_rate
        self.global_rate = global_rate
        self.lr = lr
        self.config = config
        self.skills = list(bkt.params.skills)
        self._row = {s: i for i, s in enumerate(self.skills)}
        self.metrics: dict[str, float] = {}
        learner_mask = np.array([n in self.learner_columns for n in self.feature_names])
        self._learner_w = np.where(learner_mask, lr.dense / lr.scale, 0.0)
        gap_col = self.feature_names.index("log_answers_since_skill_last_seen")
        self.gap_weight = float(lr.dense[gap_col] / lr.scale[gap_col])
        self._reference = feat.HistoryState()
        fresh_row = self._assemble(
            {k: np.array([v]) for k, v in self._reference.raw_for(-2, 0.5, 0.5).items()}
        )[0]
        self._fresh_shift = float(fresh_row @ self._learner_w)
        # logit of every known skill (plus the pooled one) for a learner with no history
        fresh = feat.HistoryState()
        k = np.r_[bkt.params.values["prior"], bkt.params.pooled["prior"]]
        table = bkt.gathered(np.arange(len(self.skills) + 1))
        p = k * (1 - table["slip"]) + (1 - k) * table["guess"]
        raws = [fresh.raw_for(-1, float(p[i]), float(k[i])) for i in range(len(k))]
        stacked = {f: np.array([r[f] for r in raws]) for f in feat.RAW_FIELDS}
        self.default_logit = self.logit_rows(stacked, [*self.skills, -1])

    def base_rate(self, skill: int) -> float:
        return self.skill_rate.get(skill, self.global_rate)

    def logit_rows(self, raw: dict[str, FloatArray], skills: Sequence[int]) -> FloatArray:
        x = self._assemble(raw)
        rows = np.array([self._row.get(s, -1) for s in skills], dtype=np.int64)
        return self.lr.logit(x, rows, np.log1p(raw["s_c"]), np.log1p(raw["s_n"] - raw["s_c"]))

    def learner_shift(self, history: feat.HistoryState) -> float:
        """Learner-wide part of the logit relative to a fresh learner (skill columns cancel)."""
        actual = self._assemble(
            {k: np.array([v]) for k, v in history.raw_for(-2, 0.5, 0.5).items()}
        )[0]
        return float(actual @ self._learner_w) - self._fresh_shift

    def after_answer(
        self, history: feat.HistoryState, bkt: BKTLearner, skill: int
    ) -> tuple[float, float, float]:
        """Right after an answer on ``skill``: its :meth:`reference_logit`, the
        :meth:`learner_shift` and its exact logit, from one three-row feature assembly."""
        exact = history.raw_for(skill, bkt.predict(skill), bkt.mastery(skill))
        reference = dict(exact)
        fresh = self._reference.raw_for(skill, 0.0, 0.0)
        for name in feat.RAW_FIELDS:
            if name.startswith("l_"):
                reference[name] = fresh[name]
        shift = history.raw_for(-2, 0.5, 0.5)
        stacked = {k: np.array([reference[k], exact[k], shift[k]]) for k in feat.RAW_FIELDS}
        x = self._assemble(stacked)
        row = self._row.get(skill, -1)
        s_c, s_n = stacked["s_c"][:2], stacked["s_n"][:2]
        z = self.lr.logit(
            x[:2], np.array([row, row], dtype=np.int64), np.log1p(s_c), np.log1p(s_n - s_c)
        )
        learner = float(x[2] @ self._learner_w) - self._fresh_shift
        return float(z[0]), learner, float(z[1])

    def reference_logit(self, history: feat.HistoryState, bkt: BKTLearner, skill: int) -> float:
        """Logit of ``skill`` with the learner-wide columns of a fresh learner."""
        raw = history.raw_for(skill, bkt.predict(skill), bkt.mastery(skill))
        fresh = self._reference.raw_for(skill, 0.0, 0.0)
        for name in feat.RAW_FIELDS:
            if name.startswith("l_"):
                raw[name] = fresh[name]
        return float(self.logit_rows({k: np.array([v]) for k, v in raw.items()}, [skill])[0])

    @classmethod
    def fit(cls, log: ResponseLog, config: HistoryConfig | None = None) -> Self:
        config = config or HistoryConfig()
        bkt, skill_rate, global_rate, lr, _, _ = cls._fit_parts(log, config)
        return cls(bkt, skill_rate, global_rate, lr, config)

    @classmethod
    def _fit_parts(
        cls, log: ResponseLog, config: HistoryConfig
    ) -> tuple[
        BKTModel, dict[int, float], float, LogisticFit, dict[str, FloatArray], FloatArray | None
    ]:
        """BKT, skill rates and the logistic fit; also the raw history of ``log`` and, when the
        logistic step used every row, its linear predictor on them (else None)."""
        bkt = BKTModel.fit(log, config.bkt)
        skills, idx = np.unique(log.skill, return_inverse=True)
        rate = np.bincount(idx, weights=log.correct) / np.bincount(idx)
        skill_rate = {int(s): float(r) for s, r in zip(skills, rate, strict=True)}
        global_rate = float(log.correct.mean())
        p, k = bkt_trace(bkt.params, log)
        raw = feat.history_raw(log, p, k, rate[idx])
        rows = np.searchsorted(np.array(bkt.params.skills), log.skill)
        chosen = np.arange(log.n_responses)
        if log.n_responses > config.max_rows:
            rng = np.random.default_rng(config.seed)
            chosen = np.sort(rng.choice(log.n_responses, config.max_rows, replace=False))
        x = cls._assemble({name: values[chosen] for name, values in raw.items()})
        lr = fit_logistic(
            x,
            log.correct[chosen].astype(np.float64),
            rows[chosen],
            np.log1p(raw["s_c"][chosen]),
            np.log1p(raw["s_n"][chosen] - raw["s_c"][chosen]),
            len(bkt.params.skills),
            l2=config.l2,
            max_iter=config.max_iter,
        )
        z = None
        if chosen.shape[0] == log.n_responses:
            z = lr.logit(x, rows, np.log1p(raw["s_c"]), np.log1p(raw["s_n"] - raw["s_c"]))
        return bkt, skill_rate, global_rate, lr, raw, z

    def predict_log(self, log: ResponseLog) -> FloatArray:
        z, _ = self._predict_logit(log)
        return np.asarray(expit(z), dtype=np.float64)

    def _predict_logit(self, log: ResponseLog) -> tuple[FloatArray, IntArray]:
        """Logit of every response of ``log`` and its skill row (-1: skill unseen in fit)."""
        base = np.array([self.base_rate(int(s)) for s in np.unique(log.skill)])
        base_of = base[np.searchsorted(np.unique(log.skill), log.skill)]
        x, raw = _design(self.bkt, log, base_of, self._assemble)
        known = np.array(self.skills, dtype=np.int64)
        rows = np.searchsorted(known, log.skill)
        rows = np.where(
            (rows < len(known)) & (known[np.minimum(rows, len(known) - 1)] == log.skill), rows, -1
        )
        z = self.lr.logit(x, rows, np.log1p(raw["s_c"]), np.log1p(raw["s_n"] - raw["s_c"]))
        return z, rows

    def new_learner(self, mastery_threshold: float = 0.95) -> HistoryLearner:
        return HistoryLearner(
            mastery_threshold=mastery_threshold,
            model=self,
            bkt=self.bkt.new_learner(mastery_threshold),
        )

    def export_parameters(self) -> dict[str, Any]:
        return {
            "model": self.name,
            "interface_version": INTERFACE_VERSION,
            "version": self.version,
            "features": list(self.feature_names),
            "bkt": self.bkt.export_parameters(),
            "skill_rate": {str(k): v for k, v in self.skill_rate.items()},
            "global_rate": self.global_rate,
            "logistic": self.lr.to_dict(),
            "config": {
                "l2": self.config.l2,
                "max_iter": self.config.max_iter,
                "max_rows": self.config.max_rows,
                "seed": self.config.seed,
            },
        }

    @classmethod
    def from_parameters(cls, data: dict[str, Any]) -> Self:
        _check_header(data, cls.name)
        if list(data["features"]) != list(cls.feature_names):
            raise ParameterError("feature list differs from this code's; refit the model")
        bkt = BKTModel.from_parameters(data["bkt"])
        c = data["config"]
        config = HistoryConfig(
            bkt=bkt.config,
            l2=float(c["l2"]),
            max_iter=int(c["max_iter"]),
            max_rows=int(c["max_rows"]),
            seed=int(c["seed"]),
        )
        return cls(
            bkt,
            {int(k): float(v) for k, v in data["skill_rate"].items()},
            float(data["global_rate"]),
            LogisticFit.from_dict(data["logistic"]),
            config,
            **cls._extra_from_parameters(data),
        )

    @classmethod
    def _extra_from_parameters(cls, data: dict[str, Any]) -> dict[str, Any]:
        """Constructor arguments a subclass adds (none here)."""
        return {}

    def model_card(self) -> ModelCard:
        return ModelCard(
            name=self.name,
            version=self.version,
            intended_use=(
                "Predict whether a learner's next answer on a skill will be right, to keep "
                "practice inside the target success band; mastery bars use its BKT component."
            ),
            data=(
                f"fitted on {sum(self.bkt.params.n_responses.values())} responses over "
                f"{len(self.skills)} skills (at most {self.config.max_rows} rows for the "
                "logistic step)"
            ),
            metrics=dict(self.metrics),
            limits=(
                "features use answer order, not clock time: long breaks are not modelled",
                "learner-wide features carry ability across skills; a learner with no history "
                "gets the population average",
                "skills unseen in training fall back to pooled BKT and no per-skill terms",
                "probabilities are calibrated on the training population only",
                "not validated for high-stakes decisions (grading, placement)",
            ),
        )


# ------------------------------------------------------------------------------------- PFA


@dataclass
class PFALearner(_LearnerBase):
    """Right and wrong counts per skill; PFA has no latent mastery, so mastery = P(right)."""

    model: PFAModel = field(kw_only=True)
    counts: dict[int, tuple[float, float]] = field(default_factory=dict)

    def predict(self, skill: int, item: ItemId | None = None) -> float:
        right, wrong = self.counts.get(skill, (0.0, 0.0))
        return float(
            expit(self.model.logit(np.array([skill]), np.array([right]), np.array([wrong]))[0])
        )

    def mastery(self, skill: int) -> float:
        return self.predict(skill)

    def observe(self, skill: int, item: ItemId, correct: bool, at: float | None = None) -> None:
        before = self.mastery(skill)
        right, wrong = self.counts.get(skill, (0.0, 0.0))
        self.counts[skill] = (right + 1.0, wrong) if correct else (right, wrong + 1.0)
        self._book(skill, item, correct, at, before)

    def skill_state(self, skills: IntArray) -> tuple[FloatArray, FloatArray]:
        right = np.array([self.counts.get(int(s), (0.0, 0.0))[0] for s in skills])
        wrong = np.array([self.counts.get(int(s), (0.0, 0.0))[1] for s in skills])
        p = np.asarray(expit(self.model.logit(skills, right, wrong)), dtype=np.float64)
        return p, p

    def explain(self, skill: int) -> str:
        right, wrong = self.counts.get(skill, (0.0, 0.0))
        return (
            f"skill {skill}: {int(right)} right and {int(wrong)} wrong so far, next answer "
            f"predicted {self.predict(skill):.2f} right"
        )


class PFAModel:
    """Performance Factors Analysis (Pavlik et al. 2009): per-skill difficulty and per-skill
    weights on prior right and wrong counts. The classic baseline the history model extends."""

    name = "pfa"
    version = f"pfa-{INTERFACE_VERSION}"

    def __init__(self, skills: list[int], lr: LogisticFit) -> None:
        self.skills = skills
        self.lr = lr
        self._row = {s: i for i, s in enumerate(skills)}
        self.metrics: dict[str, float] = {}

    @classmethod
    def fit(cls, log: ResponseLog, l2: float = 1.0) -> Self:
        skills, rows = np.unique(log.skill, return_inverse=True)
        raw = feat.history_raw(
            log, np.zeros(log.n_responses), np.zeros(log.n_responses), np.zeros(log.n_responses)
        )
        lr = fit_logistic(
            np.zeros((log.n_responses, 0)),
            log.correct.astype(np.float64),
            rows.astype(np.int64),
            raw["s_c"],
            raw["s_n"] - raw["s_c"],
            len(skills),
            l2=l2,
        )
        return cls([int(s) for s in skills], lr)

    def logit(self, skills: IntArray, right: FloatArray, wrong: FloatArray) -> FloatArray:
        rows = np.array([self._row.get(int(s), -1) for s in skills], dtype=np.int64)
        return self.lr.logit(np.zeros((len(rows), 0)), rows, right, wrong)

    def predict_log(self, log: ResponseLog) -> FloatArray:
        raw = feat.history_raw(
            log, np.zeros(log.n_responses), np.zeros(log.n_responses), np.zeros(log.n_responses)
        )
        z = self.logit(log.skill, raw["s_c"], raw["s_n"] - raw["s_c"])
        return np.asarray(expit(z), dtype=np.float64)

    def new_learner(self, mastery_threshold: float = 0.95) -> PFALearner:
        return PFALearner(mastery_threshold=mastery_threshold, model=self)

    def export_parameters(self) -> dict[str, Any]:
        return {
            "model": self.name,
            "interface_version": INTERFACE_VERSION,
            "version": self.version,
            "skills": list(self.skills),
            "logistic": self.lr.to_dict(),
        }

    @classmethod
    def from_parameters(cls, data: dict[str, Any]) -> Self:
        _check_header(data, cls.name)
        return cls([int(s) for s in data["skills"]], LogisticFit.from_dict(data["logistic"]))

    def model_card(self) -> ModelCard:
        return ModelCard(
            name=self.name,
            version=self.version,
            intended_use="Baseline for comparison; predicts the next answer from per-skill counts.",
            data=f"fitted on {len(self.skills)} skills",
            metrics=dict(self.metrics),
            limits=(
                "no recency: an old failure weighs as much as a recent one",
                "no latent mastery: the mastery bar shows predicted success instead",
                "not validated for high-stakes decisions (grading, placement)",
            ),
        )


def _design(
    bkt: BKTModel,
    log: ResponseLog,
    base_rate: FloatArray,
    assemble: Callable[[dict[str, FloatArray]], FloatArray] = feat.assemble,
) -> tuple[FloatArray, dict[str, FloatArray]]:
    p, k = bkt_trace(bkt.params, log)
    raw = feat.history_raw(log, p, k, base_rate)
    return assemble(raw), raw


# ---------------------------------------------------------------------- context-logistic


@dataclass(frozen=True)
class ContextConfig(HistoryConfig):
    """Options of :class:`ContextLRModel`: the history options plus the context fit's.

    ``context_l2`` = 100 was chosen on a validation split of the ASSISTments 2015 training file
    (50: -0.0004 AUC, 200: -0.0004). The logistic step keeps the 250k-row sample: every row
    (484k) gained 0.0003 AUC for ~60 % more fit time (ADR 0011).
    """

    context_l2: float = 100.0
    context_hessian_rows: int = 400


@dataclass
class ContextLearner(HistoryLearner):
    """:class:`HistoryLearner` plus the skill-context term (:mod:`context`), O(K) per answer."""

    context: ContextState = field(kw_only=True)

    def _row(self, skill: int) -> int:
        return self.model._row.get(skill, -1)

    def _logit(self, skill: int) -> float:
        return super()._logit(skill) + self.context.term(self._row(skill), skill)

    def observe(self, skill: int, item: ItemId, correct: bool, at: float | None = None) -> None:
        super().observe(skill, item, correct, at)
        self.context.observe(self._row(skill), skill)

    def _skill_logits(self, skills: IntArray) -> tuple[FloatArray, FloatArray]:
        z, mastery = super()._skill_logits(skills)
        rows, _ = self.model.bkt.rows_for(skills)
        rows = np.where(rows < len(self.model.skills), rows, -1)
        return z + self.context.terms(rows, skills), mastery


class ContextLRModel(HistoryLRModel):
    """The history model with count bins plus skill-context terms (ADR 0011).

    Same features as ``history-lr`` plus one-hot bins of the counts whose effect is not
    log-linear, and, on top of its logit, which skills the learner practised before and the
    skill of the previous run (:mod:`context`), each weighted per target skill.
    """

    name = "context-lr"
    version = f"context-lr-{INTERFACE_VERSION}"
    feature_names = feat.BINNED_FEATURE_NAMES
    learner_columns = _LEARNER_COLUMNS | feat.LEARNER_BIN_NAMES

    @staticmethod
    def _assemble(raw: dict[str, FloatArray]) -> FloatArray:
        return feat.assemble_binned(raw)

    def __init__(
        self,
        bkt: BKTModel,
        skill_rate: dict[int, float],
        global_rate: float,
        lr: LogisticFit,
        config: HistoryConfig,
        context: ContextWeights | None = None,
    ) -> None:
        super().__init__(bkt, skill_rate, global_rate, lr, config)
        k = len(self.skills)
        self.context = context or ContextWeights.empty(k)
        if self.context.seen.shape[0] != k:
            raise ParameterError("context weights do not match the model's skills")

    @classmethod
    def fit(cls, log: ResponseLog, config: HistoryConfig | None = None) -> Self:
        if not isinstance(config, ContextConfig):
            base = config or HistoryConfig()
            config = ContextConfig(**{f.name: getattr(base, f.name) for f in fields(HistoryConfig)})
        bkt, skill_rate, global_rate, lr, raw, fitted = cls._fit_parts(log, config)
        skills = np.array(bkt.params.skills, dtype=np.int64)
        rows = np.searchsorted(skills, log.skill).astype(np.int64)  # every training skill
        if fitted is not None:
            offset = fitted  # the logistic step saw every row: reuse its linear predictor
        else:  # a row sample was fitted: score every row, chunk by chunk
            offset = np.empty(log.n_responses)
            step = 65_536
            for a in range(0, log.n_responses, step):
                part = {name: values[a : a + step] for name, values in raw.items()}
                offset[a : a + step] = lr.logit(
                    cls._assemble(part),
                    rows[a : a + step],
                    np.log1p(part["s_c"]),
                    np.log1p(part["s_n"] - part["s_c"]),
                )
        weights = fit_context(
            context_layout(log.learner, log.skill, rows),
            offset,
            log.correct.astype(np.float64),
            len(skills),
            l2=config.context_l2,
            hessian_rows=config.context_hessian_rows,
            seed=config.seed,
        )
        return cls(bkt, skill_rate, global_rate, lr, config, weights)

    def predict_log(self, log: ResponseLog) -> FloatArray:
        z, rows = self._predict_logit(log)
        z = z + self.context.logit(context_layout(log.learner, log.skill, rows))
        return np.asarray(expit(z), dtype=np.float64)

    def new_learner(self, mastery_threshold: float = 0.95) -> ContextLearner:
        return ContextLearner(
            mastery_threshold=mastery_threshold,
            model=self,
            bkt=self.bkt.new_learner(mastery_threshold),
            context=ContextState(self.context),
        )

    def export_parameters(self) -> dict[str, Any]:
        out = super().export_parameters()
        out["context"] = self.context.to_dict()
        config = self.config
        if isinstance(config, ContextConfig):
            out["config"]["context_l2"] = config.context_l2
            out["config"]["context_hessian_rows"] = config.context_hessian_rows
        return out

    @classmethod
    def _extra_from_parameters(cls, data: dict[str, Any]) -> dict[str, Any]:
        try:
            return {"context": ContextWeights.from_dict(data["context"])}
        except (KeyError, ValueError) as exc:
            raise ParameterError(f"context weights missing or malformed: {exc}") from None

    def model_card(self) -> ModelCard:
        card = super().model_card()
        return replace(
            card,
            intended_use=(
                "Predict whether a learner's next answer on a skill will be right, to keep "
                "practice inside the target success band (the most accurate model measured on "
                "ASSISTments 2015); mastery bars use its BKT component."
            ),
            limits=(
                *card.limits,
                "uses which skills a learner practised before (not only how well): on the "
                "training population this stands for class and curriculum; a deployment whose "
                "assignment patterns differ must be refitted (selection does this)",
                "the context weights of a skill pair never practised together in training are "
                "zero (no transfer assumed)",
            ),
        )
