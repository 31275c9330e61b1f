"""Generalization hierarchies: one row per original value, one column per level.

The file format is ARX's (``value;level1;level2;...;*``). A hierarchy must be *functional*: the
label at level ``h + 1`` is determined by the label at level ``h``. That property is what makes
k-anonymity monotone over the generalization lattice, so the search may prune; a file that breaks
it is refused rather than searched wrongly.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from .errors import HierarchyError

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Hierarchy:
    """A generalization hierarchy for one column (plain data).

    ``rows[i][0]`` is an original value and ``rows[i][h]`` its label at level ``h``.
    """

    column: str
    rows: tuple[tuple[str, ...], ...]
    # Rule-built interval hierarchies declare the interval each label stands for and the public
    # domain, so NCP is the interval's width over the domain's rather than the observed spread.
    spans: tuple[tuple[str, float, float], ...] = ()
    domain: tuple[float, float] | None = None

    @property
    def height(self) -> int:
        """Highest level (0 is the original value)."""
        return len(self.rows[0]) - 1

    def leaves(self) -> tuple[str, ...]:
        return tuple(row[0] for row in self.rows)


def parse_hierarchy(column: str, text: str, sep: str = ";", source: str = "") -> Hierarchy:
    """Parse hierarchy text; raise :class:`HierarchyError` naming the line when it is malformed."""
    where = source or f"hierarchy for {column!r}"
    rows: list[tuple[str, ...]] = []
    for number, raw in enumerate(csv.reader(io.StringIO(text), delimiter=sep), start=1):
        cells = list(raw)
        while cells and cells[-1] == "":
            cells.pop()
        if not cells:
            continue
        if rows and len(cells) != len(rows[0]):
            raise HierarchyError(
                f"{where}, line {number}: {len(cells)} levels, but earlier lines have "
                f"{len(rows[0])}"
            )
        rows.append(tuple(cells))
    if not rows:
        raise HierarchyError(f"{where} is empty")
    return _validated(Hierarchy(column=column, rows=tuple(rows)), where)


def load_hierarchy(column: str, path: Path, sep: str = ";") -> Hierarchy:
    """Read a hierarchy file (UTF-8, a BOM tolerated)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise HierarchyError(f"cannot read hierarchy {path}: {exc}") from exc
    return parse_hierarchy(column, text, sep=sep, source=str(path))


def _validated(hierarchy: Hierarchy, where: str) -> Hierarchy:
    seen: dict[str, tuple[str, ...]] = {}
    unique_rows: list[tuple[str, ...]] = []
    for row in hierarchy.rows:
        earlier = seen.get(row[0])
        if earlier is None:
            seen[row[0]] = row
            unique_rows.append(row)
        elif earlier != row:
            raise HierarchyError(f"{where}: value {row[0]!r} is listed twice with different labels")
    for level in range(1, hierarchy.height + 1):
        parent: dict[str, str] = {}
        for row in unique_rows:
            below, above = row[level - 1], row[level]
            known = parent.setdefault(below, above)
            if known != above:
                raise HierarchyError(
                    f"{where}: label {below!r} at level {level - 1} generalizes to both "
                    f"{known!r} and {above!r} at level {level}; hierarchies must be functional"
                )
    return Hierarchy(
        column=hierarchy.column,
        rows=tuple(unique_rows),
        spans=hierarchy.spans,
        domain=hierarchy.domain,
    )


