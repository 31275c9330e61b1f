"""A strict structural validator for QTI 3.0 items, used because the ASI XSD is not available.

It is the project's own check, not the 1EdTech schema: it enforces what the EduBridge reader
relies on and what most often breaks in hand-made items — the root element and namespace, the
order and multiplicity of the item's top-level children, declaration attributes and values,
unique identifiers, interactions and feedback that refer to declared variables, known
element names in the item body, and identifier syntax. See docs/formats/item.md.
"""

from __future__ import annotations

import re

from lxml import etree

from edubridge.engines.standards.errors import Problem
from edubridge.engines.standards.qti.names import (
    ALL_INTERACTIONS,
    ASI,
    BASE_TYPES,
    CARDINALITIES,
    MATHML,
    QTI2_NAMESPACES,
    SSML,
    XINCLUDE,
)
from edubridge.engines.standards.text import words

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
# (local name, max occurrences or None for unbounded), in the order QTI 3 requires.
_TOP_LEVEL: list[tuple[str, int | None]] = [
    ("qti-context-declaration", None),
    ("qti-response-declaration", None),
    ("qti-outcome-declaration", None),
    ("qti-template-declaration", None),
    ("qti-template-processing", 1),
    ("qti-assessment-stimulus-ref", None),
    ("qti-companion-materials-info", 1),
    ("qti-stylesheet", None),
    ("qti-item-body", 1),
    ("qti-catalog-info", 1),
    ("qti-response-processing", 1),
    ("qti-modal-feedback", None),
]
_HTML = frozenset(
    words(
        "a abbr address article aside audio b bdi bdo big blockquote br caption cite code col "
        "colgroup dd del details dfn div dl dt em figcaption figure footer h1 h2 h3 h4 h5 h6 "
        "header hr i img ins kbd label li map area nav object param ol p picture pre q rb rp rt "
        "rtc ruby s "
        "samp section small source span strong sub summary sup table tbody td tfoot th thead tr "
        "track tt u ul var video"
    )
)
_BODY_QTI = (
    frozenset(
        words(
            """qti-prompt qti-simple-choice qti-simple-match-set qti-simple-associable-choice
    qti-inline-choice qti-gap qti-gap-text qti-gap-img qti-hottext qti-hotspot-choice
    qti-associable-hotspot qti-printed-variable qti-feedback-block qti-feedback-inline
    qti-template-block qti-template-inline qti-rubric-block qti-content-body qti-stimulus-body
    qti-label qti-interaction-markup qti-interaction-modules qti-interaction-module
    qti-template-variable qti-context-variable qti-prompt qti-position-object-stage
    qti-portable-custom-interaction qti-catalog qti-card qti-card-entry qti-html-content
    qti-file-href qti-object qti-math"""
        )
    )
    | ALL_INTERACTIONS
)
_NUMERIC = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _where(element: etree._Element) -> str:
    return f"line {element.sourceline} <{etree.QName(element).localname}>"


def check_item_structure(root: etree._Element) -> list[Problem]:
    """Every structural problem of a ``qti-assessment-item``; empty when it is sound."""
    problems: list[Problem] = []
    tag = etree.QName(root)
    if tag.namespace in QTI2_NAMESPACES:
        return [Problem("line 1", f"this is a QTI 2.x item ({tag.namespace}); QTI 3.0 is expected")]
    if tag.namespace != ASI:
        return [
            Problem(
                f"line {root.sourceline}",
                f"root element is {{{tag.namespace}}}{tag.localname}; expected "
                f"qti-assessment-item in namespace {ASI}",
            )
        ]
    if tag.localname != "qti-assessment-item":
        return [
            Problem(
                f"line {root.sourceline}",
                f"root element is <{tag.localname}>, not <qti-assessment-item>",
            )
        ]
    for attr in ("identifier", "title"):
        if not root.get(attr):
            problems.append(Problem(_where(root), f"missing required attribute {attr!r}"))
    for attr in ("time-dependent", "adaptive"):
        if root.get(attr) not in (None, "true", "false"):
            problems.append(Problem(_where(root), f"{attr} must be true or false"))
    _check_order(root, problems)
    declared = _check_declarations(root, problems)
    _check_body(root, declared, problems)
    _check_references(root, declared, problems)
    return problems


