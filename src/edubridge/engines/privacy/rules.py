"""Generalization hierarchies built by rule, for value spaces no file can list.

A score, a share or a date can take values no hand-written hierarchy file enumerates. These
functions build an ordinary, functional :class:`Hierarchy` for the values a table actually holds,
from a rule declared in advance (public bounds and interval widths, or date truncation), so the
lattice search, its monotonicity and the release work exactly as with a file.

* :func:`interval_hierarchy`: a number -> intervals of growing width anchored at a public lower
  bound -> ``*``. Each width must be a whole multiple of the one below, so every interval lies in
  exactly one wider interval (the hierarchy stays functional). NCP is the interval's width over the
  public domain (Xu et al. 2006), not the spread of the values seen.
* :func:`date_hierarchy`: an ISO date -> month -> (quarter) -> year -> ``*``.

A value outside the rule (not a number, outside the bounds, not a date) is refused with a
:class:`HierarchyError` naming it, as a file that does not cover a value would be.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from .errors import HierarchyError
from .hierarchy import Hierarchy

DATE_LEVELS = ("month", "quarter", "year")


def _number(text: float) -> str:
    """A short, stable label for a bound: 0.1 not 0.10000000000000001, 5 not 5.0."""
    rounded = round(float(text), 9)
    return f"{rounded:g}" if rounded != int(rounded) or abs(rounded) >= 1e15 else str(int(rounded))


@dataclass(frozen=True)
class IntervalRule:
    """Public bounds and widths of an interval hierarchy (no data involved)."""

    lower: float
    upper: float
    widths: tuple[float, ...]

    def __post_init__(self) -> None:
        if not (math.isfinite(self.lower) and math.isfinite(self.upper)):
            raise HierarchyError("interval bounds must be finite numbers")
        if not self.lower < self.upper:
            raise HierarchyError(
                f"interval lower bound {self.lower:g} must be below upper bound {self.upper:g}"
            )
        if not self.widths or any(not (math.isfinite(w) and w > 0) for w in self.widths):
            raise HierarchyError("interval widths must be positive numbers, at least one")
        for below, above in zip(self.widths, self.widths[1:], strict=False):
            ratio = above / below
            if ratio < 1.5 or abs(ratio - round(ratio)) > 1e-9:
                raise HierarchyError(
                    f"interval width {above:g} is not a whole multiple (2 or more) of {below:g}; "
                    "wider intervals must contain whole narrower ones"
                )

    def ratios(self) -> list[int]:
        return [round(a / b) for b, a in zip(self.widths, self.widths[1:], strict=False)]


def interval_hierarchy(
    column: str,
    values: Iterable[str],
    *,
    lower: float,
    upper: float,
    widths: Sequence[float],
) -> Hierarchy:
    """Hierarchy value -> ``[a, b)`` of each width -> ``*`` for the distinct ``values``.

    Intervals are half-open and anchored at ``lower``; the last interval of each width is closed
    at ``upper`` (``[0.9, 1]``) and may be narrower when the range is not a multiple of the width.
    """
    rule = IntervalRule(float(lower), float(upper), tuple(float(w) for w in widths))
    ratios = rule.ratios()
    bins_first = math.ceil((rule.upper - rule.lower) / rule.widths[0] - 1e-9)
    rows: list[tuple[str, ...]] = []
    spans: dict[str, tuple[float, float]] = {}
    for text in dict.fromkeys(values):
        try:
            x = float(text)
        except ValueError:
            raise HierarchyError(
                f"column {column!r}: value {text!r} is not a number, so the interval rule "
                f"[{rule.lower:g}, {rule.upper:g}] cannot generalize it"
            ) from None
        if not (math.isfinite(x) and rule.lower <= x <= rule.upper):
            raise HierarchyError(
                f"column {column!r}: value {text!r} lies outside the declared range "
                f"[{rule.lower:g}, {rule.upper:g}]"
            )
        b = min(int((x - rule.lower) / rule.widths[0] + 1e-9), bins_first - 1)
        row = [text]
        for level, width in enumerate(rule.widths):
            if level:
                b //= ratios[level - 1]
            low = rule.lower + b * width
            high = min(low + width, rule.upper)
            closed = high >= rule.upper
            label = f"[{_number(low)}, {_number(high)}{']' if closed else ')'}"
            spans[label] = (low, high)
            row.append(label)
        row.append("*")
        rows.append(tuple(row))
    if not rows:
        raise HierarchyError(f"column {column!r}: no values to build an interval hierarchy for")
    spans["*"] = (rule.lower, rule.upper)
    return Hierarchy(
        column=column,
        rows=tuple(rows),
        spans=tuple((label, low, high) for label, (low, high) in spans.items()),
        domain=(rule.lower, rule.upper),
    )


def date_hierarchy(
    column: str, values: Iterable[str], *, levels: Sequence[str] = ("month", "year")
) -> Hierarchy:
    """Hierarchy ``YYYY-MM-DD`` -> ``YYYY-MM`` -> ``YYYY-Qn`` -> ``YYYY`` -> ``*`` (levels chosen).

    ``levels`` is a subsequence of ``("month", "quarter", "year")`` in that order; truncation is
    functional by construction.
    """
    chosen = list(levels)
    if not chosen or any(lv not in DATE_LEVELS for lv in chosen):
        raise HierarchyError(f"date levels must be chosen from {', '.join(DATE_LEVELS)}")
    if sorted(chosen, key=DATE_LEVELS.index) != chosen or len(set(chosen)) != len(chosen):
        raise HierarchyError("date levels must go from finer to coarser without repeats")
    rows: list[tuple[str, ...]] = []
    for text in dict.fromkeys(values):
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError(text)
            day = date.fromisoformat(text)
        except (TypeError, ValueError):
            raise HierarchyError(
                f"column {column!r}: value {text!r} is not a date in the form YYYY-MM-DD"
            ) from None
        labels = {
            "month": f"{day.year:04d}-{day.month:02d}",
            "quarter": f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}",
            "year": f"{day.year:04d}",
        }
        rows.append((text, *(labels[lv] for lv in chosen), "*"))
    if not rows:
        raise HierarchyError(f"column {column!r}: no values to build a date hierarchy for")
    return Hierarchy(column=column, rows=tuple(rows))


def flat_hierarchy(column: str, values: Iterable[str]) -> Hierarchy:
    """Hierarchy value -> ``*`` for an open set of labels (names, codes): shown or hidden."""
    rows = tuple((text, "*") for text in dict.fromkeys(values))
    if not rows:
        raise HierarchyError(f"column {column!r}: no values to build a hierarchy for")
    return Hierarchy(column=column, rows=rows)
