"""Anonymizing a table: output checked by pycanon, an independent implementation of the
k-anonymity and l-diversity definitions (not this project's code)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from edubridge.engines.privacy.anonymize import anonymize_table
from edubridge.engines.privacy.errors import HierarchyError, PrivacyInputError
from edubridge.engines.privacy.hierarchy import load_hierarchy, parse_hierarchy
from edubridge.engines.privacy.lattice import PrivacyModel

from .conftest import ADULT_QUASI, frame, read_rows


def _adult(adult_dir: Path, sample: Path, model: PrivacyModel):  # type: ignore[no-untyped-def]
    header, rows = read_rows(sample)
    hierarchies = {
        c: load_hierarchy(c, adult_dir / f"adult_hierarchy_{c}.csv") for c in ADULT_QUASI
    }
    return anonymize_table(
        header,
        rows,
        quasi_identifiers=ADULT_QUASI,
        sensitive="salary-class",
        hierarchies=hierarchies,
        model=model,
    )


@pytest.mark.parametrize(("k", "suppression"), [(5, 0.0), (10, 0.02)])
def test_release_is_k_anonymous_by_pycanon(
    adult_dir: Path, adult_sample: Path, checker: Any, k: int, suppression: float
) -> None:
    result = _adult(adult_dir, adult_sample, PrivacyModel(k=k, suppression_limit=suppression))
    release = frame(result.header, result.rows)
    assert checker.k_anonymity(release, ADULT_QUASI) >= k
    assert len(release) == result.input_rows - result.loss.suppressed_rows


def test_release_is_l_diverse_by_pycanon(adult_dir: Path, adult_sample: Path, checker: Any) -> None:
    result = _adult(adult_dir, adult_sample, PrivacyModel(k=5, l=2, suppression_limit=0.02))
    release = frame(result.header, result.rows)
    assert checker.k_anonymity(release, ADULT_QUASI) >= 5
    assert checker.l_diversity(release, ADULT_QUASI, ["salary-class"]) >= 2


def test_suppression_stays_within_the_limit(adult_dir: Path, adult_sample: Path) -> None:
    result = _adult(adult_dir, adult_sample, PrivacyModel(k=10, suppression_limit=0.02))
    assert result.loss.suppressed_rows <= 0.02 * result.input_rows


def test_other_columns_pass_through_unchanged() -> None:
    header = ["grade", "id", "score"]
    rows = [["g1", "a", "10"], ["g1", "b", "20"], ["g2", "c", "30"], ["g2", "d", "40"]]
    hierarchy = parse_hierarchy("grade", "g1;*\ng2;*\n")
    result = anonymize_table(
        header,
        rows,
        quasi_identifiers=["grade"],
        sensitive="score",
        hierarchies={"grade": hierarchy},
        model=PrivacyModel(k=2),
    )
    assert [r[1] for r in result.rows] == ["a", "b", "c", "d"]
    assert result.generalization == {"grade": 0}


def test_reasons_name_the_generalization_and_the_suppression() -> None:
    rows = [["g1", "x"], ["g1", "y"], ["g2", "x"]]
    result = anonymize_table(
        ["grade", "s"],
        rows,
        quasi_identifiers=["grade"],
        sensitive="s",
        hierarchies={"grade": parse_hierarchy("grade", "g1;*\ng2;*\n")},
        model=PrivacyModel(k=2, suppression_limit=0.5),
    )
    assert result.reasons[0].startswith("chosen generalization grade=0/1")
    assert "1 of 3 rows suppressed" in result.reasons[1]


def test_unknown_quasi_identifier_is_refused() -> None:
    with pytest.raises(PrivacyInputError, match="unknown column 'agee'"):
        anonymize_table(
            ["age"],
            [["1"]],
            quasi_identifiers=["agee"],
            sensitive=None,
            hierarchies={},
            model=PrivacyModel(k=1),
        )


def test_a_value_outside_the_hierarchy_is_refused() -> None:
    with pytest.raises(HierarchyError, match="does not cover value 'g3'"):
        anonymize_table(
            ["grade"],
            [["g1"], ["g3"]],
            quasi_identifiers=["grade"],
            sensitive=None,
            hierarchies={"grade": parse_hierarchy("grade", "g1;*\ng2;*\n")},
            model=PrivacyModel(k=1),
        )


def test_a_ragged_row_is_refused() -> None:
    with pytest.raises(PrivacyInputError, match="data row 2 has 1 fields"):
        anonymize_table(
            ["grade", "s"],
            [["g1", "x"], ["g2"]],
            quasi_identifiers=["grade"],
            sensitive="s",
            hierarchies={"grade": parse_hierarchy("grade", "g1;*\ng2;*\n")},
            model=PrivacyModel(k=1),
        )


def test_the_raw_sample_is_not_k_anonymous_so_the_checker_is_not_vacuous(
    adult_sample: Path, checker: Any
) -> None:
    header, rows = read_rows(adult_sample)
    assert checker.k_anonymity(frame(header, rows), ADULT_QUASI) < 5
