"""One published lottery breaks every tie, and anyone can recompute it from the seed."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edubridge.engines.matching import Application, Place, draw_lottery, match

ids = st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=30, unique=True)


@given(ids, st.integers(0, 2**63))
def test_lottery_is_the_sha256_order_of_seed_and_id(applicants: list[str], seed: int) -> None:
    expected = sorted(applicants, key=lambda a: hashlib.sha256(f"{seed}:{a}".encode()).digest())
    assert list(draw_lottery(applicants, seed)) == expected


@given(ids, st.integers(0, 2**31))
def test_lottery_order_of_a_subset_is_the_same_order(applicants: list[str], seed: int) -> None:
    full = draw_lottery(applicants, seed)
    half = set(applicants[::2])
    assert list(draw_lottery(half, seed)) == [a for a in full if a in half]


def test_lottery_refuses_a_negative_seed() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        draw_lottery(["a"], -1)


def test_equal_scores_go_to_the_earlier_lottery_position() -> None:
    applicants = [f"a{i}" for i in range(20)]
    apps = [Application(a, "P", 1, 7.0) for a in applicants]
    for seed in (1, 2, 3):
        result = match([Place("P", 5)], apps, seed=seed)
        admitted = {a for a, p in result.assignment.items() if p == "P"}
        assert admitted == set(result.lottery[:5])


def test_result_publishes_the_lottery_and_each_position() -> None:
    apps = [Application("a", "P", 1, 1), Application("b", "P", 1, 1)]
    result = match([Place("P", 1)], apps, seed=11)
    assert result.lottery == draw_lottery(["a", "b"], 11)
    assert [result.lottery[o.lottery_position] for o in result.applicants] == ["a", "b"]
