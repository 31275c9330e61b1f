"""Coins and unit definitions: structures whose numbers are facts of a country, not free choices.

A coin-count item ("3 quarters and 2 dimes: how many cents?") tests counting coins of several
denominations. Its coin values are the source country's; the draft uses the target country's
coins (from the pack's `denominations`), chosen so the value ratios stay close to the source's,
the amounts sit near the local price level and the answer stays whole. When the target has too
few coins in everyday use, notes join the choice and the item is flagged.

A unit definition ("1 pound = 16 ounces") is a fact the item's arithmetic uses. Changing one side
would make it false, so the whole relation moves to a pair of target units with a whole-number
factor (1 kilogram = 1000 grams), chosen nearest to the source factor.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction

from .numbers import to_fraction
from .pack import LocalePack, concepts
from .units import plan_unit


@dataclass(frozen=True)
class CoinChoice:
    """Target denominations, one per source denomination (same order), and how they were found."""

    values: tuple[Fraction, ...]
    notes: frozenset[Fraction]  # chosen values that are banknotes, not coins
    answer_whole: bool


def choose_denominations(
    source: list[Fraction],
    counts: dict[Fraction, Fraction],
    pack: LocalePack,
    price_ratio: float,
    answer_unit: Fraction,
    below: Fraction | None = None,
) -> CoinChoice | None:
    """Target values for the distinct source denominations (ascending), or None if impossible.

    source: distinct source values in main units, ascending; counts: how many of each;
    price_ratio: target money per source money at local price levels (PPP ratio);
    answer_unit: the target unit the answer is counted in (1, or 1/100 for pence);
    below: only coins worth less than this (a total counted in pence adds coins under a pound).
    Cost: spread of the log ratios target/source (keeps the ratios between coins), distance of
    their mean from the price ratio, and a penalty when the answer would not be whole.
    """
    k = len(source)
    coins = [c for c in pack.coins() if below is None or c < below]
    if below is not None and len(coins) < k:
        return None
    pools: list[tuple[list[Fraction], frozenset[Fraction]]] = [(coins, frozenset())]
    if len(coins) < k or not coins:
        notes = [v for v in pack.notes() if v not in coins]
        pools.append((sorted(coins + notes), frozenset(notes)))
    for pool, note_set in pools:
        if len(pool) < k:
            continue
        best: tuple[float, tuple[Fraction, ...], bool] | None = None
        for combo in itertools.combinations(pool, k):
            logs = [math.log(t / s) for t, s in zip(combo, source, strict=True)]
            mean = sum(logs) / k
            spread = sum((x - mean) ** 2 for x in logs)
            level = (mean - math.log(price_ratio)) ** 2
            total = sum(counts[s] * t for s, t in zip(source, combo, strict=True)) / answer_unit
            whole = total.denominator == 1
            cost = spread + 0.25 * level + (0 if whole else 10)
            if best is None or cost < best[0] - 1e-12:
                best = (cost, combo, whole)
        if best is not None:
            return CoinChoice(best[1], note_set & frozenset(best[1]), best[2])
    return None


@dataclass(frozen=True)
class DefinitionPlan:
    """A target unit pair for a definition "a A = b B": one big unit is `factor` small units."""

    big: str
    small: str
    factor: Fraction


def plan_definition(
    big: str, small: str, factor: Fraction, pack: LocalePack
) -> DefinitionPlan | None:
    """The pair of the target's units of the same dimension with a whole-number factor, nearest
    in factor to the source's (log scale), preferring the units the target would convert the
    source units to. None when the target uses both source units or has no such pair."""
    if pack.accepts_unit(big) and pack.accepts_unit(small):
        return None
    known = concepts()
    dim = known[big].dimension
    if dim is None or known[small].dimension != dim:
        return None
    # the units the target converts each source unit to, when they make a whole-number pair
    # (pound, ounce -> kilogram, gram): the pair a reader of the converted quantities expects
    pair = (plan_unit(big, pack), plan_unit(small, pack))
    if pair[0] is not None and pair[1] is not None:
        ratio = to_fraction(known[pair[0].target].factor or 0) / to_fraction(
            known[pair[1].target].factor or 1
        )
        if ratio.denominator == 1 and ratio >= 2:
            return DefinitionPlan(pair[0].target, pair[1].target, ratio)
    units = [
        u
        for u in pack.data["measurement"]["units"]
        if known[u].dimension == dim and known[u].factor is not None
    ]
    best: tuple[float, DefinitionPlan] | None = None
    for a, b in itertools.permutations(units, 2):
        ratio = to_fraction(known[a].factor or 0) / to_fraction(known[b].factor or 1)
        if ratio.denominator != 1 or ratio < 2:
            continue
        cost = abs(math.log(ratio / factor))
        # the units nearest in size to the source ones are preferred (pound -> kilogram)
        cost += 0.1 * abs(math.log((known[a].factor or 1) / (known[big].factor or 1)))
        cost += 0.1 * abs(math.log((known[b].factor or 1) / (known[small].factor or 1)))
        if best is None or cost < best[0] - 1e-12:
            best = (cost, DefinitionPlan(a, b, ratio))
    return best[1] if best else None
