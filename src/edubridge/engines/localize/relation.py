"""Infer how the answer follows from the numbers in the stem, without guessing.

All expressions over up to four of the numbers with + - * / are enumerated by subset dynamic
programming. Each expression is evaluated on the real numbers and on two perturbed copies, so
expressions that are the same function (3*12 and 12*3) collapse into one key while different
functions that happen to give the same answer stay apart. One function reaching the answer is a
relation; several are an ambiguity, reported for a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

MAX_NUMBERS = 5
MAX_SUBSET = 4
_PERTURB = ((1.0137, 1.0411, 0.9733, 1.0619, 0.9587), (0.9811, 1.0293, 1.0547, 0.9677, 1.0373))

Key = tuple[float, float, float]
Dim = tuple[int, ...]  # exponents of (money, mass, length, volume); counts are dimensionless
Entry = tuple[str, Dim | None]


@dataclass(frozen=True)
class Relation:
    """An expression over n0, n1, ... (numbers in stem order) that gives a target value."""

    expression: str
    uses: tuple[int, ...]


@dataclass(frozen=True)
class Inference:
    """Result of the search: a relation, or why there is none."""

    relation: Relation | None
    reason: str
    candidates: tuple[str, ...] = ()


def _key(v: tuple[float, float, float]) -> Key:
    return (round(v[0], 9), round(v[1], 7), round(v[2], 7))


class ExpressionTable:
    """Every distinct function of the numbers, searchable for any target value."""

    def __init__(
        self,
        values: list[Fraction],
        dims: list[Dim] | None = None,
        constants: list[Fraction] | None = None,
    ) -> None:
        """dims, when given, forbid adding unlike quantities (yuan + kg, yuan x yuan/kg...).

        constants are numbers said in words ("两人" 2, "a week" 7, "half" 1/2): they join the
        search as fixed literals (not perturbed, as adaptation never changes them).
        """
        self.values = values
        self.dims = dims
        self.constants = list(constants or [])[: max(0, MAX_NUMBERS - len(values))]
        self.table: dict[int, dict[Key, Entry]] = {}
        self.enabled = 0 < len(values) <= MAX_NUMBERS
        if self.enabled:
            self._build()

    def _build(self) -> None:
        n = len(self.values) + len(self.constants)
        for i, x in enumerate(self.values):
            fx = float(x)
            dim = self.dims[i] if self.dims else None
            key = _key((fx, fx * _PERTURB[0][i], fx * _PERTURB[1][i]))
            self.table[1 << i] = {key: (f"n{i}", dim)}
        for j, c in enumerate(self.constants):
            fc = float(c)
            zero: Dim | None = tuple(0 for _ in self.dims[0]) if self.dims else None
            text = str(c.numerator) if c.denominator == 1 else f"({c.numerator}/{c.denominator})"
            self.table[1 << (len(self.values) + j)] = {_key((fc, fc, fc)): (text, zero)}
        for size in range(2, min(n, MAX_SUBSET) + 1):
            for combo in combinations(range(n), size):
                mask = sum(1 << i for i in combo)
                out: dict[Key, Entry] = {}
                # split into two non-empty parts; each unordered pair visited once
                sub = (mask - 1) & mask
                while sub:
                    rest = mask ^ sub
                    if sub > rest:
                        self._combine(self.table[sub], self.table[rest], out)
                    sub = (sub - 1) & mask
                self.table[mask] = out

    @staticmethod
    def _combine(left: dict[Key, Entry], right: dict[Key, Entry], out: dict[Key, Entry]) -> None:
        for ka, (ea, da) in left.items():
            for kb, (eb, db) in right.items():
                cands: list[tuple[tuple[float, float, float], str, Dim | None]] = []
                if da is None or db is None or da == db:
                    cands += [
                        ((ka[0] + kb[0], ka[1] + kb[1], ka[2] + kb[2]), f"({ea}+{eb})", da),
                        ((ka[0] - kb[0], ka[1] - kb[1], ka[2] - kb[2]), f"({ea}-{eb})", da),
                        ((kb[0] - ka[0], kb[1] - ka[1], kb[2] - ka[2]), f"({eb}-{ea})", da),
                    ]
                mul = _dim(da, db, 1)
                cands.append(((ka[0] * kb[0], ka[1] * kb[1], ka[2] * kb[2]), f"{ea}*{eb}", mul))
                if kb[0] != 0 and kb[1] != 0 and kb[2] != 0:
                    val = (ka[0] / kb[0], ka[1] / kb[1], ka[2] / kb[2])
                    cands.append((val, f"{ea}/({eb})", _dim(da, db, -1)))
                if ka[0] != 0 and ka[1] != 0 and ka[2] != 0:
                    val = (kb[0] / ka[0], kb[1] / ka[1], kb[2] / ka[2])
                    cands.append((val, f"{eb}/({ea})", _dim(db, da, -1)))
                for val, text, dim in cands:
                    key = _key(val)
                    if key not in out or len(text) < len(out[key][0]):
                        out[key] = (text, dim)

    def explain(self, target: Fraction, dim: Dim | None = None) -> Inference:
        """The unique function of the numbers equal to target (of dimension dim when given)."""
        if not self.values:
            return Inference(None, "the stem has no numbers")
        if not self.enabled:
            return Inference(None, f"more than {MAX_NUMBERS} numbers: relation not searched")
        goal = float(target)
        found: dict[tuple[int, Key], str] = {}
        for mask, exprs in self.table.items():
            for key, (text, d) in exprs.items():
                if dim is not None and d is not None and d != dim:
                    continue
                if abs(key[0] - goal) <= 1e-9 * max(1.0, abs(goal)):
                    found[(mask, key)] = text
        if not found:
            return Inference(None, "no arithmetic expression over the numbers gives the answer")
        if len(found) > 1:
            cands = tuple(sorted(found.values(), key=len))
            return Inference(None, "several different calculations give the answer", cands[:4])
        (mask, _), text = next(iter(found.items()))
        uses = tuple(i for i in range(len(self.values)) if mask >> i & 1)
        if not uses:
            return Inference(None, "the answer does not depend on the numbers")
        return Inference(Relation(_tidy(text), uses), "unique expression found")


def _dim(a: Dim | None, b: Dim | None, sign: int) -> Dim | None:
    if a is None or b is None:
        return None
    return tuple(x + sign * y for x, y in zip(a, b, strict=True))


def _tidy(text: str) -> str:
    if text.startswith("(") and text.endswith(")"):
        depth = 0
        for i, ch in enumerate(text):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0 and i < len(text) - 1:
                return text
        return text[1:-1]
    return text
