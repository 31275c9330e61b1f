"""Template answer expressions and random rules to and from QTI 3 expression elements.

``a*b + 2`` becomes ``qti-sum(qti-product(a, b), 2)``; unary minus becomes ``qti-subtract(0, x)``.
Reading accepts the n-ary ``qti-sum``/``qti-product`` that other tools write.
"""

from __future__ import annotations

import ast
from fractions import Fraction
from typing import Any

from lxml import etree

from edubridge.engines.standards.errors import Problem, UnsupportedItemError
from edubridge.engines.standards.expression import exact, parse_expression, to_number
from edubridge.engines.standards.qti.names import q

_OP_TO_QTI: dict[type[ast.operator], str] = {
    ast.Add: "qti-sum",
    ast.Sub: "qti-subtract",
    ast.Mult: "qti-product",
    ast.Div: "qti-divide",
    ast.FloorDiv: "qti-integer-divide",
    ast.Mod: "qti-integer-modulus",
}
_QTI_TO_OP: dict[str, ast.operator] = {
    "qti-sum": ast.Add(),
    "qti-subtract": ast.Sub(),
    "qti-product": ast.Mult(),
    "qti-divide": ast.Div(),
    "qti-integer-divide": ast.FloorDiv(),
    "qti-integer-modulus": ast.Mod(),
}


def format_number(value: int | float) -> str:
    """Numbers as QTI and the stem write them: ``12``, ``2.5``."""
    return str(value) if isinstance(value, int) else repr(value)


def parse_number(text: str) -> int | float:
    """``"12"`` -> 12, ``"2.5"`` -> 2.5; raises ValueError for anything else."""
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        value = float(text)
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(text) from None
        return value


def _base_value(parent: etree._Element, value: int | float) -> etree._Element:
    node = etree.SubElement(parent, q("qti-base-value"))
    node.set("base-type", "integer" if isinstance(value, int) else "float")
    node.text = format_number(value)
    return node


def expression_to_qti(parent: etree._Element, text: str) -> None:
    """Append the QTI expression for ``text`` to ``parent``."""
    _emit(parent, parse_expression(text))


def _emit(parent: etree._Element, node: ast.expr) -> None:
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, int | float)  # guaranteed by parse_expression
        _base_value(parent, node.value)
    elif isinstance(node, ast.Name):
        etree.SubElement(parent, q("qti-variable")).set("identifier", node.id)
    elif isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.UAdd):
            _emit(parent, node.operand)
        else:
            sub = etree.SubElement(parent, q("qti-subtract"))
            _base_value(sub, 0)
            _emit(sub, node.operand)
    elif isinstance(node, ast.BinOp):
        sub = etree.SubElement(parent, q(_OP_TO_QTI[type(node.op)]))
        _emit(sub, node.left)
        _emit(sub, node.right)
    else:  # pragma: no cover - parse_expression admits nothing else
        raise TypeError(type(node).__name__)


def qti_to_expression(element: etree._Element) -> str:
    """The arithmetic text of a QTI expression element (canonical spacing)."""
    text: str = ast.unparse(_read(element))
    return text


def _local(element: etree._Element) -> str:
    return str(etree.QName(element).localname)


def _unsupported(element: etree._Element, what: str) -> UnsupportedItemError:
    return UnsupportedItemError(Problem(f"line {element.sourceline}", what))


def _read(element: etree._Element) -> ast.expr:
    name = _local(element)
    children = [c for c in element if isinstance(c.tag, str)]
    if name == "qti-base-value":
        try:
            value = parse_number(element.text or "")
        except ValueError:
            raise _unsupported(element, f"non-numeric base value {element.text!r}") from None
        if value < 0:
            return ast.UnaryOp(ast.USub(), ast.Constant(-value))
        return ast.Constant(value)
    if name == "qti-variable":
        return ast.Name(element.get("identifier", ""), ast.Load())
    if name in _QTI_TO_OP:
        if len(children) < 2 or (name not in ("qti-sum", "qti-product") and len(children) != 2):
            raise _unsupported(element, f"{name} with {len(children)} operands")
        operands = [_read(c) for c in children]
        if (
            name == "qti-subtract"
            and isinstance(operands[0], ast.Constant)
            and operands[0].value == 0
            and isinstance(operands[0].value, int)
        ):
            return ast.UnaryOp(ast.USub(), operands[1])
        result = operands[0]
        for operand in operands[1:]:
            result = ast.BinOp(result, _QTI_TO_OP[name], operand)
        return result
    raise _unsupported(element, f"template expression <{name}> is not plain arithmetic")


def random_rule_to_qti(parent: etree._Element, var: dict[str, Any]) -> None:
    """Append the QTI random generator for a template variable with min and max."""
    low, high = var["min"], var["max"]
    if var["type"] == "integer":
        node = etree.SubElement(parent, q("qti-random-integer"))
        node.set("min", format_number(int(low)))
        node.set("max", format_number(int(high)))
        if "step" in var:
            node.set("step", format_number(int(var["step"])))
    elif "step" in var:
        # QTI's random-float has no step: min + step * random-integer(0, n) keeps the grid.
        steps = int((exact(high) - exact(low)) // exact(var["step"]))
        total = etree.SubElement(parent, q("qti-sum"))
        _float_value(total, low)
        product = etree.SubElement(total, q("qti-product"))
        _float_value(product, var["step"])
        ri = etree.SubElement(product, q("qti-random-integer"))
        ri.set("min", "0")
        ri.set("max", str(steps))
    else:
        node = etree.SubElement(parent, q("qti-random-float"))
        node.set("min", format_number(low))
        node.set("max", format_number(high))


def _float_value(parent: etree._Element, value: int | float) -> None:
    node = etree.SubElement(parent, q("qti-base-value"))
    node.set("base-type", "float")
    node.text = format_number(value)


def random_rule_from_qti(element: etree._Element) -> dict[str, int | float]:
    """``min``/``max``/``step`` of a random generator written by :func:`random_rule_to_qti`."""
    name = _local(element)
    try:
        if name in ("qti-random-integer", "qti-random-float"):
            rule: dict[str, int | float] = {
                "min": parse_number(element.get("min", "")),
                "max": parse_number(element.get("max", "")),
            }
            if name == "qti-random-integer" and element.get("step") is not None:
                rule["step"] = parse_number(element.get("step", ""))
            return rule
        if name == "qti-sum":
            low_el, product = (c for c in element if isinstance(c.tag, str))
            step_el, ri = (c for c in product if isinstance(c.tag, str))
            if _local(product) != "qti-product" or _local(ri) != "qti-random-integer":
                raise ValueError
            low = parse_number(low_el.text or "")
            step = parse_number(step_el.text or "")
            steps = parse_number(ri.get("max", ""))
            high = to_number(exact(low) + exact(step) * Fraction(steps))
            return {
                "min": low,
                "max": float(high) if isinstance(low, float) else high,
                "step": step,
            }
    except ValueError:
        pass
    raise _unsupported(element, f"template rule <{name}> is not a plain random number")
