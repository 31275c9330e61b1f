"""The template answer evaluator accepts plain arithmetic only and computes exactly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edubridge.engines.standards.errors import ExpressionError
from edubridge.engines.standards.expression import (
    canonical_expression,
    evaluate,
    expression_names,
    numbers_equal,
)


def test_evaluates_products_of_variables() -> None:
    assert evaluate("a*b", {"a": 3, "b": 12}) == 36


def test_respects_parentheses_and_precedence() -> None:
    assert evaluate("(a + b) * 2 - c", {"a": 1, "b": 2, "c": 4}) == 2


def test_decimal_arithmetic_is_exact() -> None:
    assert evaluate("a * 3", {"a": 0.1}) == 0.3


def test_true_division_gives_a_float_when_not_whole() -> None:
    assert evaluate("a / 4", {"a": 10}) == 2.5
    assert isinstance(evaluate("a / 5", {"a": 10}), int)


def test_floor_division_and_modulo() -> None:
    assert evaluate("a // 4", {"a": 10}) == 2
    assert evaluate("a % 4", {"a": 10}) == 2


def test_unary_minus_is_allowed() -> None:
    assert evaluate("-a + 5", {"a": 2}) == 3


def test_lists_the_variable_names_used() -> None:
    assert expression_names("price * n + tip") == {"price", "n", "tip"}


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('true')",
        "a ** 2",
        "a if b else c",
        "a.b",
        "f(a)",
        "[a, b]",
        "a < b",
        "'text'",
        "True + 1",
        "lambda: 1",
        "a; b",
    ],
)
def test_refuses_anything_but_arithmetic(text: str) -> None:
    with pytest.raises(ExpressionError):
        evaluate(text, {"a": 1, "b": 2, "c": 3})


def test_reports_unknown_variables_by_name() -> None:
    with pytest.raises(ExpressionError, match="unknown variable 'z'"):
        evaluate("a * z", {"a": 1})


def test_reports_division_by_zero() -> None:
    with pytest.raises(ExpressionError, match="division by zero"):
        evaluate("a / (b - 2)", {"a": 1, "b": 2})


def test_refuses_very_long_expressions() -> None:
    with pytest.raises(ExpressionError, match="longer than"):
        evaluate("+".join(["1"] * 400), {})


def test_canonical_form_normalizes_spacing() -> None:
    assert canonical_expression("a*b+(c)") == "a * b + c"


def test_numbers_equal_uses_absolute_tolerance() -> None:
    assert numbers_equal(36, 36.4, 0.5)
    assert not numbers_equal(36, 36.6, 0.5)


@given(st.integers(-10_000, 10_000), st.integers(-10_000, 10_000))
def test_agrees_with_python_integer_arithmetic(a: int, b: int) -> None:
    assert evaluate("a * b + a - b", {"a": a, "b": b}) == a * b + a - b
    if b:
        assert evaluate("a // b", {"a": a, "b": b}) == a // b
        assert evaluate("a % b", {"a": a, "b": b}) == a % b
