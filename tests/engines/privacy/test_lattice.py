"""The lattice search finds the least-loss satisfying node: checked against an independent
brute force written here in plain Python (Counter over generalized tuples), not the engine's
own evaluation."""

from __future__ import annotations

import itertools
import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edubridge.engines.privacy.errors import PrivacyInputError
from edubridge.engines.privacy.hierarchy import (
    Hierarchy,
    encode_hierarchy,
    encode_values,
    parse_hierarchy,
)
from edubridge.engines.privacy.lattice import LatticeSearch, PrivacyModel


def _categorical(column: str, size: int) -> Hierarchy:
    """Values v0..v{size-1}; levels: v, pairs, quads, '*'."""
    lines = [f"v{i};p{i // 2};q{i // 4};*" for i in range(size)]
    return parse_hierarchy(column, "\n".join(lines))


def _reference_optimum(
    rows: list[tuple[str, ...]],
    sensitive: list[str] | None,
    hierarchies: list[Hierarchy],
    model: PrivacyModel,
) -> tuple[tuple[int, ...], float] | None:
    """Exhaustive search in plain Python with its own NCP (categorical: share of leaves)."""
    n, q = len(rows), len(hierarchies)
    labels = [{row[0]: row for row in h.rows} for h in hierarchies]
    leaf_share = []
    for h in hierarchies:
        numeric = all(row[0].lstrip("-").isdigit() for row in h.rows)
        span = max(int(r[0]) for r in h.rows) - min(int(r[0]) for r in h.rows) if numeric else 0
        shares = {}
        for level in range(h.height + 1):
            members: dict[str, list[str]] = {}
            for row in h.rows:
                members.setdefault(row[level], []).append(row[0])
            if numeric:
                shares[level] = {
                    label: (max(map(int, vs)) - min(map(int, vs))) / span
                    for label, vs in members.items()
                }
            else:
                shares[level] = {
                    label: (len(vs) / len(h.rows) if len(vs) > 1 else 0.0)
                    for label, vs in members.items()
                }
        leaf_share.append(shares)
    best: tuple[float, int, tuple[int, ...]] | None = None
    for node in itertools.product(*(range(h.height + 1) for h in hierarchies)):
        keys = [tuple(labels[c][row[c]][node[c]] for c in range(q)) for row in rows]
        sizes = Counter(keys)
        diversity: dict[tuple[str, ...], set[str]] = {}
        if sensitive is not None:
            for key, value in zip(keys, sensitive, strict=True):
                diversity.setdefault(key, set()).add(value)
        failing = {
            key
            for key, size in sizes.items()
            if size < model.k or (model.l is not None and len(diversity[key]) < model.l)
        }
        suppressed = sum(sizes[key] for key in failing)
        if suppressed > math.floor(model.suppression_limit * n + 1e-9):
            continue
        total = 0.0
        for key in keys:
            if key in failing:
                total += q
            else:
                total += sum(leaf_share[c][node[c]][key[c]] for c in range(q))
        loss = total / (n * q)
        candidate = (round(loss, 12), sum(node), node)
        if best is None or candidate < best:
            best = candidate
    return None if best is None else (best[2], best[0])


def _search(
    rows: list[tuple[str, ...]],
    sensitive: list[str] | None,
    hierarchies: list[Hierarchy],
    model: PrivacyModel,
) -> LatticeSearch:
    encoded = [encode_hierarchy(h) for h in hierarchies]
    leaves = [encode_values(e, [r[c] for r in rows]) for c, e in enumerate(encoded)]
    codes = None
    if sensitive is not None:
        index: dict[str, int] = {}
        codes = np.array([index.setdefault(v, len(index)) for v in sensitive], dtype=np.int64)
    return LatticeSearch(encoded, leaves, codes, model)


tables = st.integers(min_value=2, max_value=3).flatmap(
    lambda q: st.tuples(
        st.lists(
            st.tuples(*[st.integers(0, 7) for _ in range(q)], st.integers(0, 2)),
            min_size=8,
            max_size=60,
        ),
        st.integers(2, 4),
        st.sampled_from([None, 2]),
        st.sampled_from([0.0, 0.05, 0.2]),
    )
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables)
def test_search_returns_the_brute_force_optimum(
    case: tuple[list[tuple[int, ...]], int, int | None, float],
) -> None:
    raw, k, l_div, suppression = case
    q = len(raw[0]) - 1
    rows = [tuple(f"v{v}" for v in r[:q]) for r in raw]
    sensitive = [f"s{r[q]}" for r in raw]
    hierarchies = [_categorical(f"c{c}", 8) for c in range(q)]
    model = PrivacyModel(k=k, l=l_div, suppression_limit=suppression)
    expected = _reference_optimum(rows, sensitive, hierarchies, model)
    search = _search(rows, sensitive, hierarchies, model)
    if expected is None:
        with pytest.raises(PrivacyInputError, match="impossible"):
            search.run()
        return
    result = search.run()
    assert result.node == expected[0]
    assert result.loss.ncp == pytest.approx(expected[1], abs=1e-9)


