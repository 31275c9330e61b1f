"""Safe exact evaluation of small arithmetic expressions (template answers, inferred relations)."""

from __future__ import annotations

import ast
import functools
from collections.abc import Mapping
from fractions import Fraction

from .numbers import to_fraction


class ExprError(ValueError):
    """The expression is not plain arithmetic over known names, or divides by zero."""


def evaluate(expression: str, names: Mapping[str, Fraction]) -> Fraction:
    """Evaluate + - * / // % and parentheses over numeric literals and the given names, exactly."""
    return _eval(_parse(expression), names)


@functools.lru_cache(maxsize=4096)
def _parse(expression: str) -> ast.expr:
    try:
        return ast.parse(expression, mode="eval").body
    except SyntaxError as exc:
        raise ExprError(f"not an arithmetic expression: {expression!r}") from exc


def _eval(node: ast.AST, names: Mapping[str, Fraction]) -> Fraction:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        if isinstance(node.value, bool):
            raise ExprError("booleans are not numbers here")
        return to_fraction(node.value)
    if isinstance(node, ast.Name):
        if node.id not in names:
            raise ExprError(f"unknown name {node.id!r}")
        return names[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        val = _eval(node.operand, names)
        return -val if isinstance(node.op, ast.USub) else val
    if isinstance(node, ast.BinOp):
        left = _eval(node.left, names)
        right = _eval(node.right, names)
        op = node.op
        if isinstance(op, ast.Add):
            return left + right
        if isinstance(op, ast.Sub):
            return left - right
        if isinstance(op, ast.Mult):
            return left * right
        if isinstance(op, ast.Div | ast.FloorDiv | ast.Mod) and right == 0:
            raise ExprError("division by zero")
        if isinstance(op, ast.Div):
            return left / right
        if isinstance(op, ast.FloorDiv):
            return Fraction(left // right)
        if isinstance(op, ast.Mod):
            return left % right
    raise ExprError(f"unsupported syntax: {ast.dump(node)[:60]}")


def names_in(expression: str) -> set[str]:
    """Variable names an expression uses."""
    return {n.id for n in ast.walk(ast.parse(expression, mode="eval")) if isinstance(n, ast.Name)}
