"""Shared fixtures: the official standards files are read in place from ../shared/standards."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from edubridge.engines.standards.qti.manifest import StandardsConfig

REPO = Path(__file__).resolve().parents[3]
STANDARDS = Path(os.environ.get("EDUBRIDGE_STANDARDS_DIR", REPO.parent / "shared" / "standards"))
QTI_EXAMPLES = STANDARDS / "qti3" / "examples"


@pytest.fixture
def standards_dir() -> Path:
    if not (STANDARDS / "qti3").is_dir():
        pytest.skip(f"official standards files not found at {STANDARDS}")
    return STANDARDS


@pytest.fixture
def config(standards_dir: Path) -> StandardsConfig:
    return StandardsConfig(standards_dir)


@pytest.fixture
def examples(standards_dir: Path) -> Path:
    return standards_dir / "qti3" / "examples"
