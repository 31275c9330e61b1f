"""Hierarchies built by rule (intervals, date truncation): functional, covering every value the
rule admits, refusing values outside it by name, and searched like any hierarchy file."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edubridge.engines.privacy.anonymize import anonymize_table
from edubridge.engines.privacy.errors import HierarchyError
from edubridge.engines.privacy.hierarchy import encode_hierarchy, parse_hierarchy
from edubridge.engines.privacy.lattice import PrivacyModel
from edubridge.engines.privacy.rules import date_hierarchy, interval_hierarchy

from .conftest import frame


def test_interval_labels_nest_and_close_at_the_upper_bound() -> None:
    h = interval_hierarchy(
        "score", ["0", "0.07", "0.1", "0.55", "1"], lower=0, upper=1, widths=(0.1, 0.5)
    )
    rows = {r[0]: r[1:] for r in h.rows}
    assert rows["0"] == ("[0, 0.1)", "[0, 0.5)", "*")
    assert rows["0.07"] == ("[0, 0.1)", "[0, 0.5)", "*")
    assert rows["0.1"] == ("[0.1, 0.2)", "[0, 0.5)", "*")
    assert rows["0.55"] == ("[0.5, 0.6)", "[0.5, 1]", "*")
    assert rows["1"] == ("[0.9, 1]", "[0.5, 1]", "*")


@given(
    st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=60),
    st.sampled_from([(10, 50, 250), (7, 14), (1, 3, 9, 27), (100,)]),
)
def test_interval_hierarchy_is_functional_for_any_values(
    values: list[int], widths: tuple[int, ...]
) -> None:
    h = interval_hierarchy("n", [str(v) for v in values], lower=0, upper=1000, widths=widths)
    text = "\n".join(";".join(r) for r in h.rows)
    # parse_hierarchy refuses any hierarchy that is not functional
    assert parse_hierarchy("n", text).rows == h.rows
    for row in h.rows:
        x = float(row[0])
        for label in row[1:-1]:
            low, high = (float(p) for p in label.strip("[)]").split(", "))
            assert low <= x <= high
            assert x < high or label.endswith("]")


def test_interval_ncp_is_width_over_the_public_domain() -> None:
    h = interval_hierarchy("p", ["0.31", "0.33"], lower=0, upper=1, widths=(0.1, 0.5))
    enc = encode_hierarchy(h)
    assert list(enc.ncp[0]) == [0.0, 0.0]
    assert enc.ncp[1][0] == pytest.approx(0.1)  # not the 0.02 the two values span
    assert enc.ncp[2][0] == pytest.approx(0.5)
    assert enc.ncp[3][0] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1.5", "outside the declared range"),
        ("-0.1", "outside"),
        ("high", "not a number"),
        ("nan", "outside"),
    ],
)
def test_values_outside_the_interval_rule_are_refused_by_name(value: str, message: str) -> None:
    with pytest.raises(HierarchyError, match=message) as info:
        interval_hierarchy("score", ["0.2", value], lower=0, upper=1, widths=(0.1,))
    assert repr(value) in str(info.value)


def test_widths_that_do_not_nest_are_refused() -> None:
    with pytest.raises(HierarchyError, match="whole multiple"):
        interval_hierarchy("score", ["0.2"], lower=0, upper=1, widths=(0.2, 0.5))


def test_dates_truncate_to_month_quarter_year() -> None:
    h = date_hierarchy("day", ["2026-11-02", "2026-02-28"], levels=("month", "quarter", "year"))
    assert h.rows == (
        ("2026-11-02", "2026-11", "2026-Q4", "2026", "*"),
        ("2026-02-28", "2026-02", "2026-Q1", "2026", "*"),
    )


@pytest.mark.parametrize("value", ["02/11/2026", "2026-13-01", "20261102", ""])
def test_non_dates_are_refused_by_name(value: str) -> None:
    with pytest.raises(HierarchyError, match="not a date") as info:
        date_hierarchy("day", ["2026-11-02", value])
    assert repr(value) in str(info.value)


def test_rule_hierarchies_anonymize_a_table_checked_by_pycanon(checker: Any) -> None:
    rng = random.Random(8)
    header = ("day", "score", "passed")
    rows = [
        (
            f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            f"{rng.random():.2f}",
            rng.choice(["yes", "no"]),
        )
        for _ in range(300)
    ]
    result = anonymize_table(
        header,
        rows,
        quasi_identifiers=["day", "score"],
        sensitive="passed",
        hierarchies={
            "day": date_hierarchy("day", [r[0] for r in rows]),
            "score": interval_hierarchy(
                "score", [r[1] for r in rows], lower=0, upper=1, widths=(0.1, 0.5)
            ),
        },
        model=PrivacyModel(k=5, l=2),
    )
    release = frame(result.header, result.rows)
    assert checker.k_anonymity(release, ["day", "score"]) >= 5
    assert checker.l_diversity(release, ["day", "score"], ["passed"]) >= 2
    assert len(result.rows) == 300
    assert result.generalization != {"day": 0, "score": 0}
