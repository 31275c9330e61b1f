"""The next-item policy: target success band, prerequisites, spacing, no repeats, test-out.

Everything is vectorized over the bank, so one choice over 5,000 items costs tens of
microseconds beyond the learner model's per-skill predictions. Every choice carries its reason
in words and in numbers.

Rules, in order:
1. **Review** – a mastered skill whose spacing interval has elapsed since it was last practised
   comes back first (most overdue first). Intervals grow with each right answer given while
   mastered (default 1, 3, 7, 21, 60 days).
2. **Practice** – among skills not yet mastered whose prerequisites are all mastered, pick the
   item whose predicted success is inside the target band (closest to its centre), else the one
   nearest the band.
3. **Test-out** – a learner may ask to test out of a skill: its items are offered even if the
   prerequisites are not mastered; mastering a skill counts its (transitive) prerequisites as
   mastered.
Items answered in the last ``no_repeat_window`` answers are never offered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from edubridge.engines.adaptive.interface import ItemId, Learner

DAY = 86_400.0


class PolicyError(ValueError):
    """The bank or the curriculum graph is unusable (e.g. a prerequisite cycle)."""


@dataclass(frozen=True)
class Item:
    """A bank item: its id, the skill it practises and an optional difficulty (logit offset)."""

    id: ItemId
    skill: int
    difficulty: float = 0.0


@dataclass(frozen=True)
class PolicyConfig:
    """Policy knobs; defaults follow the issue (band 0.6–0.85, mastery 0.95)."""

    band: tuple[float, float] = (0.60, 0.85)
    mastery_threshold: float = 0.95
    review_intervals: tuple[float, ...] = (1 * DAY, 3 * DAY, 7 * DAY, 21 * DAY, 60 * DAY)
    no_repeat_window: int = 3

    def __post_init__(self) -> None:
        low, high = self.band
        if not 0.0 < low < high < 1.0:
            raise PolicyError(f"target band must satisfy 0 < low < high < 1, got {self.band}")
        if not 0.0 < self.mastery_threshold < 1.0:
            raise PolicyError("mastery threshold must be between 0 and 1")
        if not self.review_intervals or any(i <= 0 for i in self.review_intervals):
            raise PolicyError("review intervals must be positive")


@dataclass(frozen=True)
class Recommendation:
    """The chosen item (None when nothing is left to do) with its reason."""

    item: ItemId | None
    skill: int | None
    kind: str  # "practice", "review", "test-out" or "none"
    reason: str
    numbers: Mapping[str, float] = field(default_factory=dict)


class ItemBank:
    """Items plus the prerequisite DAG between their skills, precomputed as arrays."""

    def __init__(
        self,
        items: Sequence[Item],
        prerequisites: Mapping[int, Iterable[int]] | None = None,
        skill_names: Mapping[int, str] | None = None,
    ) -> None:
        if not items:
            raise PolicyError("the item bank is empty")
        prerequisites = prerequisites or {}
        skills = sorted({it.skill for it in items} | set(prerequisites))
        for needs in prerequisites.values():
            skills.extend(s for s in needs if s not in skills)
        self.skills: NDArray[np.int64] = np.array(sorted(set(skills)), dtype=np.int64)
        self.row: dict[int, int] = {int(s): i for i, s in enumerate(self.skills)}
        self.item_ids: list[ItemId] = [it.id for it in items]
        self.item_index: dict[ItemId, int] = {it.id: i for i, it in enumerate(items)}
        if len(self.item_index) != len(items):
            raise PolicyError("item ids must be unique")
        self.item_skill_row = np.array([self.row[it.skill] for it in items], dtype=np.int64)
        self.item_difficulty = np.array([it.difficulty for it in items], dtype=np.float64)
        by_row = np.argsort(self.item_skill_row, kind="stable")
        bounds = np.searchsorted(self.item_skill_row[by_row], np.arange(len(self.skills) + 1))
        #: item indices of each skill row, increasing
        self.items_by_row: list[NDArray[np.int64]] = [
            by_row[bounds[r] : bounds[r + 1]] for r in range(len(self.skills))
        ]
        n = len(self.skills)
        direct = np.zeros((n, n), dtype=bool)  # direct[s, p]: p is a prerequisite of s
        for skill, needs in prerequisites.items():
            for need in needs:
                direct[self.row[skill], self.row[int(need)]] = True
        self.direct = direct
        self.ancestors = _closure(direct, self.skills)
        self.skill_names = {int(s): (skill_names or {}).get(int(s), f"skill {s}") for s in skills}

    def name(self, skill: int) -> str:
        return self.skill_names.get(skill, f"skill {skill}")


def _closure(direct: NDArray[np.bool_], skills: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Transitive closure of the prerequisite relation; raises on a cycle."""
    reach = direct.copy()
    for _ in range(max(1, int(np.ceil(np.log2(max(len(skills), 2)))) + 1)):
        step = reach | ((reach.astype(np.int64) @ reach.astype(np.int64)) > 0)
        if np.array_equal(step, reach):
            break
        reach = step
    cyclic = np.flatnonzero(np.diag(reach))
    if cyclic.size:
        names = ", ".join(str(int(skills[i])) for i in cyclic[:5])
        raise PolicyError(f"prerequisites form a cycle through skills {names}")
    return reach


def _logit(p: NDArray[np.float64]) -> NDArray[np.float64]:
    q = np.clip(p, 1e-6, 1 - 1e-6)
    return np.asarray(np.log(q / (1 - q)), dtype=np.float64)


