"""k-anonymity over persons: with a person column, an equivalence class satisfies k only when it
holds rows of at least k distinct persons. The search is checked against an exhaustive scan of
every lattice node written here in plain Python (sets of persons per generalized tuple), not the
engine's own evaluation."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edubridge.engines.privacy.anonymize import anonymize_table
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


def _codes(values: list[str]) -> np.ndarray:
    index: dict[str, int] = {}
    return np.array([index.setdefault(v, len(index)) for v in values], dtype=np.int64)


def _search(
    rows: list[tuple[str, ...]],
    persons: list[str] | None,
    sensitive: list[str] | None,
    hierarchies: list[Hierarchy],
    model: PrivacyModel,
) -> LatticeSearch:
    encoded = [encode_hierarchy(h) for h in hierarchies]
    leaves = [encode_values(e, [r[c] for r in rows]) for c, e in enumerate(encoded)]
    return LatticeSearch(
        encoded,
        leaves,
        None if sensitive is None else _codes(sensitive),
        model,
        persons=None if persons is None else _codes(persons),
    )


def _brute_force_over_persons(
    rows: list[tuple[str, ...]],
    persons: list[str],
    sensitive: list[str] | None,
    hierarchies: list[Hierarchy],
    model: PrivacyModel,
) -> tuple[tuple[int, ...], float] | None:
    """Every lattice node, scanned in plain Python; categorical NCP = share of leaves covered."""
    n, q = len(rows), len(hierarchies)
    labels = [{row[0]: row for row in h.rows} for h in hierarchies]
    share = []
    for h in hierarchies:
        per_level = {}
        for level in range(h.height + 1):
            members: dict[str, int] = defaultdict(int)
            for row in h.rows:
                members[row[level]] += 1
            per_level[level] = {
                label: (m / len(h.rows) if m > 1 else 0.0) for label, m in members.items()
            }
        share.append(per_level)
    best: tuple[float, int, tuple[int, ...]] | None = None
    for node in itertools.product(*(range(h.height + 1) for h in hierarchies)):
        keys = [tuple(labels[c][row[c]][node[c]] for c in range(q)) for row in rows]
        people: dict[tuple[str, ...], set[str]] = defaultdict(set)
        values: dict[tuple[str, ...], set[str]] = defaultdict(set)
        sizes: dict[tuple[str, ...], int] = defaultdict(int)
        for i, key in enumerate(keys):
            people[key].add(persons[i])
            sizes[key] += 1
            if sensitive is not None:
                values[key].add(sensitive[i])
        failing = {
            key
            for key in people
            if len(people[key]) < model.k or (model.l is not None and len(values[key]) < model.l)
        }
        if sum(sizes[key] for key in failing) > math.floor(model.suppression_limit * n + 1e-9):
            continue
        total = sum(
            q if key in failing else sum(share[c][node[c]][key[c]] for c in range(q))
            for key in keys
        )
        candidate = (round(total / (n * q), 12), sum(node), node)
        if best is None or candidate < best:
            best = candidate
    return None if best is None else (best[2], best[0])


def test_a_class_holding_one_person_repeated_k_times_fails() -> None:
    hierarchies = [_categorical("c0", 4)]
    rows = [("v0",)] * 5 + [("v2",), ("v2",), ("v3",), ("v3",), ("v3",)]
    persons = ["alice"] * 5 + ["bob", "carol", "dan", "erin", "fay"]
    model = PrivacyModel(k=5)
    # Counting rows, pairs suffice: p0 is alice's five rows, p1 = {v2, v3} five other people.
    assert _search(rows, None, None, hierarchies, model).run().node == (1,)
    by_persons = _search(rows, persons, None, hierarchies, model)
    at_pairs = by_persons.evaluate((1,))
    assert not at_pairs.satisfied
    assert at_pairs.suppressed_rows == 5  # alice's class of five rows holds one person
    result = by_persons.run()
    assert result.node == (2,)  # only the level that merges everyone puts alice among others
    assert result.loss.counted_over == "persons"
    assert result.loss.smallest_class == 6
    assert result.loss.persons == 6


def test_one_person_repeated_k_times_fills_a_row_class_but_not_a_person_class() -> None:
    hierarchies = [_categorical("c0", 4)]
    rows = [("v0",)] * 3 + [("v1",), ("v1",), ("v1",)]
    model = PrivacyModel(k=3)
    assert _search(rows, None, None, hierarchies, model).run().node == (0,)
    persons = ["alice"] * 3 + ["bob", "carol", "dan"]
    result = _search(rows, persons, None, hierarchies, model).run()
    assert result.node == (1,)  # v0 and v1 share p0: alice, bob, carol, dan
    assert result.loss.smallest_class == 4
    assert result.loss.counted_over == "persons"


def test_suppression_limit_counts_rows_and_removes_whole_failing_classes() -> None:
    hierarchies = [_categorical("c0", 8)]
    rows = [("v0",)] * 4 + [("v4",), ("v5",), ("v6",), ("v7",)] * 2
    persons = ["alice"] * 4 + ["b", "c", "d", "e", "f", "g", "h", "i"]
    # alice's four rows (a third of the table) are the only class short of k=2 persons at the
    # bottom; a 40 % row limit lets them go, a 30 % one does not.
    generous = _search(rows, persons, None, hierarchies, PrivacyModel(k=2, suppression_limit=0.4))
    result = generous.run()
    assert result.node == (0,)
    assert result.loss.suppressed_rows == 4
    assert result.suppressed_row_indices == (0, 1, 2, 3)
    assert result.loss.persons_released == 8
    strict = _search(rows, persons, None, hierarchies, PrivacyModel(k=2, suppression_limit=0.3))
    assert strict.run().node == (3,)


def test_without_a_person_column_every_row_is_a_person() -> None:
    hierarchies = [_categorical("c0", 8), _categorical("c1", 8)]
    rng = np.random.default_rng(7)
    rows = [tuple(f"v{v}" for v in rng.integers(0, 8, size=2)) for _ in range(200)]
    model = PrivacyModel(k=4, suppression_limit=0.05)
    as_rows = _search(rows, None, None, hierarchies, model).run()
    one_each = _search(rows, [str(i) for i in range(200)], None, hierarchies, model).run()
    assert as_rows.node == one_each.node
    assert as_rows.loss.ncp == pytest.approx(one_each.loss.ncp)
    assert as_rows.suppressed_row_indices == one_each.suppressed_row_indices
    assert as_rows.loss.counted_over == "rows"
    assert as_rows.loss.persons is None


def test_k_above_the_number_of_persons_is_refused_with_the_count() -> None:
    hierarchies = [_categorical("c0", 4)]
    rows = [("v0",), ("v1",), ("v2",), ("v3",)] * 3
    persons = ["a", "b", "c"] * 4
    with pytest.raises(PrivacyInputError, match="only 3 persons"):
        _search(rows, persons, None, hierarchies, PrivacyModel(k=4)).run()


def test_entropy_l_with_a_person_column_is_refused() -> None:
    hierarchies = [_categorical("c0", 4)]
    with pytest.raises(PrivacyInputError, match="distinct l"):
        _search(
            [("v0",), ("v1",)], ["a", "b"], ["x", "y"], hierarchies, PrivacyModel(2, entropy_l=2)
        )


tables = st.integers(min_value=1, max_value=3).flatmap(
    lambda q: st.tuples(
        st.lists(
            # quasi-identifier leaves, a person (few, so persons repeat), a sensitive value
            st.tuples(*[st.integers(0, 7) for _ in range(q)], st.integers(0, 9), st.integers(0, 2)),
            min_size=6,
            max_size=60,
        ),
        st.integers(2, 4),
        st.sampled_from([None, 2]),
        st.sampled_from([0.0, 0.1, 0.3]),
    )
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables)
def test_search_over_persons_returns_the_brute_force_optimum(
    case: tuple[list[tuple[int, ...]], int, int | None, float],
) -> None:
    raw, k, l_div, suppression = case
    q = len(raw[0]) - 2
    rows = [tuple(f"v{v}" for v in r[:q]) for r in raw]
    persons = [f"p{r[q]}" for r in raw]
    sensitive = [f"s{r[q + 1]}" for r in raw]
    hierarchies = [_categorical(f"c{c}", 8) for c in range(q)]
    model = PrivacyModel(k=k, l=l_div, suppression_limit=suppression)
    expected = _brute_force_over_persons(rows, persons, sensitive, hierarchies, model)
    search = _search(rows, persons, sensitive, hierarchies, model)
    if expected is None:
        with pytest.raises(PrivacyInputError, match="impossible"):
            search.run()
        return
    result = search.run()
    assert result.node == expected[0]
    assert result.loss.ncp == pytest.approx(expected[1], abs=1e-9)
    # Independently: every released class holds at least k persons and l values.
    kept = set(range(len(rows))) - set(result.suppressed_row_indices)
    labels = [{row[0]: row for row in h.rows} for h in hierarchies]
    people: dict[tuple[str, ...], set[str]] = defaultdict(set)
    values: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for i in kept:
        key = tuple(labels[c][rows[i][c]][result.node[c]] for c in range(q))
        people[key].add(persons[i])
        values[key].add(sensitive[i])
    assert all(len(p) >= k for p in people.values())
    if l_div is not None:
        assert all(len(v) >= l_div for v in values.values())
    if people:
        assert result.loss.smallest_class == min(len(p) for p in people.values())


def test_anonymize_table_counts_persons_and_says_so() -> None:
    header = ["learner", "grade", "correct"]
    rows = [("alice", "v0", "yes")] * 6 + [
        (p, f"v{g}", c)
        for p, g, c in zip("bcdefg", [1, 1, 2, 2, 3, 3], ["yes", "no"] * 3, strict=True)
    ]
    result = anonymize_table(
        header,
        rows,
        quasi_identifiers=["grade"],
        sensitive=None,
        hierarchies={"grade": _categorical("grade", 4)},
        model=PrivacyModel(k=3),
        person="learner",
    )
    assert result.generalization == {"grade": 1}  # p0 = alice, b, c; p1 = d, e, f, g
    assert result.loss.smallest_class == 3
    assert result.person == "learner"
    assert any("k counted over distinct persons" in r for r in result.reasons)
    with pytest.raises(PrivacyInputError, match="names the person"):
        anonymize_table(
            header,
            rows,
            quasi_identifiers=["grade"],
            sensitive="learner",
            hierarchies={"grade": _categorical("grade", 4)},
            model=PrivacyModel(k=3),
            person="learner",
        )
    with pytest.raises(PrivacyInputError, match="unknown column 'who'"):
        anonymize_table(
            header,
            rows,
            quasi_identifiers=["grade"],
            sensitive=None,
            hierarchies={"grade": _categorical("grade", 4)},
            model=PrivacyModel(k=3),
            person="who",
        )


def test_the_command_counts_persons_with_person_and_checks_the_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from edubridge.engines.privacy.cli import main

    (tmp_path / "h").mkdir()
    (tmp_path / "h" / "t_hierarchy_grade.csv").write_text(
        "\n".join(f"v{i};p{i // 2};q{i // 4};*" for i in range(4)), encoding="utf-8"
    )
    table = ["learner,grade,correct"] + [f"alice,v0,{c}" for c in ["yes", "no"] * 3]
    table += [f"{p},v{g},yes" for p, g in zip("bcdefg", [1, 1, 2, 2, 3, 3], strict=True)]
    (tmp_path / "in.csv").write_text("\n".join(table) + "\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    common = ["--input", str(tmp_path / "in.csv"), "--quasi", "grade"]
    common += ["--hierarchies", str(tmp_path / "h"), "--k", "3", "--out", str(out)]
    assert main([*common, "--person", "learner"]) == 0
    printed = capsys.readouterr().out
    assert "k counted over distinct persons (learner): smallest class 3 persons" in printed
    released = out.read_text(encoding="utf-8").splitlines()[1:]
    people: dict[str, set[str]] = defaultdict(set)
    for line in released:
        learner, grade, _ = line.split(",")
        people[grade].add(learner)
    assert min(len(p) for p in people.values()) >= 3
    out.unlink()
    assert main([*common, "--person", "who"]) == 2
    assert "unknown column 'who'" in capsys.readouterr().err
    assert not out.exists()