@dataclass(frozen=True)
class EncodedHierarchy:
    """A hierarchy turned into integer codes so lattice checks are array operations.

    ``codes[h][leaf]`` is the code at level ``h`` of leaf ``leaf``; ``labels[h][code]`` its text;
    ``ncp[h][code]`` the normalized certainty penalty of publishing that label (0 = exact,
    1 = fully generalized). Numeric leaves use the interval width; others the share of leaves.
    """

    column: str
    leaf_index: dict[str, int]
    codes: tuple[IntArray, ...]
    labels: tuple[tuple[str, ...], ...]
    ncp: tuple[FloatArray, ...]
    cardinality: tuple[int, ...] = field(default=())

    @property
    def height(self) -> int:
        return len(self.codes) - 1

    def level_map(self, low: int, high: int) -> IntArray:
        """Array mapping a code at level ``low`` to its code at level ``high`` (``high >= low``)."""
        out = np.zeros(self.cardinality[low], dtype=np.int64)
        out[self.codes[low]] = self.codes[high]
        return out


def encode_hierarchy(hierarchy: Hierarchy) -> EncodedHierarchy:
    """Assign dense integer codes per level, in order of first appearance (deterministic)."""
    leaves = hierarchy.leaves()
    numeric = _as_numbers(leaves)
    spans = {label: (low, high) for label, low, high in hierarchy.spans}
    codes: list[IntArray] = []
    labels: list[tuple[str, ...]] = []
    ncps: list[FloatArray] = []
    cards: list[int] = []
    for level in range(hierarchy.height + 1):
        index: dict[str, int] = {}
        level_codes = np.empty(len(leaves), dtype=np.int64)
        for i, row in enumerate(hierarchy.rows):
            level_codes[i] = index.setdefault(row[level], len(index))
        codes.append(level_codes)
        labels.append(tuple(index))
        cards.append(len(index))
        if hierarchy.domain is not None and level > 0:
            ncps.append(_ncp_from_spans(labels[-1], spans, hierarchy.domain))
        else:
            ncps.append(_ncp_per_code(level_codes, len(index), numeric))
    return EncodedHierarchy(
        column=hierarchy.column,
        leaf_index={leaf: i for i, leaf in enumerate(leaves)},
        codes=tuple(codes),
        labels=tuple(labels),
        ncp=tuple(ncps),
        cardinality=tuple(cards),
    )


def _as_numbers(values: Sequence[str]) -> FloatArray | None:
    try:
        numbers = np.array([float(v) for v in values], dtype=np.float64)
    except ValueError:
        return None
    return numbers if bool(np.all(np.isfinite(numbers))) else None


def _ncp_per_code(level_codes: IntArray, card: int, numeric: FloatArray | None) -> FloatArray:
    counts = np.bincount(level_codes, minlength=card).astype(np.float64)
    total = float(len(level_codes))
    if numeric is not None:
        span = float(numeric.max() - numeric.min())
        if span > 0:
            highs = np.full(card, -math.inf)
            lows = np.full(card, math.inf)
            np.maximum.at(highs, level_codes, numeric)
            np.minimum.at(lows, level_codes, numeric)
            return np.asarray((highs - lows) / span, dtype=np.float64)
    out = np.where(counts > 1, counts / total, 0.0)
    return np.asarray(out, dtype=np.float64)


def _ncp_from_spans(
    labels: Sequence[str], spans: dict[str, tuple[float, float]], domain: tuple[float, float]
) -> FloatArray:
    width = domain[1] - domain[0]
    out = np.ones(len(labels), dtype=np.float64)  # a label without a span is fully general
    for code, label in enumerate(labels):
        span = spans.get(label)
        if span is not None and width > 0:
            out[code] = (span[1] - span[0]) / width
    return out


def encode_values(encoded: EncodedHierarchy, values: Sequence[str]) -> IntArray:
    """Leaf index of each value; raise naming the first value the hierarchy does not cover."""
    index = encoded.leaf_index
    try:
        return np.array(list(map(index.__getitem__, values)), dtype=np.int64)
    except KeyError:
        pass
    for row, value in enumerate(values, start=1):
        if value not in index:
            raise HierarchyError(
                f"the hierarchy for column {encoded.column!r} does not cover value {value!r} "
                f"(first seen in data row {row})"
            ) from None
    raise AssertionError("unreachable")  # pragma: no cover
