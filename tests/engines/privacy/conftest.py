"""Shared fixtures: the Adult extract from ../shared/data (never copied into the project)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

ADULT = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "adult"
ADULT_QUASI = ["sex", "age", "race", "marital-status", "education", "native-country"]


@pytest.fixture(scope="session")
def adult_dir() -> Path:
    if not (ADULT / "adult.csv").exists():
        pytest.skip(f"Adult data not found at {ADULT}")
    return ADULT


@pytest.fixture(scope="session")
def adult_sample(adult_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 3,000 Adult rows, so pycanon (pandas loops) checks them in about a second."""
    with (adult_dir / "adult.csv").open(encoding="utf-8") as handle:
        lines = [next(handle) for _ in range(3001)]
    path = tmp_path_factory.mktemp("adult") / "adult-3000.csv"
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def checker() -> Any:
    """pycanon's anonymity module: the independent checker (skips where it is not installed)."""
    pytest.importorskip("pandas")
    return pytest.importorskip("pycanon.anonymity")


def frame(header: list[str] | tuple[str, ...], rows: Any) -> Any:
    import pandas as pd

    return pd.DataFrame(list(rows), columns=list(header))


def read_rows(path: Path, sep: str = ";") -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle, delimiter=sep))
    return records[0], records[1:]