def recommend(
    learner: Learner,
    bank: ItemBank,
    config: PolicyConfig,
    now: float,
    recent_items: Sequence[ItemId],
    last_seen: Mapping[int, float],
    reviews_passed: Mapping[int, int],
    test_out: int | None = None,
) -> Recommendation:
    """Choose the next item for ``learner`` (see the module docstring for the rules).

    Item probabilities are computed only for the items a rule is choosing among (the items of
    one skill for a review or a test-out, the items of practice skills otherwise), each set in
    increasing item order so that ties go to the first item, as a full scan would.
    """
    success, mastery = learner.skill_state(bank.skills)
    mastered = mastery >= config.mastery_threshold
    # mastering a skill tests the learner out of everything it builds on
    effective = mastered | bank.ancestors[mastered].any(axis=0) if mastered.any() else mastered
    prereq_met: NDArray[np.bool_] = np.asarray(~bank.direct[:, ~effective].any(axis=1), dtype=bool)

    available = np.ones(len(bank.item_ids), dtype=bool)
    for item in recent_items[-config.no_repeat_window :] if config.no_repeat_window else ():
        idx = bank.item_index.get(item)
        if idx is not None:
            available[idx] = False
    skill_logit = _logit(success)
    low, high = config.band
    centre = 0.5 * (low + high)

    def best(candidates: NDArray[np.int64]) -> tuple[int, float] | None:
        return _best_in_band(bank, skill_logit, candidates, low, high, centre)

    if test_out is not None and test_out in bank.row:
        row = bank.row[test_out]
        items = bank.items_by_row[row]
        found = best(items[available[items]])
        if found is not None:
            return _explain(bank, *found, "test-out", mastery, prereq_met, config, now)

    # reviews: mastered skills whose interval since last practice has elapsed
    intervals = config.review_intervals
    overdue_by = np.full(len(bank.skills), -np.inf)
    last = len(intervals) - 1
    # only practised skills can be due (a skill tested out without practice has nothing to
    # space yet); one pass over them, no per-skill NumPy calls
    for skill, seen in last_seen.items():
        i = bank.row.get(skill)
        if i is not None and effective[i]:
            overdue_by[i] = now - seen - intervals[min(reviews_passed.get(skill, 0), last)]
    due = overdue_by >= 0
    if due.any():
        for row in np.argsort(-overdue_by)[: int(due.sum())]:
            items = bank.items_by_row[row]
            found = best(items[available[items]])
            if found is not None:
                return _explain(
                    bank,
                    *found,
                    "review",
                    mastery,
                    prereq_met,
                    config,
                    now,
                    overdue=float(overdue_by[row]),
                    seen=last_seen.get(int(bank.skills[row])),
                )

    practice_skill = ~effective & prereq_met
    found = best(np.flatnonzero(available & practice_skill[bank.item_skill_row]))
    if found is None:
        blocked = int((~effective & ~prereq_met).sum())
        reason = (
            "nothing to practise: every skill is mastered and no review is due"
            if not blocked
            else f"nothing to practise now: {blocked} skill(s) wait for prerequisites"
        )
        return Recommendation(None, None, "none", reason, {"blocked_skills": float(blocked)})
    return _explain(bank, *found, "practice", mastery, prereq_met, config, now)


def _best_in_band(
    bank: ItemBank,
    skill_logit: NDArray[np.float64],
    candidates: NDArray[np.int64],
    low: float,
    high: float,
    centre: float,
) -> tuple[int, float] | None:
    """(item index, predicted success) of the candidate inside the band nearest its centre,
    else nearest the band; ``candidates`` in increasing order (ties: the first)."""
    if not candidates.size:
        return None
    item_p = 1.0 / (
        1.0
        + np.exp(-(skill_logit[bank.item_skill_row[candidates]] + bank.item_difficulty[candidates]))
    )
    outside = np.maximum(low - item_p, 0.0) + np.maximum(item_p - high, 0.0)
    best = int(np.argmin(outside * 10.0 + np.abs(item_p - centre)))
    return int(candidates[best]), float(item_p[best])


def _explain(
    bank: ItemBank,
    pick: int,
    p: float,
    kind: str,
    mastery: NDArray[np.float64],
    prereq_met: NDArray[np.bool_],
    config: PolicyConfig,
    now: float,
    overdue: float = 0.0,
    seen: float | None = None,
) -> Recommendation:
    row = int(bank.item_skill_row[pick])
    skill = int(bank.skills[row])
    m = float(mastery[row])
    low, high = config.band
    prereqs = [int(bank.skills[j]) for j in np.flatnonzero(bank.direct[row])]
    if kind == "test-out":
        gate = "test-out requested, prerequisites not required"
    elif not prereqs:
        gate = "no prerequisites"
    else:
        gate = "prerequisites met (" + ", ".join(bank.name(s) for s in prereqs) + ")"
    band = "inside" if low <= p <= high else "outside"
    text = (
        f"{bank.name(skill)} at {m:.2f} mastery, {gate}, item predicted {p:.2f} success "
        f"({band} the target band {low:.2f}–{high:.2f})"
    )
    numbers = {
        "mastery": round(m, 4),
        "predicted_success": round(p, 4),
        "band_low": low,
        "band_high": high,
        "mastery_threshold": config.mastery_threshold,
    }
    if kind == "review":
        days = (now - (seen or now)) / DAY
        text = (
            f"review: {bank.name(skill)} mastered ({m:.2f}), last practised {days:.1f} days ago, "
            f"due {overdue / DAY:.1f} days ago; item predicted {p:.2f} success"
        )
        numbers["days_since_practice"] = round(days, 3)
        numbers["days_overdue"] = round(overdue / DAY, 3)
    elif not prereq_met[row] and kind != "test-out":
        text += " (prerequisites not met)"
    return Recommendation(bank.item_ids[pick], skill, kind, text, numbers)
