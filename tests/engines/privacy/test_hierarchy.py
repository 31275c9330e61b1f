"""Hierarchy files: ARX format, functional levels, coverage of the data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from edubridge.engines.privacy.errors import HierarchyError
from edubridge.engines.privacy.hierarchy import (
    encode_hierarchy,
    encode_values,
    load_hierarchy,
    parse_hierarchy,
)

AGES = "20;20-29;*\n25;20-29;*\n30;30-39;*\n39;30-39;*\n"


def test_parses_one_row_per_value_and_one_column_per_level() -> None:
    hierarchy = parse_hierarchy("age", AGES)
    assert hierarchy.height == 2
    assert hierarchy.leaves() == ("20", "25", "30", "39")


def test_reads_every_adult_hierarchy(adult_dir: Path) -> None:
    for path in sorted(adult_dir.glob("adult_hierarchy_*.csv")):
        column = path.stem.removeprefix("adult_hierarchy_")
        assert load_hierarchy(column, path).height >= 1


def test_refuses_lines_with_different_numbers_of_levels() -> None:
    with pytest.raises(HierarchyError, match="line 2: 2 levels"):
        parse_hierarchy("age", "20;20-29;*\n25;*\n")


def test_refuses_a_label_that_generalizes_two_ways() -> None:
    with pytest.raises(HierarchyError, match="must be functional"):
        parse_hierarchy("x", "a;ab;*\nb;ab;**\n")


def test_refuses_a_value_listed_twice_with_different_labels() -> None:
    with pytest.raises(HierarchyError, match="listed twice"):
        parse_hierarchy("x", "a;ab;*\na;ac;*\n")


def test_names_the_first_value_the_hierarchy_does_not_cover() -> None:
    encoded = encode_hierarchy(parse_hierarchy("age", AGES))
    with pytest.raises(
        HierarchyError, match=r"does not cover value '41' \(first seen in data row 2"
    ):
        encode_values(encoded, ["20", "41", "42"])


def test_numeric_ncp_is_interval_width_over_domain_width() -> None:
    encoded = encode_hierarchy(parse_hierarchy("age", AGES))
    # level 1: [20, 25] and [30, 39] over a domain of width 19; level 2 covers everything
    assert np.allclose(encoded.ncp[1], [5 / 19, 9 / 19])
    assert np.allclose(encoded.ncp[2], [1.0])
    assert np.allclose(encoded.ncp[0], 0.0)


def test_categorical_ncp_is_share_of_leaves_and_zero_for_a_single_value() -> None:
    encoded = encode_hierarchy(parse_hierarchy("c", "a;ab;*\nb;ab;*\nc;c;*\nd;d;*\n"))
    assert np.allclose(encoded.ncp[1], [2 / 4, 0.0, 0.0])
    assert np.allclose(encoded.ncp[2], [1.0])
