"""Inferring how the answer follows from the numbers, and refusing to guess."""

from __future__ import annotations

from fractions import Fraction

from edubridge.engines.localize.expr import evaluate
from edubridge.engines.localize.relation import ExpressionTable

F = Fraction


def test_a_product_is_found_and_commuted_forms_count_once() -> None:
    inf = ExpressionTable([F(3), F(12)]).explain(F(36))
    assert inf.relation is not None
    assert evaluate(inf.relation.expression, {"n0": F(5), "n1": F(7)}) == 35


def test_a_two_step_relation_is_found() -> None:
    inf = ExpressionTable([F(2), F(35), F(100)]).explain(F(30))
    assert inf.relation is not None
    assert evaluate(inf.relation.expression, {"n0": F(2), "n1": F(35000), "n2": F(100000)}) == 30000


def test_two_different_calculations_are_reported_not_guessed() -> None:
    inf = ExpressionTable([F(10), F(3), F(2)]).explain(F(4))  # 10-3*2 and (10+2)/3
    assert inf.relation is None
    assert len(inf.candidates) >= 2


def test_dimensions_settle_an_ambiguity() -> None:
    # 2 jin, 3 jin, 4 yuan/jin, 5 yuan/jin -> 23 yuan; 5*4+3 would add yuan^2 and jin
    values = [F(2), F(3), F(4), F(5)]
    dims = [(0, 1, 0, 0, 0), (0, 1, 0, 0, 0), (1, -1, 0, 0, 0), (1, -1, 0, 0, 0)]
    assert ExpressionTable(values).explain(F(23)).relation is None
    inf = ExpressionTable(values, dims).explain(F(23), (1, 0, 0, 0, 0))
    assert inf.relation is not None
    assert evaluate(inf.relation.expression, {f"n{i}": v for i, v in enumerate(values)}) == 23


def test_no_expression_means_no_relation() -> None:
    assert ExpressionTable([F(8), F(5)]).explain(F(26)).relation is None  # (8+5)*2


def test_too_many_numbers_are_not_searched() -> None:
    inf = ExpressionTable([F(i) for i in range(1, 8)]).explain(F(3))
    assert inf.relation is None
    assert "not searched" in inf.reason