def _ages() -> Hierarchy:
    """Ages 10..49 in 5-year, 10-year and 20-year bands, then '*' (numeric NCP)."""
    lines = [
        f"{a};{a // 5 * 5}-{a // 5 * 5 + 4};{a // 10 * 10}s;{a // 20 * 20}+;*"
        for a in range(10, 50)
    ]
    return parse_hierarchy("age", "\n".join(lines))


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(st.integers(10, 49), st.integers(0, 7)), min_size=10, max_size=60),
    st.integers(2, 5),
    st.sampled_from([0.0, 0.1]),
)
def test_search_is_optimal_with_a_numeric_hierarchy(
    raw: list[tuple[int, int]], k: int, suppression: float
) -> None:
    rows = [(str(age), f"v{v}") for age, v in raw]
    hierarchies = [_ages(), _categorical("c1", 8)]
    model = PrivacyModel(k=k, suppression_limit=suppression)
    expected = _reference_optimum(rows, None, hierarchies, model)
    search = _search(rows, None, hierarchies, model)
    if expected is None:
        with pytest.raises(PrivacyInputError):
            search.run()
        return
    result = search.run()
    assert result.node == expected[0]
    assert result.loss.ncp == pytest.approx(expected[1], abs=1e-9)


def test_search_agrees_with_the_engines_own_exhaustive_evaluation() -> None:
    rng = np.random.default_rng(7)
    rows = [tuple(f"v{v}" for v in rng.integers(0, 8, size=3)) for _ in range(300)]
    sensitive = [f"s{v}" for v in rng.integers(0, 3, size=300)]
    hierarchies = [_categorical(f"c{c}", 8) for c in range(3)]
    model = PrivacyModel(k=6, l=2, suppression_limit=0.05)
    found = _search(rows, sensitive, hierarchies, model).run()
    assert found.node == _search(rows, sensitive, hierarchies, model).brute_force()


def test_search_checks_fewer_nodes_than_the_lattice_has() -> None:
    rng = np.random.default_rng(3)
    rows = [tuple(f"v{v}" for v in rng.integers(0, 8, size=3)) for _ in range(400)]
    hierarchies = [_categorical(f"c{c}", 8) for c in range(3)]
    result = _search(rows, None, hierarchies, PrivacyModel(k=5)).run()
    assert result.nodes_checked < result.lattice_size


def test_height_objective_minimizes_generalization_height_first() -> None:
    rng = np.random.default_rng(11)
    rows = [tuple(f"v{v}" for v in rng.integers(0, 8, size=2)) for _ in range(80)]
    hierarchies = [_categorical(f"c{c}", 8) for c in range(2)]
    by_height = _search(rows, None, hierarchies, PrivacyModel(k=4, objective="height")).run()
    by_ncp = _search(rows, None, hierarchies, PrivacyModel(k=4)).run()
    assert by_height.loss.generalization_height <= by_ncp.loss.generalization_height
    assert by_ncp.loss.ncp <= by_height.loss.ncp


def test_suppressed_rows_stay_within_the_limit() -> None:
    rng = np.random.default_rng(5)
    rows = [tuple(f"v{v}" for v in rng.integers(0, 8, size=3)) for _ in range(200)]
    hierarchies = [_categorical(f"c{c}", 8) for c in range(3)]
    result = _search(rows, None, hierarchies, PrivacyModel(k=5, suppression_limit=0.1)).run()
    assert result.loss.suppressed_rows == len(result.suppressed_row_indices) <= 20


def test_the_answer_is_the_same_every_run() -> None:
    rows = [(f"v{i % 8}", f"v{(i * 3) % 8}") for i in range(64)]
    hierarchies = [_categorical(f"c{c}", 8) for c in range(2)]
    nodes = {_search(rows, None, hierarchies, PrivacyModel(k=4)).run().node for _ in range(3)}
    assert len(nodes) == 1


def test_k_larger_than_the_table_is_refused() -> None:
    rows = [("v1", "v2")] * 3
    hierarchies = [_categorical(f"c{c}", 8) for c in range(2)]
    with pytest.raises(PrivacyInputError, match="impossible k: k=4 but the table has only 3"):
        _search(rows, None, hierarchies, PrivacyModel(k=4)).run()


def test_l_above_the_number_of_sensitive_values_is_refused() -> None:
    rows = [("v1", "v2")] * 10
    hierarchies = [_categorical(f"c{c}", 8) for c in range(2)]
    with pytest.raises(PrivacyInputError, match="sensitive column has 2 distinct values"):
        _search(rows, ["a", "b"] * 5, hierarchies, PrivacyModel(k=2, l=3)).run()


@pytest.mark.parametrize("limit", [-0.1, 1.0, 1.5])
def test_suppression_limit_must_be_a_fraction_below_one(limit: float) -> None:
    hierarchies = [_categorical("c0", 8)]
    with pytest.raises(PrivacyInputError, match="suppression limit"):
        _search([("v1",)] * 4, None, hierarchies, PrivacyModel(k=2, suppression_limit=limit))


def test_entropy_l_diversity_is_enforced() -> None:
    # Two quasi-identifier values, each class has a 9:1 skewed sensitive distribution, so
    # distinct l=2 holds at the bottom but entropy l=1.5 needs the classes merged.
    rows = [("v0",)] * 10 + [("v4",)] * 10
    sensitive = ["a"] * 9 + ["b"] + ["b"] * 9 + ["a"]
    hierarchies = [_categorical("c0", 8)]
    distinct = _search(rows, sensitive, hierarchies, PrivacyModel(k=2, l=2)).run()
    entropy = _search(rows, sensitive, hierarchies, PrivacyModel(k=2, entropy_l=1.5)).run()
    assert distinct.node == (0,)
    assert entropy.node == (3,)
