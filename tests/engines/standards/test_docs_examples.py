"""Every JSON example in docs/formats/item.md is a valid item (or bank) — the docs stay honest."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from edubridge.engines.standards.items import bank_items, bank_problems, normalize_item
from edubridge.engines.standards.qti.reader import read_item_xml
from edubridge.engines.standards.qti.writer import write_item_xml

DOC = Path(__file__).resolve().parents[3] / "docs" / "formats" / "item.md"
BLOCKS = (
    re.findall(r"```json\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S) if DOC.exists() else []
)


def test_the_document_has_examples() -> None:
    assert len(BLOCKS) >= 4


@pytest.mark.parametrize("block", BLOCKS, ids=[f"example-{i}" for i in range(len(BLOCKS))])
def test_example_is_valid(block: str) -> None:
    assert bank_problems(json.loads(block)) == []


@pytest.mark.parametrize("block", BLOCKS, ids=[f"example-{i}" for i in range(len(BLOCKS))])
def test_example_round_trips_through_qti(block: str) -> None:
    items, _ = bank_items(json.loads(block))
    for item in items:
        assert isinstance(item, dict)
        assert read_item_xml(write_item_xml(item)) == normalize_item(item)