def _check_order(root: etree._Element, problems: list[Problem]) -> None:
    order = {name: index for index, (name, _) in enumerate(_TOP_LEVEL)}
    limits = dict(_TOP_LEVEL)
    counts: dict[str, int] = {}
    last = -1
    for child in root:
        if not isinstance(child.tag, str):
            continue
        qname = etree.QName(child)
        if qname.namespace != ASI or qname.localname not in order:
            problems.append(
                Problem(_where(child), "element not allowed directly in qti-assessment-item")
            )
            continue
        position = order[qname.localname]
        if position < last:
            problems.append(
                Problem(_where(child), "element out of order (QTI 3 fixes the order of item parts)")
            )
        last = max(last, position)
        counts[qname.localname] = counts.get(qname.localname, 0) + 1
        limit = limits[qname.localname]
        if limit is not None and counts[qname.localname] > limit:
            problems.append(Problem(_where(child), f"at most {limit} allowed"))


def _check_value(element: etree._Element, base_type: str | None, problems: list[Problem]) -> None:
    text = (element.text or "").strip()
    if base_type in ("integer", "float") and not _NUMERIC.match(text):
        problems.append(Problem(_where(element), f"{text!r} is not a {base_type}"))
    elif base_type == "integer" and not re.match(r"^[+-]?\d+$", text):
        problems.append(Problem(_where(element), f"{text!r} is not an integer"))
    elif base_type == "boolean" and text not in ("true", "false", "1", "0"):
        problems.append(Problem(_where(element), f"{text!r} is not a boolean"))
    elif base_type == "identifier" and not _IDENTIFIER.match(text):
        problems.append(Problem(_where(element), f"{text!r} is not an identifier"))
    elif base_type in ("pair", "directedPair"):
        parts = text.split()
        if len(parts) != 2 or not all(_IDENTIFIER.match(p) for p in parts):
            problems.append(Problem(_where(element), f"{text!r} is not a pair of identifiers"))


def _check_declarations(root: etree._Element, problems: list[Problem]) -> dict[str, str]:
    """Check declarations; return identifier -> kind (response/outcome/template/context)."""
    declared: dict[str, str] = {}
    for child in root:
        if not isinstance(child.tag, str) or etree.QName(child).namespace != ASI:
            continue
        name = etree.QName(child).localname
        if not name.endswith("-declaration"):
            continue
        kind = name[4:-12]
        ident = child.get("identifier")
        if not ident or not _IDENTIFIER.match(ident):
            problems.append(Problem(_where(child), f"invalid or missing identifier {ident!r}"))
            continue
        if ident in declared:
            problems.append(Problem(_where(child), f"identifier {ident!r} declared twice"))
        declared[ident] = kind
        cardinality = child.get("cardinality")
        base_type = child.get("base-type")
        if cardinality not in CARDINALITIES:
            problems.append(
                Problem(
                    _where(child),
                    f"cardinality {cardinality!r} is not one of {sorted(CARDINALITIES)}",
                )
            )
        if cardinality != "record" and kind != "context" and base_type not in BASE_TYPES:
            problems.append(
                Problem(_where(child), f"base-type {base_type!r} is not a QTI base type")
            )
        for value in child.iter(f"{{{ASI}}}qti-value"):
            _check_value(value, value.get("base-type") or base_type, problems)
        for entry in child.iter(f"{{{ASI}}}qti-map-entry"):
            if entry.get("map-key") is None or entry.get("mapped-value") is None:
                problems.append(Problem(_where(entry), "map entries need map-key and mapped-value"))
            elif not _NUMERIC.match(entry.get("mapped-value", "")):
                problems.append(Problem(_where(entry), "mapped-value must be a number"))
        correct = child.find(f"{{{ASI}}}qti-correct-response")
        if (
            correct is not None
            and cardinality == "single"
            and len(correct.findall(f"{{{ASI}}}qti-value")) > 1
        ):
            problems.append(Problem(_where(correct), "single cardinality allows one correct value"))
    return declared


