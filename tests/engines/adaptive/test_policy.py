"""The next-item policy: target band, prerequisites, test-out, spacing, no repeats, reasons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from edubridge.engines.adaptive.bkt import BKTParameters
from edubridge.engines.adaptive.models import BKTModel
from edubridge.engines.adaptive.policy import (
    DAY,
    Item,
    ItemBank,
    PolicyConfig,
    PolicyError,
    Recommendation,
    recommend,
)

NOW = 1_700_000_000.0


@dataclass
class FixedLearner:
    """A learner whose per-skill success and mastery are set by the test."""

    success: dict[int, float]
    mastery_of: dict[int, float]
    recent: list[str] = field(default_factory=list)

    def skill_state(self, skills: NDArray[np.int64]) -> tuple[NDArray[np.float64], ...]:
        return (
            np.array([self.success.get(int(s), 0.5) for s in skills]),
            np.array([self.mastery_of.get(int(s), 0.0) for s in skills]),
        )


def choose(
    learner: FixedLearner,
    bank: ItemBank,
    config: PolicyConfig | None = None,
    recent: Sequence[str] = (),
    last_seen: Mapping[int, float] | None = None,
    reviews: Mapping[int, int] | None = None,
    test_out: int | None = None,
) -> Recommendation:
    return recommend(
        learner,  # type: ignore[arg-type]
        bank,
        config or PolicyConfig(),
        NOW,
        list(recent),
        last_seen or {},
        reviews or {},
        test_out,
    )


def test_prefers_the_item_inside_the_target_band() -> None:
    bank = ItemBank([Item("easy", 1, 2.5), Item("right", 1, 0.5), Item("hard", 1, -2.5)])
    rec = choose(FixedLearner({1: 0.6}, {1: 0.3}), bank)
    assert rec.item == "right"
    assert 0.6 <= rec.numbers["predicted_success"] <= 0.85


def test_band_is_configurable() -> None:
    bank = ItemBank([Item("easy", 1, 2.5), Item("mid", 1, 0.5), Item("hard", 1, -2.5)])
    rec = choose(FixedLearner({1: 0.6}, {1: 0.3}), bank, PolicyConfig(band=(0.2, 0.4)))
    assert rec.item == "hard"


def test_skill_is_not_offered_before_its_prerequisites_are_mastered() -> None:
    bank = ItemBank([Item("base", 1), Item("advanced", 2)], prerequisites={2: [1]})
    learner = FixedLearner({1: 0.3, 2: 0.72}, {1: 0.5, 2: 0.1})  # 2 fits the band better
    assert choose(learner, bank).item == "base"


def test_skill_is_offered_once_prerequisites_are_mastered() -> None:
    bank = ItemBank([Item("base", 1), Item("advanced", 2)], prerequisites={2: [1]})
    rec = choose(FixedLearner({1: 0.97, 2: 0.7}, {1: 0.96, 2: 0.2}), bank)
    assert rec.item == "advanced"
    assert "prerequisites met (skill 1)" in rec.reason


def test_mastery_threshold_is_configurable() -> None:
    bank = ItemBank([Item("base", 1), Item("advanced", 2)], prerequisites={2: [1]})
    learner = FixedLearner({1: 0.9, 2: 0.7}, {1: 0.9, 2: 0.2})
    assert choose(learner, bank).item == "base"
    assert choose(learner, bank, PolicyConfig(mastery_threshold=0.85)).item == "advanced"


def test_test_out_offers_a_skill_whose_prerequisites_are_not_mastered() -> None:
    bank = ItemBank([Item("base", 1), Item("advanced", 2)], prerequisites={2: [1]})
    rec = choose(FixedLearner({1: 0.7, 2: 0.7}, {1: 0.1, 2: 0.1}), bank, test_out=2)
    assert (rec.item, rec.kind) == ("advanced", "test-out")


def test_mastering_a_skill_counts_its_prerequisites_as_mastered() -> None:
    bank = ItemBank([Item("a", 1), Item("b", 2), Item("c", 3)], prerequisites={2: [1], 3: [2]})
    # skill 2 was tested out (mastered) though 1 never was: 3 is open, 1 is not re-offered
    rec = choose(FixedLearner({1: 0.7, 2: 0.99, 3: 0.7}, {1: 0.1, 2: 0.97, 3: 0.2}), bank)
    assert rec.item == "c"


def test_mastered_skill_comes_back_when_its_review_is_due() -> None:
    bank = ItemBank([Item("old", 1), Item("new", 2)])
    learner = FixedLearner({1: 0.95, 2: 0.7}, {1: 0.97, 2: 0.2})
    rec = choose(learner, bank, last_seen={1: NOW - 2 * DAY})
    assert (rec.item, rec.kind) == ("old", "review")
    assert rec.numbers["days_overdue"] == pytest.approx(1.0)


def test_review_interval_grows_with_passed_reviews() -> None:
    bank = ItemBank([Item("old", 1), Item("new", 2)])
    learner = FixedLearner({1: 0.95, 2: 0.7}, {1: 0.97, 2: 0.2})
    rec = choose(learner, bank, last_seen={1: NOW - 2 * DAY}, reviews={1: 1})  # next: 3 days
    assert rec.item == "new"


def test_recent_items_are_not_repeated() -> None:
    bank = ItemBank([Item("best", 1, 0.5), Item("other", 1, 2.0)])
    rec = choose(FixedLearner({1: 0.6}, {1: 0.3}), bank, recent=["best"])
    assert rec.item == "other"


def test_nothing_left_is_said_in_words() -> None:
    bank = ItemBank([Item("a", 1)])
    rec = choose(FixedLearner({1: 0.99}, {1: 0.99}), bank)
    assert rec.item is None
    assert rec.kind == "none"
    assert "mastered" in rec.reason


def test_reason_gives_skill_mastery_prerequisites_and_prediction() -> None:
    bank = ItemBank([Item("a", 1)], skill_names={1: "fractions"})
    rec = choose(FixedLearner({1: 0.71}, {1: 0.62}), bank)
    assert rec.reason.startswith("fractions at 0.62 mastery, no prerequisites, item predicted 0.71")


def test_prerequisite_cycle_is_rejected() -> None:
    with pytest.raises(PolicyError, match="cycle"):
        ItemBank([Item("a", 1), Item("b", 2)], prerequisites={1: [2], 2: [1]})


def test_invalid_band_is_rejected() -> None:
    with pytest.raises(PolicyError):
        PolicyConfig(band=(0.9, 0.6))


def test_learner_recommend_uses_its_own_history() -> None:
    values = {
        "prior": np.array([0.2]),
        "learn": np.array([0.3]),
        "forget": np.array([0.0]),
        "guess": np.array([0.2]),
        "slip": np.array([0.1]),
    }
    pooled = {k: float(v[0]) for k, v in values.items()}
    from edubridge.engines.adaptive.bkt import BKTConfig

    model = BKTModel(BKTParameters([1], values, pooled), BKTConfig())
    bank = ItemBank([Item(f"q{i}", 1) for i in range(5)])
    learner = model.new_learner()
    first = learner.recommend(bank, PolicyConfig(), NOW)
    assert first.item is not None
    learner.observe(1, first.item, True, at=NOW)
    second = learner.recommend(bank, PolicyConfig(), NOW + 10)
    assert second.item != first.item
    assert second.numbers["mastery"] > first.numbers["mastery"]


def _full_scan_choice(
    learner: FixedLearner,
    bank: ItemBank,
    config: PolicyConfig,
    recent: Sequence[str],
    last_seen: Mapping[int, float],
    reviews: Mapping[int, int],
    test_out: int | None,
) -> tuple[str | None, str]:
    """The policy's rules written as a plain scan over every item (the specification the
    faster implementation must match): (item, kind)."""
    success, mastery = learner.skill_state(bank.skills)
    mastered = mastery >= config.mastery_threshold
    effective = mastered | (bank.ancestors & mastered[:, None]).any(axis=0)
    prereq_met = ~(bank.direct & ~effective[None, :]).any(axis=1)
    available = np.ones(len(bank.item_ids), dtype=bool)
    for item in list(recent)[-config.no_repeat_window :]:
        available[bank.item_index[item]] = False
    q = np.clip(success, 1e-6, 1 - 1e-6)
    item_p = 1.0 / (
        1.0 + np.exp(-(np.log(q / (1 - q))[bank.item_skill_row] + bank.item_difficulty))
    )
    low, high = config.band
    centre = 0.5 * (low + high)

    def scan(candidates: NDArray[np.bool_]) -> int | None:
        if not candidates.any():
            return None
        outside = np.maximum(low - item_p, 0.0) + np.maximum(item_p - high, 0.0)
        return int(
            np.argmin(np.where(candidates, outside * 10.0 + np.abs(item_p - centre), np.inf))
        )

    if test_out is not None and test_out in bank.row:
        pick = scan(available & (bank.item_skill_row == bank.row[test_out]))
        if pick is not None:
            return str(bank.item_ids[pick]), "test-out"
    overdue = np.full(len(bank.skills), -np.inf)
    intervals = config.review_intervals
    for i in np.flatnonzero(effective):
        seen = last_seen.get(int(bank.skills[i]))
        if seen is not None:
            passed = reviews.get(int(bank.skills[i]), 0)
            overdue[i] = NOW - seen - intervals[min(passed, len(intervals) - 1)]
    for row in np.argsort(-overdue)[: int((overdue >= 0).sum())]:
        pick = scan(available & (bank.item_skill_row == row))
        if pick is not None:
            return str(bank.item_ids[pick]), "review"
    pick = scan(available & (~effective & prereq_met)[bank.item_skill_row])
    return (None, "none") if pick is None else (str(bank.item_ids[pick]), "practice")


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_choice_equals_a_full_scan_over_every_item(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_skills = int(rng.integers(1, 8))
    skills = list(range(10, 10 + n_skills))
    # few distinct difficulties, so ties between items are common
    items = [
        Item(f"i{j}", int(rng.choice(skills)), float(rng.choice([0.0, 0.0, 0.5, -1.0])))
        for j in range(int(rng.integers(1, 40)))
    ]
    prerequisites = {s: [p for p in skills if p < s and rng.random() < 0.3] for s in skills}
    bank = ItemBank(items, prerequisites)
    learner = FixedLearner(
        {s: float(rng.random()) for s in skills},
        {s: float(rng.choice([0.1, 0.5, 0.96, 0.99])) for s in skills},
    )
    recent = [str(it.id) for it in rng.choice(np.array(items, dtype=object), size=3)]
    last_seen = {
        s: NOW - float(rng.choice([0.5, 2.0, 30.0])) * DAY for s in skills if rng.random() < 0.6
    }
    reviews = {s: int(rng.integers(0, 6)) for s in skills}
    test_out = int(rng.choice(skills)) if rng.random() < 0.3 else None
    config = PolicyConfig()
    rec = choose(learner, bank, config, recent, last_seen, reviews, test_out)
    assert (rec.item, rec.kind) == _full_scan_choice(
        learner, bank, config, recent, last_seen, reviews, test_out
    )
