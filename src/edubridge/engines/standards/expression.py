"""Safe arithmetic for template ``answer`` expressions (never ``eval``).

An answer such as ``"a*b + 2"`` is parsed with :mod:`ast` and only numbers, variable names,
``+ - * / // %``, unary signs and parentheses are accepted. Evaluation uses exact fractions built
from each number's decimal text, so ``0.1*3`` is exactly ``0.3`` and results compare cleanly with
the correct response.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from fractions import Fraction

from edubridge.engines.standards.errors import ExpressionError, Problem

MAX_LENGTH = 500
MAX_DEPTH = 40
_BINOPS: dict[type[ast.operator], str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
}

Number = int | float


def _fail(text: str, message: str, where: str = "answer") -> ExpressionError:
    return ExpressionError(Problem(where, f"{message} in {text!r}"))


def parse_expression(text: str, *, where: str = "answer") -> ast.expr:
    """Parse ``text`` and return its AST, refusing anything but plain arithmetic."""
    if len(text) > MAX_LENGTH:
        raise _fail(text[:40] + "...", f"expression longer than {MAX_LENGTH} characters", where)
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise _fail(text, f"not an arithmetic expression (column {exc.offset})", where) from None
    _check(tree.body, text, where, 0)
    return tree.body


def _check(node: ast.AST, text: str, where: str, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise _fail(text, "expression nested too deeply", where)
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _BINOPS:
            op = type(node.op).__name__
            raise _fail(text, f"operator {op} is not allowed (only + - * / // %)", where)
        _check(node.left, text, where, depth + 1)
        _check(node.right, text, where, depth + 1)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.UAdd | ast.USub):
            raise _fail(text, f"unary {type(node.op).__name__} is not allowed", where)
        _check(node.operand, text, where, depth + 1)
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise _fail(text, f"only numbers are allowed, not {node.value!r}", where)
    elif isinstance(node, ast.Name):
        pass
    else:
        raise _fail(text, f"{type(node).__name__} is not allowed (only arithmetic)", where)


def expression_names(text: str) -> set[str]:
    """The variable names an expression uses."""
    return {n.id for n in ast.walk(parse_expression(text)) if isinstance(n, ast.Name)}


def canonical_expression(text: str) -> str:
    """The expression with canonical spacing and minimal parentheses (``a*b`` -> ``a * b``)."""
    return ast.unparse(parse_expression(text))


def exact(value: Number) -> Fraction:
    """A number as an exact fraction of its shortest decimal text (0.1 -> 1/10)."""
    if isinstance(value, bool):
        raise TypeError("booleans are not numbers here")
    if isinstance(value, int):
        return Fraction(value)
    return Fraction(repr(value))


def to_number(value: Fraction) -> Number:
    """An exact result as an int when whole, else the nearest float."""
    return int(value) if value.denominator == 1 else float(value)


def evaluate_exact(
    text: str, variables: Mapping[str, Number], *, where: str = "answer"
) -> Fraction:
    """Evaluate ``text`` exactly with the given variable values."""
    values = {name: exact(v) for name, v in variables.items()}
    return _eval(parse_expression(text, where=where), values, text, where)


def evaluate(text: str, variables: Mapping[str, Number], *, where: str = "answer") -> Number:
    """Evaluate ``text``; an int when the result is whole, else a float."""
    return to_number(evaluate_exact(text, variables, where=where))


def _eval(node: ast.expr, values: Mapping[str, Fraction], text: str, where: str) -> Fraction:
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, int | float)  # guaranteed by _check
        return exact(node.value)
    if isinstance(node, ast.Name):
        if node.id not in values:
            raise _fail(text, f"unknown variable {node.id!r}", where)
        return values[node.id]
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, values, text, where)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        left = _eval(node.left, values, text, where)
        right = _eval(node.right, values, text, where)
        op = _BINOPS[type(node.op)]
        if op in ("/", "//", "%") and right == 0:
            raise _fail(text, "division by zero", where)
        if op == "+":
            return left + right
        if op == "-":
            return left - right
        if op == "*":
            return left * right
        if op == "/":
            return left / right
        if op == "//":
            return Fraction(left // right)
        return left % right
    raise _fail(text, "unexpected expression node", where)  # pragma: no cover - _check forbids it


def numbers_equal(a: Number, b: Number, tolerance: Number = 0) -> bool:
    """Exact decimal comparison, widened by an absolute ``tolerance``."""
    return abs(exact(a) - exact(b)) <= exact(tolerance)
