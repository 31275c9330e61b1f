"""Write an EduBridge JSON item as a QTI 3.0 ``qti-assessment-item``.

The mapping (documented in docs/formats/item.md):

* one response ``RESPONSE``; outcomes ``SCORE`` and ``MAXSCORE`` (the item's max score), plus
  ``FEEDBACK`` when there is feedback and ``HINT`` when there are hints;
* template variables become ``qti-template-declaration``s with their current value as default,
  random rules in ``qti-template-processing`` and the answer as ``qti-set-correct-response``;
  numbers in the stem that print a variable's value become ``qti-printed-variable``;
* scoring is explicit response processing (so max score, tolerance, case and several accepted
  strings survive), or the ``map_response`` template for mappings;
* feedback is ``qti-modal-feedback`` (``correct``/``incorrect``); hints are modal feedback on the
  ``HINT`` outcome (``HINT_1``...), which an EduBridge player sets when a learner asks;
* fields QTI has no place for (subject, grade, licence, alignments, provenance, ...) travel as
  JSON in the ``data-edubridge-item`` attribute of ``qti-item-body``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from lxml import etree

from edubridge.engines.standards.errors import Problem, QtiError
from edubridge.engines.standards.items import scoring_of, validate_item
from edubridge.engines.standards.qti.expressions import (
    expression_to_qti,
    format_number,
    random_rule_to_qti,
)
from edubridge.engines.standards.qti.names import (
    ASI,
    ASI_SCHEMA_LOCATION,
    EXTRAS_ATTRIBUTE,
    EXTRAS_FORMAT,
    MAP_RESPONSE,
    XML,
    XSI,
    q,
)

QTI_FIELDS = frozenset(
    {
        "id",
        "format",
        "language",
        "title",
        "stem",
        "interaction",
        "correct_response",
        "scoring",
        "template",
        "feedback",
        "hints",
    }
)
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_NUMBER_TOKEN = re.compile(r"(?<![0-9.])[0-9]+(?:\.[0-9]+)?(?![0-9])")
_RESPONSE_TYPES = {
    "choice": ("single", "identifier"),
    "multiple_response": ("multiple", "identifier"),
    "order": ("ordered", "identifier"),
    "match": ("multiple", "directedPair"),
    "text_entry": ("single", "string"),
    "numeric_entry": ("single", "float"),
    "extended_text": ("single", "string"),
}


def _sub(
    parent: etree._Element, local: str, text: str | None = None, **attrs: str
) -> etree._Element:
    node = etree.SubElement(parent, q(local))
    for key, value in attrs.items():
        node.set(key.rstrip("_").replace("_", "-"), value)
    if text is not None:
        node.text = text
    return node


def _value_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return format_number(value)
    return str(value)


def item_to_element(item: dict[str, Any]) -> etree._Element:
    """The ``qti-assessment-item`` element for a valid JSON item (validated here)."""
    validate_item(item)
    return build_item_element(item)


def build_item_element(item: dict[str, Any]) -> etree._Element:
    """As :func:`item_to_element`, for an item the caller has already validated."""
    if not _IDENTIFIER.match(item["id"]):
        raise QtiError(Problem("$.id", f"{item['id']!r} is not a valid QTI identifier"))
    try:
        return _build(item)
    except ValueError as exc:  # lxml refuses text that XML cannot hold (control characters)
        raise QtiError(Problem("$", f"text cannot be written as XML: {exc}")) from None


def write_item_xml(item: dict[str, Any]) -> bytes:
    """The QTI 3 XML (UTF-8, with declaration) for a valid JSON item."""
    return bytes(etree.tostring(item_to_element(item), xml_declaration=True, encoding="UTF-8"))


def _build(item: dict[str, Any]) -> etree._Element:
    interaction = item["interaction"]
    kind = interaction["type"]
    scoring = scoring_of(item)
    root = etree.Element(q("qti-assessment-item"), nsmap={None: ASI, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{ASI} {ASI_SCHEMA_LOCATION}")
    root.set("identifier", item["id"])
    root.set("title", item.get("title") or item["id"])
    root.set("adaptive", "false")
    root.set("time-dependent", "false")
    root.set(f"{{{XML}}}lang", item["language"])

    cardinality, base_type = _RESPONSE_TYPES[kind]
    decl = _sub(
        root,
        "qti-response-declaration",
        identifier="RESPONSE",
        cardinality=cardinality,
        base_type=base_type,
    )
    values = item["correct_response"]["values"]
    if values:
        correct = _sub(decl, "qti-correct-response")
        shown = values[:1] if kind == "text_entry" else values
        for value in shown:
            _sub(correct, "qti-value", _value_text(value))
    if scoring["method"] == "map_response":
        mapping = _sub(decl, "qti-mapping", default_value="0")
        case = (
            "false"
            if kind == "text_entry" and not interaction.get("case_sensitive", True)
            else "true"
        )
        for key, score in scoring["mapping"].items():
            _sub(
                mapping,
                "qti-map-entry",
                map_key=key,
                mapped_value=format_number(score),
                case_sensitive=case,
            )

    for ident, default in (("SCORE", 0), ("MAXSCORE", scoring["max_score"])):
        out = _sub(
            root,
            "qti-outcome-declaration",
            identifier=ident,
            cardinality="single",
            base_type="float",
        )
        _sub(_sub(out, "qti-default-value"), "qti-value", format_number(default))
    feedback = item.get("feedback") or {}
    if feedback:
        _sub(
            root,
            "qti-outcome-declaration",
            identifier="FEEDBACK",
            cardinality="single",
            base_type="identifier",
        )
    hints = item.get("hints") or []
    if hints:
        _sub(
            root,
            "qti-outcome-declaration",
            identifier="HINT",
            cardinality="multiple",
            base_type="identifier",
        )

    template = item.get("template")
    if template:
        _write_template(root, template)

    body = _sub(root, "qti-item-body")
    extras = {k: v for k, v in item.items() if k not in QTI_FIELDS}
    if template:
        extras["answer"] = template["answer"]
    if "title" not in item:
        extras["untitled"] = True
    if scoring["method"] == "map_response" and kind in ("text_entry", "numeric_entry"):
        # The map_response template carries neither extra accepted strings nor a tolerance.
        extras["map_entry"] = {
            "values": item["correct_response"]["values"],
            "tolerance": interaction.get("tolerance", 0),
        }
    # Always present: it also tells the reader that the text is ours, to be read exactly.
    body.set(
        EXTRAS_ATTRIBUTE,
        json.dumps({"format": EXTRAS_FORMAT, **extras}, ensure_ascii=False, sort_keys=True),
    )
    printed = _printable_variables(template)
    for line in item["stem"].split("\n"):
        _write_stem_line(_sub(body, "p"), line, printed)
    _write_interaction(body, interaction)

    if scoring["method"] != "human":
        _write_response_processing(root, item, scoring)
    for key in ("correct", "incorrect"):
        if key in feedback:
            _sub(
                root,
                "qti-modal-feedback",
                outcome_identifier="FEEDBACK",
                identifier=key,
                show_hide="show",
            ).append(_text_div(feedback[key]))
    for index, hint in enumerate(hints, start=1):
        _sub(
            root,
            "qti-modal-feedback",
            outcome_identifier="HINT",
            identifier=f"HINT_{index}",
            show_hide="show",
            title="Hint",
        ).append(_text_div(hint))
    return root


def _text_div(text: str) -> etree._Element:
    # Modal feedback content is flow content; a qti-content-body keeps it valid QTI 3.
    body = etree.Element(q("qti-content-body"))
    body.text = text
    return body


def _write_template(root: etree._Element, template: dict[str, Any]) -> None:
    for name, var in template["variables"].items():
        decl = _sub(
            root,
            "qti-template-declaration",
            identifier=name,
            cardinality="single",
            base_type=var["type"],
            param_variable="false",
            math_variable="false",
        )
        _sub(_sub(decl, "qti-default-value"), "qti-value", format_number(var["value"]))
    processing = _sub(root, "qti-template-processing")
    for name, var in template["variables"].items():
        if "min" in var and "max" in var:
            random_rule_to_qti(_sub(processing, "qti-set-template-value", identifier=name), var)
    expression_to_qti(
        _sub(processing, "qti-set-correct-response", identifier="RESPONSE"), template["answer"]
    )


def _printable_variables(template: dict[str, Any] | None) -> list[tuple[str, str]]:
    if not template:
        return []
    return [(name, format_number(var["value"])) for name, var in template["variables"].items()]


def _write_stem_line(p: etree._Element, line: str, printed: list[tuple[str, str]]) -> None:
    """Write ``line`` into ``p``; a number that prints an unused variable's value becomes
    ``qti-printed-variable`` so a QTI player shows the generated value."""
    unused = list(printed)
    last: etree._Element | None = None
    position = 0
    for match in _NUMBER_TOKEN.finditer(line):
        hit = next((pair for pair in unused if pair[1] == match.group(0)), None)
        if hit is None:
            continue
        unused.remove(hit)
        _append_text(p, last, line[position : match.start()])
        last = _sub(p, "qti-printed-variable", identifier=hit[0])
        position = match.end()
    _append_text(p, last, line[position:])


def _append_text(parent: etree._Element, last: etree._Element | None, text: str) -> None:
    if not text:
        return
    if last is None:
        parent.text = (parent.text or "") + text
    else:
        last.tail = (last.tail or "") + text


def _choices(parent: etree._Element, local: str, choices: list[dict[str, str]]) -> None:
    for choice in choices:
        _sub(parent, local, choice["text"], identifier=choice["id"])


def _write_interaction(body: etree._Element, interaction: dict[str, Any]) -> None:
    kind = interaction["type"]
    prompt = interaction.get("prompt")
    if kind in ("text_entry", "numeric_entry"):
        holder = _sub(body, "div", class_="edubridge-response")
        last: etree._Element | None = None
        if prompt:
            last = _sub(holder, "span", prompt, class_="edubridge-prompt")
            last.tail = " "
        entry = _sub(holder, "qti-text-entry-interaction", response_identifier="RESPONSE")
        if "expected_length" in interaction:
            entry.set("expected-length", str(interaction["expected_length"]))
        if interaction.get("unit"):
            entry.tail = " "
            _sub(holder, "span", interaction["unit"], class_="edubridge-unit")
        return
    names = {
        "choice": "qti-choice-interaction",
        "multiple_response": "qti-choice-interaction",
        "order": "qti-order-interaction",
        "match": "qti-match-interaction",
        "extended_text": "qti-extended-text-interaction",
    }
    node = _sub(body, names[kind], response_identifier="RESPONSE")
    if prompt:
        _sub(node, "qti-prompt", prompt)
    if kind in ("choice", "multiple_response", "order", "match"):
        node.set("shuffle", "true" if interaction.get("shuffle") else "false")
    if kind == "choice":
        node.set("max-choices", "1")
        _choices(node, "qti-simple-choice", interaction["choices"])
    elif kind == "multiple_response":
        node.set("max-choices", str(interaction.get("max_choices", 0)))
        _choices(node, "qti-simple-choice", interaction["choices"])
    elif kind == "order":
        _choices(node, "qti-simple-choice", interaction["choices"])
    elif kind == "match":
        node.set("max-associations", str(interaction.get("max_associations", 0)))
        for side in ("source", "target"):
            match_set = _sub(node, "qti-simple-match-set")
            for choice in interaction[side]:
                _sub(
                    match_set,
                    "qti-simple-associable-choice",
                    choice["text"],
                    identifier=choice["id"],
                    match_max="0",
                )
    elif "expected_lines" in interaction:
        node.set("expected-lines", str(interaction["expected_lines"]))


def _set_outcome(
    parent: etree._Element,
    ident: str,
    *,
    variable: str | None = None,
    value: str | None = None,
    base_type: str = "float",
) -> None:
    setter = _sub(parent, "qti-set-outcome-value", identifier=ident)
    if variable is not None:
        _sub(setter, "qti-variable", identifier=variable)
    else:
        _sub(setter, "qti-base-value", value, base_type=base_type)


def _write_response_processing(
    root: etree._Element, item: dict[str, Any], scoring: dict[str, Any]
) -> None:
    interaction = item["interaction"]
    kind = interaction["type"]
    has_feedback = bool(item.get("feedback"))
    if scoring["method"] == "map_response":
        rp = _sub(root, "qti-response-processing")
        if not has_feedback:
            rp.set("template", MAP_RESPONSE)
            return
        setter = _sub(rp, "qti-set-outcome-value", identifier="SCORE")
        _sub(setter, "qti-map-response", identifier="RESPONSE")
        condition = _sub(_sub(rp, "qti-response-condition"), "qti-response-if")
        gte = _sub(condition, "qti-gte")
        _sub(gte, "qti-variable", identifier="SCORE")
        _sub(gte, "qti-variable", identifier="MAXSCORE")
        _set_outcome(condition, "FEEDBACK", value="correct", base_type="identifier")
        otherwise = _sub(condition.getparent(), "qti-response-else")
        _set_outcome(otherwise, "FEEDBACK", value="incorrect", base_type="identifier")
        return
    rp = _sub(root, "qti-response-processing")
    branch = _sub(_sub(rp, "qti-response-condition"), "qti-response-if")
    if kind == "numeric_entry":
        tolerance = interaction.get("tolerance", 0)
        equal = _sub(branch, "qti-equal")
        if tolerance:
            equal.set("tolerance-mode", "absolute")
            equal.set("tolerance", f"{format_number(tolerance)} {format_number(tolerance)}")
        else:
            equal.set("tolerance-mode", "exact")
        _sub(equal, "qti-variable", identifier="RESPONSE")
        _sub(equal, "qti-correct", identifier="RESPONSE")
    elif kind == "text_entry":
        case = "true" if interaction.get("case_sensitive", True) else "false"
        any_of = _sub(branch, "qti-or")
        for value in item["correct_response"]["values"]:
            match = _sub(any_of, "qti-string-match", case_sensitive=case)
            _sub(match, "qti-variable", identifier="RESPONSE")
            _sub(match, "qti-base-value", value, base_type="string")
    else:
        match = _sub(branch, "qti-match")
        _sub(match, "qti-variable", identifier="RESPONSE")
        _sub(match, "qti-correct", identifier="RESPONSE")
    _set_outcome(branch, "SCORE", variable="MAXSCORE")
    if has_feedback:
        _set_outcome(branch, "FEEDBACK", value="correct", base_type="identifier")
    otherwise = _sub(branch.getparent(), "qti-response-else")
    _set_outcome(otherwise, "SCORE", value="0")
    if has_feedback:
        _set_outcome(otherwise, "FEEDBACK", value="incorrect", base_type="identifier")
