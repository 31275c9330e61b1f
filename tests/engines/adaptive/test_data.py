"""The three-line reader accepts the published format and names the line of any error."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from edubridge.engines.adaptive.data import KTFormatError, parse_three_line, read_three_line


def test_parses_learners_in_order_with_trailing_commas() -> None:
    log = parse_three_line("3\n1,1,2,\n0,1,1,\n1\n5\n0\n")
    assert log.learner.tolist() == [0, 0, 0, 1]
    assert log.skill.tolist() == [1, 1, 2, 5]
    assert log.correct.tolist() == [0, 1, 1, 0]


def test_count_mismatch_names_the_skill_line() -> None:
    with pytest.raises(KTFormatError, match="line 2: 2 skill ids but count says 3"):
        parse_three_line("3\n1,2\n0,1,1\n")


def test_outcome_other_than_zero_or_one_names_the_outcome_line() -> None:
    with pytest.raises(KTFormatError, match="line 6: outcomes must be 0 or 1"):
        parse_three_line("1\n1\n1\n2\n1,1\n1,2\n")


def test_non_integer_count_is_rejected() -> None:
    with pytest.raises(KTFormatError, match="line 1: expected a response count"):
        parse_three_line("x\n1\n1\n")


def test_incomplete_block_is_rejected() -> None:
    with pytest.raises(KTFormatError, match="incomplete block"):
        parse_three_line("2\n1,1\n1,0\n3\n1,1,1\n")


def test_empty_file_is_rejected() -> None:
    with pytest.raises(KTFormatError, match="empty"):
        parse_three_line("\n\n")


def test_unreadable_file_is_a_format_error(tmp_path: Path) -> None:
    with pytest.raises(KTFormatError, match="cannot read"):
        read_three_line(tmp_path / "missing.csv")


def test_published_split_reads(tmp_path: Path) -> None:
    path = Path(__file__).resolve().parents[3].parent / "shared/data/knowledge-tracing"
    test_file = path / "assist2015_test.csv"
    if not test_file.exists():
        pytest.skip("shared data not present")
    log = read_three_line(test_file)
    assert log.n_responses == 199_761
    assert set(np.unique(log.correct).tolist()) == {0, 1}
