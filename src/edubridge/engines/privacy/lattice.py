"""Optimal k-anonymity / l-diversity by searching the full generalization lattice.

A lattice node gives one generalization level per quasi-identifier. Checking a node is a group-by
over integer arrays: every column is held as leaf codes, and because hierarchies are functional a
group at a lower node can be rolled up to any higher node from one representative leaf per group
(the "frequency set" of ARX/Flash), so most checks touch far fewer than ``n`` rows.

Exactness rests on two monotone facts:

* privacy (k, distinct-l, entropy-l, with a suppression limit) is monotone: if a node satisfies it,
  so does every generalization of it; if it fails, so does every specialization;
* the generalization-only loss (NCP with no suppression, or the height) is monotone and never
  exceeds the true loss, which adds the cost of suppressed rows.

Nodes are visited in order of that lower bound (ties by height, then by the level vector, so the
answer is deterministic) and the search stops once the bound exceeds the best true loss found, as
in branch and bound. When a node fails, a binary search up a chain above it (Flash-style) finds the
highest failing node on the chain, which tags a whole down-set as failing without checking it.

k over persons. When a table holds several rows per person (a learner's many answers), the caller
may pass a person code per row; then an equivalence class satisfies k only when it holds rows of
at least k *distinct persons*, so one person's repeated rows never fill a class alone. The
frequency sets then keep (group, sensitive value, person) triples, the distinct (class, person)
pairs of a node are counted by one more dense grouping, and monotonicity still holds: a
generalization merges classes, and the person set of a merged class contains each part's.
Distinct l-diversity counts distinct sensitive values per class, which is the same over rows and
over persons; entropy l-diversity weighs rows and is refused with a person column (person
weights do not add up when classes merge, so the monotone search would not stay exact).
Suppression always removes whole failing classes and its limit counts rows (see ADR 0012).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from .errors import PrivacyInputError
from .hierarchy import EncodedHierarchy

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Objective = Literal["ncp", "height"]
Node = tuple[int, ...]

_MAX_KEY_SPACE = 2**62
_MAX_LATTICE = 5_000_000


@dataclass(frozen=True)
class PrivacyModel:
    """What the release must satisfy.

    ``suppression_limit`` is the fraction of rows (0 <= p < 1) that may be dropped; ``l`` is
    distinct l-diversity and ``entropy_l`` entropy l-diversity over the sensitive column.
    """

    k: int
    l: int | None = None  # noqa: E741 - the letter is the name of the model
    entropy_l: float | None = None
    suppression_limit: float = 0.0
    objective: Objective = "ncp"


@dataclass(frozen=True)
class LossReport:
    """Information loss of a chosen generalization (all exact, not estimates).

    ``ncp`` is the normalized certainty penalty averaged over rows and quasi-identifiers
    (0 = original data, 1 = everything suppressed); suppressed rows count 1. ``discernibility``
    is the sum of squared class sizes plus ``n`` for every suppressed row.
    """

    generalization_height: int
    max_height: int
    ncp: float
    discernibility: int
    equivalence_classes: int
    average_class_size: float
    normalized_average_class_size: float
    suppressed_rows: int
    # What k was counted over: "rows" (every row a person) or "persons" (a person column given).
    counted_over: Literal["rows", "persons"] = "rows"
    smallest_class: int = 0  # fewest rows -- or distinct persons -- in any released class
    persons: int | None = None  # distinct persons in the input (person column only)
    persons_released: int | None = None  # distinct persons with at least one released row


@dataclass(frozen=True)
class Evaluation:
    """The outcome of checking one lattice node."""

    node: Node
    satisfied: bool
    suppressed_rows: int
    loss: float


@dataclass(frozen=True)
class LatticeResult:
    node: Node
    loss: LossReport
    suppressed_row_indices: tuple[int, ...]
    lattice_size: int
    nodes_checked: int
    nodes_tagged: int


@dataclass
class _FrequencySet:
    """Distinct (quasi-identifier group, sensitive value) pairs with a representative leaf each."""

    node: Node
    leaves: IntArray  # shape (q, m): one representative leaf per column per group
    sensitive: IntArray  # shape (m,)
    counts: IntArray  # shape (m,)
    persons: IntArray  # shape (m,): the person of each group (zeros without a person column)
    codes: dict[tuple[int, int], IntArray] = field(default_factory=dict)  # (column, level)

    def codes_at(self, column: int, level: int, hierarchy: EncodedHierarchy) -> IntArray:
        """Codes of every group at ``level`` of ``column``, memoized (the bottom is reused most)."""
        found = self.codes.get((column, level))
        if found is None:
            found = self.codes[(column, level)] = hierarchy.codes[level][self.leaves[column]]
        return found


class _Cache:
    """Up to ``slots`` frequency sets of evaluated nodes; the bottom is always available.

    Nodes and sizes sit in arrays so finding the smallest cached specialization of a node is one
    vectorized comparison; when full, the largest entry makes way for a smaller one.
    """

    def __init__(self, bottom: _FrequencySet, slots: int = 64) -> None:
        self.bottom = bottom
        self.nodes = np.zeros((slots, len(bottom.node)), dtype=np.int64)
        self.sizes = np.full(slots, np.iinfo(np.int64).max, dtype=np.int64)
        self.sets: list[_FrequencySet | None] = [None] * slots

    def source(self, node: Node) -> _FrequencySet:
        usable = np.all(self.nodes <= np.asarray(node), axis=1)
        sizes = np.where(usable, self.sizes, np.iinfo(np.int64).max)
        slot = int(np.argmin(sizes))
        found = self.sets[slot]
        if found is None or sizes[slot] >= len(self.bottom.counts):
            return self.bottom
        return found

    def offer(self, groups: int) -> int | None:
        """The slot a frequency set of ``groups`` groups may take, or None if not worth it."""
        slot = int(np.argmax(self.sizes))
        if self.sets[slot] is not None and self.sizes[slot] <= groups:
            return None
        return slot

    def put(self, slot: int, fs: _FrequencySet) -> None:
        self.nodes[slot] = fs.node
        self.sizes[slot] = len(fs.counts)
        self.sets[slot] = fs


class _Tags:
    """What monotonicity has already decided about every lattice node, as flat boolean arrays.

    Tagging a failing node marks its whole down-set failing, and a node satisfied with nothing
    suppressed marks its up-set the same, in one vectorized comparison over the lattice.
    """

    def __init__(self, heights: Sequence[int]) -> None:
        shape = [h + 1 for h in heights]
        # Row i is the i-th node in itertools.product order (C order), one column per QI.
        self.grid = np.indices(shape, dtype=np.int64).reshape(len(shape), -1).T.copy()
        strides = [1] * len(heights)
        for c in range(len(heights) - 2, -1, -1):
            strides[c] = strides[c + 1] * (heights[c + 1] + 1)
        self.strides = np.array(strides, dtype=np.int64)
        self.failing = np.zeros(len(self.grid), dtype=bool)
        self.clean = np.zeros(len(self.grid), dtype=bool)

    def index(self, node: Node) -> int:
        return int(np.dot(self.strides, node))

    def mark_failing(self, node: Node) -> None:
        self.failing |= np.all(self.grid <= np.asarray(node), axis=1)

    def mark_clean(self, node: Node) -> None:
        self.clean |= np.all(self.grid >= np.asarray(node), axis=1)


class _Grouper:
    """Dense group ids without sorting: a reusable scratch table indexed by mixed-radix keys.

    Writing ``row -> scratch[key]`` and reading it back gives every row a representative row of
    its group in O(rows); keys beyond the scratch size are first re-densified the same way, and
    only a single column wider than the table falls back to ``np.unique`` (a sort).
    """

    def __init__(self, size: int = 1 << 20) -> None:
        self.size = size
        self.scratch = np.zeros(size, dtype=np.int32)  # row positions; int32 halves cache use

    def ids(self, columns: Sequence[IntArray], cards: Sequence[int]) -> tuple[IntArray, int]:
        length = len(columns[0]) if columns else 0
        key = np.zeros(length, dtype=np.int64)
        space = 1
        for column, card in zip(columns, cards, strict=True):
            if card <= 1:
                continue
            if space * card > self.size and space > 1:
                key, space = self._densify(key, space)
            key = key * card + column
            space *= card
        return self._densify(key, space)

    def _densify(self, key: IntArray, space: int) -> tuple[IntArray, int]:
        if space > self.size:
            uniques, inverse = np.unique(key, return_inverse=True)
            return np.asarray(inverse.reshape(-1), dtype=np.int64), len(uniques)
        positions = np.arange(len(key), dtype=np.int32)
        self.scratch[key] = positions
        representative = self.scratch[key]
        is_first = representative == positions
        dense = np.cumsum(is_first) - 1
        return np.asarray(dense[representative], dtype=np.int64), int(is_first.sum())

    def representatives(self, gid: IntArray, groups: int) -> IntArray:
        """One row index per group id ``0..groups-1``."""
        out = np.zeros(groups, dtype=np.int64)
        out[gid] = np.arange(len(gid), dtype=np.int64)
        return out


class LatticeSearch:
    """One search over one table; construct, then call :meth:`run` (or :meth:`evaluate`)."""

    def __init__(
        self,
        hierarchies: Sequence[EncodedHierarchy],
        leaves: Sequence[IntArray],
        sensitive: IntArray | None,
        model: PrivacyModel,
        progress: Callable[[int, int], None] | None = None,
        persons: IntArray | None = None,
    ) -> None:
        """``persons`` (optional) gives a person code per row, 0..P-1; with it k counts distinct
        persons per class instead of rows."""
        if model.k < 1:
            raise PrivacyInputError(f"k must be at least 1, got {model.k}")
        if not 0.0 <= model.suppression_limit < 1.0:
            raise PrivacyInputError(
                f"suppression limit must be a fraction in [0, 1), got {model.suppression_limit}"
            )
        if (model.l is not None or model.entropy_l is not None) and sensitive is None:
            raise PrivacyInputError("l-diversity needs a sensitive column")
        if model.l is not None and model.l < 1:
            raise PrivacyInputError(f"l must be at least 1, got {model.l}")
        if model.entropy_l is not None and model.entropy_l < 1.0:
            raise PrivacyInputError(f"entropy l must be at least 1, got {model.entropy_l}")
        if not hierarchies:
            raise PrivacyInputError("at least one quasi-identifier is needed")
        if persons is not None and model.entropy_l is not None:
            raise PrivacyInputError(
                "entropy l-diversity is defined over rows; with a person column use distinct l"
            )
        if persons is not None and len(persons) != len(leaves[0]):
            raise PrivacyInputError("the person column must give one person per row")
        self.h = list(hierarchies)
        self.q = len(self.h)
        self.n = len(leaves[0])
        self.model = model
        self.progress = progress
        self.heights = tuple(h.height for h in self.h)
        size = math.prod(height + 1 for height in self.heights)
        if size > _MAX_LATTICE:
            raise PrivacyInputError(
                f"the generalization lattice has {size} nodes (limit {_MAX_LATTICE}); "
                "declare fewer quasi-identifiers or shorter hierarchies"
            )
        self.lattice_size = size
        self.limit_rows = math.floor(model.suppression_limit * self.n + 1e-9)
        self.diverse = model.l is not None or model.entropy_l is not None
        sens = sensitive if sensitive is not None else np.zeros(self.n, dtype=np.int64)
        self.sens_card = int(sens.max()) + 1 if self.n else 1
        self.by_person = persons is not None
        who = (
            np.asarray(persons, dtype=np.int64)
            if persons is not None
            else np.zeros(self.n, dtype=np.int64)
        )
        self.person_card = int(who.max()) + 1 if self.n else 1
        self.person_count = len(np.unique(who)) if self.by_person else self.n
        self.grouper = _Grouper()
        self.bottom, self.row_group = self._bottom(leaves, sens, who)
        # NCP of each leaf at each level, and the generalization-only NCP per column and level
        # (the monotone lower bound of a node's loss).
        self.leaf_ncp = [[h.ncp[lv][h.codes[lv]] for lv in range(h.height + 1)] for h in self.h]
        leaf_counts = [
            np.bincount(leaf, minlength=len(h.leaf_index)).astype(np.float64)
            for leaf, h in zip(leaves, self.h, strict=True)
        ]
        self.col_loss = [
            np.array([float(np.dot(per_leaf, counts)) for per_leaf in per_level])
            / max(self.n, 1)
            / self.q
            for per_level, counts in zip(self.leaf_ncp, leaf_counts, strict=True)
        ]
        self.cache = _Cache(self.bottom)
        self.evaluations: dict[Node, Evaluation] = {}
        self.tags = _Tags(self.heights)
        self.checked = 0
        self.tagged = 0

    # -- building blocks -------------------------------------------------------------------
    def _bottom(
        self, leaves: Sequence[IntArray], sens: IntArray, who: IntArray
    ) -> tuple[_FrequencySet, IntArray]:
        cols = [*leaves, sens] if self.diverse else list(leaves)
        cards = [len(h.leaf_index) for h in self.h]
        if self.diverse:
            cards.append(self.sens_card)
        if self.by_person:
            cols.append(who)
            cards.append(self.person_card)
        gid, groups = self.grouper.ids(cols, cards)
        first = self.grouper.representatives(gid, groups)
        counts = np.bincount(gid, minlength=groups).astype(np.int64)
        stacked = np.stack([np.asarray(a, dtype=np.int64) for a in leaves])
        fs = _FrequencySet(
            node=(0,) * len(leaves),
            leaves=stacked[:, first],
            sensitive=sens[first],
            counts=counts,
            persons=who[first],
        )
        return fs, gid

    def lower_bound(self, node: Node) -> float:
        """Generalization-only NCP of ``node`` (never above its true NCP)."""
        return float(sum(self.col_loss[c][lv] for c, lv in enumerate(node)))

    def _source(self, node: Node) -> _FrequencySet:
        return self.cache.source(node)

    def _members(self, fs: _FrequencySet, gid: IntArray, groups: int, size: IntArray) -> IntArray:
        """Distinct persons per class (the class sizes when rows are persons)."""
        if not self.by_person:
            return size
        pair, pairs = self.grouper.ids([gid, fs.persons], [groups, self.person_card])
        first = self.grouper.representatives(pair, pairs)
        return np.bincount(gid[first], minlength=groups).astype(np.int64)

    def _classes(
        self, fs: _FrequencySet, node: Node
    ) -> tuple[IntArray, IntArray, BoolArray, IntArray | None, IntArray | None, IntArray]:
        """Group ids, class sizes (rows), failing classes and persons per class of ``node``."""
        codes = [fs.codes_at(c, lv, self.h[c]) for c, lv in enumerate(node)]
        cards = [self.h[c].cardinality[lv] for c, lv in enumerate(node)]
        gid, groups = self.grouper.ids(codes, cards)
        size = np.bincount(gid, weights=fs.counts, minlength=groups).astype(np.int64)
        members = self._members(fs, gid, groups, size)
        fail = members < self.model.k
        pair_first: IntArray | None = None
        pair_counts: IntArray | None = None
        if self.diverse:
            inverse, pairs = self.grouper.ids([gid, fs.sensitive], [groups, self.sens_card])
            first = self.grouper.representatives(inverse, pairs)
            pair_gid = gid[first]
            pair_counts = np.bincount(inverse, weights=fs.counts, minlength=pairs).astype(np.int64)
            pair_first = first
            if self.model.l is not None:
                distinct = np.bincount(pair_gid, minlength=groups)
                fail |= distinct < self.model.l
            if self.model.entropy_l is not None:
                share = pair_counts / size[pair_gid]
                entropy = -np.bincount(pair_gid, weights=share * np.log(share), minlength=groups)
                fail |= entropy < math.log(self.model.entropy_l) - 1e-12
        return gid, size, fail, pair_first, pair_counts, members

    def evaluate(self, node: Node, *, cache: bool = True) -> Evaluation:
        """Check one node exactly (privacy, suppressed rows, true NCP)."""
        known = self.evaluations.get(node)
        if known is not None:
            return known
        fs = self._source(node)
        gid, size, fail, pair_first, pair_counts, _ = self._classes(fs, node)
        suppressed = int(size[fail].sum())
        satisfied = suppressed <= self.limit_rows
        loss = self.lower_bound(node)
        if suppressed and satisfied:  # a failing node's loss is never used
            row_fail = fail[gid]
            row_ncp = np.zeros(int(row_fail.sum()))
            for c, lv in enumerate(node):
                row_ncp += self.leaf_ncp[c][lv][fs.leaves[c][row_fail]]
            extra = float(np.dot(self.q - row_ncp, fs.counts[row_fail]))
            loss += extra / (self.n * self.q)
        result = Evaluation(node=node, satisfied=satisfied, suppressed_rows=suppressed, loss=loss)
        self.evaluations[node] = result
        self.checked += 1
        if satisfied:
            if suppressed == 0:
                self.tags.mark_clean(node)
        else:
            self.tags.mark_failing(node)
        if self.by_person and cache:
            # The cached set must keep every (class, sensitive value, person) apart.
            cols, cards = [gid, fs.persons], [len(size), self.person_card]
            if self.diverse:
                cols, cards = [*cols, fs.sensitive], [*cards, self.sens_card]
            triple, triples = self.grouper.ids(cols, cards)
            pair_first = self.grouper.representatives(triple, triples)
            pair_counts = np.bincount(triple, weights=fs.counts, minlength=triples).astype(np.int64)
        groups = len(pair_counts) if pair_counts is not None else len(size)
        slot = self.cache.offer(groups) if cache and groups < len(fs.counts) else None
        if slot is not None:
            if pair_first is not None and pair_counts is not None:
                keep, counts = pair_first, pair_counts
            else:
                keep = self.grouper.representatives(gid, len(size))
                counts = size
            self.cache.put(
                slot,
                _FrequencySet(
                    node=node,
                    leaves=fs.leaves[:, keep],
                    sensitive=fs.sensitive[keep],
                    counts=counts,
                    persons=fs.persons[keep],
                ),
            )
        if self.progress is not None:
            self.progress(self.checked, self.lattice_size)
        return result

    def _known_failing(self, node: Node) -> bool:
        return bool(self.tags.failing[self.tags.index(node)])

    def _chain_above(self, node: Node) -> list[Node]:
        """A deterministic path from ``node`` to the top, cheapest lower-bound step first."""
        chain = [node]
        current = list(node)
        while True:
            steps = [
                (self.col_loss[c][current[c] + 1] - self.col_loss[c][current[c]], c)
                for c in range(self.q)
                if current[c] < self.heights[c]
            ]
            if not steps:
                return chain
            _, column = min(steps)
            current[column] += 1
            chain.append(tuple(current))

    def _learn_from_failure(self, node: Node) -> None:
        """Binary-search the chain above a failing node for its highest failing point."""
        chain = self._chain_above(node)
        low, high = 0, len(chain) - 1  # chain[low] fails, chain[high] is the top (satisfied)
        while high - low > 1:
            middle = (low + high) // 2
            if self._known_failing(chain[middle]):
                low = middle
                continue
            if self.evaluate(chain[middle]).satisfied:
                high = middle
            else:
                low = middle

    # -- the search ------------------------------------------------------------------------
    def _order(self) -> list[tuple[float, float, Node, int]]:
        """Every node with its bound key (primary, secondary), in ascending key order."""
        grid = self.tags.grid
        bound = np.zeros(len(grid))
        for c in range(self.q):
            bound += self.col_loss[c][grid[:, c]]
        bound = np.round(bound, 12)
        height = grid.sum(axis=1).astype(np.float64)
        primary, secondary = (
            (height, bound) if self.model.objective == "height" else (bound, height)
        )
        keys = np.lexsort((*grid.T[::-1], secondary, primary))
        rows = grid.tolist()
        first, second = primary.tolist(), secondary.tolist()
        return [(first[i], second[i], tuple(rows[i]), int(i)) for i in keys.tolist()]

    def _key(self, loss: float, height: int, node: Node) -> tuple[float, float, Node]:
        # Rounding makes mathematically equal losses tie (then height, then the level vector)
        # instead of being split by float noise; it is monotone, so bounds stay bounds.
        rounded = float(np.round(loss, 12))
        if self.model.objective == "height":
            return (float(height), rounded, node)
        return (rounded, float(height), node)

    def run(self) -> LatticeResult:
        """Find the satisfying node with least loss; raise if no node satisfies the model."""
        top = tuple(self.heights)
        if self.model.k > self.n:
            raise PrivacyInputError(
                f"impossible k: k={self.model.k} but the table has only {self.n} rows"
            )
        if self.model.k > self.person_count:
            raise PrivacyInputError(
                f"impossible k: k={self.model.k} distinct persons per class, but the table holds "
                f"rows of only {self.person_count} persons"
            )
        if not self.evaluate(top).satisfied:
            raise PrivacyInputError(self._impossible_reason())
        best: tuple[float, float, Node] | None = None
        failing, clean = self.tags.failing, self.tags.clean
        for primary, secondary, node, index in self._order():
            if best is not None and (
                primary > best[0] or (primary == best[0] and (secondary, node) > best[1:])
            ):
                break  # every later node has a bound key above the best true key
            if failing[index]:
                self.tagged += 1
                continue
            if clean[index] and node not in self.evaluations:
                self.tagged += 1  # satisfied with nothing suppressed: true key == bound key
                candidate = (primary, secondary, node)
            else:
                result = self.evaluate(node)
                if not result.satisfied:
                    self._learn_from_failure(node)
                    continue
                candidate = self._key(result.loss, sum(node), node)
            if best is None or candidate < best:
                best = candidate
        assert best is not None  # the top node satisfies the model
        return self.finish(best[2])

    def _impossible_reason(self) -> str:
        model = self.model
        parts = [f"k={model.k}"]
        if model.l is not None:
            parts.append(f"l={model.l}")
        if model.entropy_l is not None:
            parts.append(f"entropy l={model.entropy_l}")
        distinct = len(np.unique(self.bottom.sensitive)) if self.diverse else None
        detail = f" (the sensitive column has {distinct} distinct values)" if distinct else ""
        if self.by_person:
            detail += f" (k counted over {self.person_count} distinct persons)"
        return (
            f"impossible: even the fully generalized table ({self.n} rows) cannot satisfy "
            f"{', '.join(parts)} with suppression limit {model.suppression_limit:g}{detail}"
        )

    def finish(self, node: Node) -> LatticeResult:
        """Exact loss figures and the suppressed row indices for ``node``."""
        gid, size, fail, _, _, members = self._classes(self.bottom, node)
        group_fail = fail[gid]  # per bottom frequency-set row
        row_fail = group_fail[self.row_group]
        suppressed = int(size[fail].sum())
        kept_sizes = size[~fail]
        classes = len(kept_sizes)
        kept_rows = self.n - suppressed
        average = kept_rows / classes if classes else 0.0
        loss = self.evaluations[node].loss if node in self.evaluations else self.evaluate(node).loss
        report = LossReport(
            generalization_height=sum(node),
            max_height=sum(self.heights),
            ncp=loss,
            discernibility=int(np.sum(kept_sizes.astype(np.int64) ** 2)) + self.n * suppressed,
            equivalence_classes=classes,
            average_class_size=average,
            normalized_average_class_size=average / self.model.k,
            suppressed_rows=suppressed,
            counted_over="persons" if self.by_person else "rows",
            smallest_class=int(members[~fail].min()) if classes else 0,
            persons=self.person_count if self.by_person else None,
            persons_released=self._persons_released(group_fail) if self.by_person else None,
        )
        return LatticeResult(
            node=node,
            loss=report,
            suppressed_row_indices=tuple(int(i) for i in np.flatnonzero(row_fail)),
            lattice_size=self.lattice_size,
            nodes_checked=self.checked,
            nodes_tagged=self.tagged,
        )

    def _persons_released(self, group_fail: BoolArray) -> int:
        kept = self.bottom.persons[~group_fail]
        return int(np.count_nonzero(np.bincount(kept, minlength=self.person_card)))

    def brute_force(self) -> Node | None:
        """Evaluate every node (for tests and benchmarks): the optimum by exhaustive search."""
        best: tuple[float, float, Node] | None = None
        for _, _, node, _ in self._order():
            result = self.evaluate(node, cache=False)
            if result.satisfied:
                candidate = self._key(result.loss, sum(node), node)
                if best is None or candidate < best:
                    best = candidate
        return None if best is None else best[2]
