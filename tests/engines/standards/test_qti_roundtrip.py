"""Property: JSON -> QTI 3 XML -> JSON gives the same item (in canonical form)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings

from edubridge.engines.standards.items import normalize_item
from edubridge.engines.standards.qti.reader import read_item_xml
from edubridge.engines.standards.qti.structure import check_item_structure
from edubridge.engines.standards.qti.writer import item_to_element, write_item_xml

from .strategies import items

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(items())
def test_json_qti_json_gives_the_same_item(item: dict[str, Any]) -> None:
    assert read_item_xml(write_item_xml(item)) == normalize_item(item)


@SETTINGS
@given(items())
def test_every_generated_item_passes_the_structural_validator(item: dict[str, Any]) -> None:
    assert check_item_structure(item_to_element(item)) == []


@SETTINGS
@given(items())
def test_writing_the_imported_item_gives_the_same_xml(item: dict[str, Any]) -> None:
    assert write_item_xml(read_item_xml(write_item_xml(item))) == write_item_xml(
        normalize_item(item)
    )
