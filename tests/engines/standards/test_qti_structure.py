"""The project's strict structural validator for QTI 3 items (the ASI XSD is not available)."""

from __future__ import annotations

from lxml import etree

from edubridge.engines.standards.qti.structure import check_item_structure
from edubridge.engines.standards.qti.writer import write_item_xml

from .samples import sample


def _problems(xml: bytes) -> list[str]:
    return [str(p) for p in check_item_structure(etree.fromstring(xml))]


def _pork() -> bytes:
    return write_item_xml(sample("numeric_entry"))


def test_a_written_item_has_no_problems() -> None:
    assert _problems(_pork()) == []


def test_qti_2_items_are_named_as_such() -> None:
    xml = b'<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="x" title="x"/>'
    assert _problems(xml) == [
        "line 1: this is a QTI 2.x item (http://www.imsglobal.org/xsd/imsqti_v2p1); QTI 3.0 is expected"
    ]


def test_wrong_namespace_is_refused() -> None:
    xml = b'<qti-assessment-item xmlns="http://example.com/not-qti" identifier="x" title="x"/>'
    assert "expected qti-assessment-item in namespace" in _problems(xml)[0]


def test_missing_title_is_reported() -> None:
    xml = _pork().replace(b' title="', b' data-x="')
    assert any("missing required attribute 'title'" in p for p in _problems(xml))


def test_parts_out_of_order_are_reported() -> None:
    root = etree.fromstring(_pork())
    body = root.find("{*}qti-item-body")
    root.remove(body)
    root.insert(0, body)
    assert any("out of order" in str(p) for p in check_item_structure(root))


def test_unknown_cardinality_is_reported() -> None:
    xml = _pork().replace(
        b'cardinality="single" base-type="float"', b'cardinality="one" base-type="float"', 1
    )
    assert any("cardinality 'one'" in p for p in _problems(xml))


def test_value_that_does_not_fit_its_base_type_is_reported() -> None:
    xml = _pork().replace(b"<qti-value>36</qti-value>", b"<qti-value>thirty-six</qti-value>")
    assert any("'thirty-six' is not a float" in p for p in _problems(xml))


def test_undeclared_response_identifier_is_reported() -> None:
    xml = _pork().replace(b'response-identifier="RESPONSE"', b'response-identifier="NOPE"')
    assert any("'NOPE' is not a declared response" in p for p in _problems(xml))


def test_duplicate_declarations_are_reported() -> None:
    root = etree.fromstring(_pork())
    decl = root.find("{*}qti-outcome-declaration")
    decl.addnext(etree.fromstring(etree.tostring(decl)))
    assert any("declared twice" in str(p) for p in check_item_structure(root))


def test_duplicate_choice_ids_are_reported() -> None:
    xml = write_item_xml(sample("choice")).replace(b'identifier="B"', b'identifier="A"')
    assert any("used twice" in p for p in _problems(xml))


def test_unknown_body_element_is_reported_with_its_line() -> None:
    xml = _pork().replace(b"<p>", b"<blink>", 1).replace(b"</p>", b"</blink>", 1)
    assert any(p.startswith("line 2 <blink>: unknown element") for p in _problems(xml))


def test_modal_feedback_must_use_a_declared_outcome() -> None:
    xml = _pork().replace(b'outcome-identifier="FEEDBACK"', b'outcome-identifier="GHOST"')
    assert any("'GHOST' is not a declared outcome" in p for p in _problems(xml))


def test_variables_in_processing_must_be_declared() -> None:
    xml = _pork().replace(b'<qti-variable identifier="a"/>', b'<qti-variable identifier="zz"/>')
    assert any("'zz' is not declared" in p for p in _problems(xml))
