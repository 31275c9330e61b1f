"""Property: damaged QTI never crashes the reader — it imports a valid item or says what is wrong."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from edubridge.engines.standards.errors import StandardsError
from edubridge.engines.standards.items import item_problems
from edubridge.engines.standards.qti.reader import read_item_xml
from edubridge.engines.standards.qti.writer import write_item_xml

from .samples import ALL, sample

NOISE = st.sampled_from(["", "x", "-1", "1.5", "abc def", "0", "true", "RESPONSE", "9" * 30, "NaN"])


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    root = etree.fromstring(write_item_xml(sample(draw(st.sampled_from(sorted(ALL))))))
    for _ in range(draw(st.integers(1, 3))):
        elements = list(root.iter())
        element = draw(st.sampled_from(elements))
        action = draw(st.sampled_from(["remove", "drop-attribute", "set-attribute", "set-text"]))
        if action == "remove" and element.getparent() is not None:
            element.getparent().remove(element)
        elif action == "drop-attribute" and element.attrib:
            del element.attrib[draw(st.sampled_from(sorted(element.attrib)))]
        elif action == "set-attribute" and element.attrib:
            element.set(draw(st.sampled_from(sorted(element.attrib))), draw(NOISE))
        elif action == "set-text":
            element.text = draw(NOISE)
    return bytes(etree.tostring(root))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_damaged_items_import_validly_or_fail_with_a_standards_error(xml: bytes) -> None:
    message = ""
    item: dict[str, Any] | None = None
    try:
        item = read_item_xml(xml, file="damaged.xml")
    except StandardsError as exc:
        message = str(exc)
    if item is None:
        assert message.startswith("damaged.xml: ")
    else:
        assert item_problems(item) == []