def _check_body(root: etree._Element, declared: dict[str, str], problems: list[Problem]) -> None:
    body = root.find(f"{{{ASI}}}qti-item-body")
    if body is None:
        return
    for element in body.iterdescendants():
        if not isinstance(element.tag, str):
            continue
        qname = etree.QName(element)
        if qname.namespace in (MATHML, SSML, XINCLUDE):
            continue
        if qname.namespace != ASI:
            problems.append(
                Problem(
                    _where(element),
                    f"namespace {qname.namespace!r} is not allowed in the item body",
                )
            )
            continue
        if qname.localname not in _HTML and qname.localname not in _BODY_QTI:
            problems.append(Problem(_where(element), "unknown element in qti-item-body"))
        if qname.localname in ALL_INTERACTIONS:
            response = element.get("response-identifier")
            if (
                qname.localname != "qti-portable-custom-interaction"
                and declared.get(response or "") != "response"
            ):
                problems.append(
                    Problem(
                        _where(element),
                        f"response-identifier {response!r} is not a declared response",
                    )
                )
        if qname.localname in ("qti-choice-interaction", "qti-order-interaction"):
            ids = [c.get("identifier") for c in element.findall(f"{{{ASI}}}qti-simple-choice")]
            _unique_ids(element, ids, problems)
        if qname.localname == "qti-match-interaction":
            ids = [
                c.get("identifier") for c in element.iter(f"{{{ASI}}}qti-simple-associable-choice")
            ]
            _unique_ids(element, ids, problems)
        for attr in (
            "max-choices",
            "min-choices",
            "max-associations",
            "expected-length",
            "expected-lines",
        ):
            value = element.get(attr)
            if value is not None and not value.isdigit():
                problems.append(Problem(_where(element), f"{attr} must be a non-negative integer"))


def _unique_ids(element: etree._Element, ids: list[str | None], problems: list[Problem]) -> None:
    seen: set[str] = set()
    for ident in ids:
        if not ident or not _IDENTIFIER.match(ident):
            problems.append(Problem(_where(element), f"choice identifier {ident!r} is invalid"))
        elif ident in seen:
            problems.append(Problem(_where(element), f"choice identifier {ident!r} used twice"))
        else:
            seen.add(ident)


def _check_references(
    root: etree._Element, declared: dict[str, str], problems: list[Problem]
) -> None:
    for element in root.iter():
        if not isinstance(element.tag, str) or etree.QName(element).namespace != ASI:
            continue
        name = etree.QName(element).localname
        if name in (
            "qti-variable",
            "qti-correct",
            "qti-map-response",
            "qti-set-outcome-value",
            "qti-set-template-value",
            "qti-set-correct-response",
            "qti-printed-variable",
        ):
            ident = element.get("identifier")
            if ident not in declared and not (ident or "").startswith(("duration", "numAttempts")):
                problems.append(Problem(_where(element), f"{ident!r} is not declared"))
        if name == "qti-modal-feedback":
            outcome = element.get("outcome-identifier")
            if declared.get(outcome or "") != "outcome":
                problems.append(
                    Problem(
                        _where(element), f"outcome-identifier {outcome!r} is not a declared outcome"
                    )
                )
            if element.get("show-hide") not in ("show", "hide"):
                problems.append(Problem(_where(element), "show-hide must be show or hide"))
            if not element.get("identifier"):
                problems.append(Problem(_where(element), "missing identifier"))
