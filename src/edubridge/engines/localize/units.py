"""Unit conversion that keeps the tested skill.

When a unit is not used in the target classroom, the nearest accepted unit of the same dimension is
chosen. If the two are within a factor of 4 the number is kept (3 jin -> 3 kg), which keeps the
arithmetic identical; the exact conversion is offered to the reviewer. Otherwise the exact value is
rounded to the same number of significant digits and flagged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from .numbers import plain, round_to_step, skill_class, to_fraction
from .pack import LocalePack, concepts

KEEP_NUMBER_RATIO = 4.0


@dataclass(frozen=True)
class UnitPlan:
    source: str
    target: str
    keep_number: bool
    ratio: Fraction  # size of one source unit in target units


def plan_unit(unit: str, pack: LocalePack) -> UnitPlan | None:
    """None when the target classroom already uses this unit."""
    if pack.accepts_unit(unit):
        return None
    known = concepts()
    src = known[unit]
    if src.factor is None or src.dimension is None:
        return None
    best: str | None = None
    best_dist = math.inf
    for cand in pack.data["measurement"]["units"]:
        c = known[cand]
        if c.dimension != src.dimension or c.factor is None:
            continue
        dist = abs(math.log(c.factor / src.factor))
        if dist < best_dist - 1e-12:
            best, best_dist = cand, dist
    if best is None:
        return None
    if math.exp(best_dist) > KEEP_NUMBER_RATIO:
        # the number must be converted: prefer the largest unit not bigger than the source one,
        # so the converted number is at least as large and keeps its significant digits
        smaller = [
            u
            for u in pack.data["measurement"]["units"]
            if known[u].dimension == src.dimension and (known[u].factor or 0) <= src.factor
        ]
        if smaller:
            best = max(smaller, key=lambda u: known[u].factor or 0)
    tgt_factor = known[best].factor or 1.0
    ratio = to_fraction(src.factor) / to_fraction(tgt_factor)
    return UnitPlan(unit, best, math.exp(best_dist) <= KEEP_NUMBER_RATIO, ratio)


def convert_quantity(value: Fraction, plan: UnitPlan) -> tuple[Fraction, Fraction]:
    """(value written in the draft, exact converted value)."""
    exact = value * plan.ratio
    if plan.keep_number:
        return value, exact
    cls = skill_class(value)
    if cls.integer:
        return round_to_step(float(exact), 1, cls.significant_digits), exact
    return round_to_step(float(exact), 0.1, cls.significant_digits), exact


def exact_text(exact: Fraction) -> str:
    return plain(Fraction(round(exact * 100), 100))
