"""Differentially private releases through OpenDP and the ledger that refuses to overspend."""

from __future__ import annotations

import contextlib
import statistics
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edubridge.engines.privacy.budget import BudgetLedger
from edubridge.engines.privacy.dp import dp_count, dp_histogram, dp_mean
from edubridge.engines.privacy.errors import BudgetExceededError, PrivacyInputError

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def test_a_release_is_charged_to_the_ledger() -> None:
    ledger = BudgetLedger("responses-2026", 1.0)
    release, after = dp_count(range(100), epsilon=0.25, ledger=ledger, label="n", at=NOW)
    assert release.epsilon <= 0.25
    assert after.spent == pytest.approx(release.epsilon)
    assert ledger.spent == 0.0  # the ledger is immutable; charge returns a new one


def test_overspending_is_refused_with_a_clear_message() -> None:
    ledger = BudgetLedger("responses-2026", 0.5)
    _, ledger = dp_count(range(100), epsilon=0.4, ledger=ledger, label="first", at=NOW)
    with pytest.raises(BudgetExceededError) as refused:
        dp_count(range(100), epsilon=0.2, ledger=ledger, label="second", at=NOW)
    message = str(refused.value)
    assert "responses-2026" in message
    assert "'second'" in message
    assert "only 0.1 of 0.5 remains" in message
    assert "nothing was released" in message


def test_a_refused_release_leaves_the_ledger_unchanged() -> None:
    ledger = BudgetLedger("d", 0.1)
    with pytest.raises(BudgetExceededError):
        dp_mean([1.0], bounds=(0.0, 1.0), epsilon=0.2, ledger=ledger, label="m", at=NOW)
    assert ledger.entries == ()


@given(st.lists(st.floats(min_value=0.01, max_value=0.5), min_size=1, max_size=20))
def test_the_ledger_never_records_more_than_its_budget(charges: list[float]) -> None:
    ledger = BudgetLedger("d", 1.0)
    for number, epsilon in enumerate(charges):
        with contextlib.suppress(BudgetExceededError):
            ledger = ledger.charge(epsilon, f"r{number}", "laplace", NOW)
    assert ledger.spent <= 1.0 + 1e-9


def test_the_ledger_round_trips_as_plain_data() -> None:
    ledger = BudgetLedger("d", 1.0).charge(0.3, "count", "laplace", NOW)
    assert BudgetLedger.from_dict(ledger.to_dict()) == ledger


def test_naive_times_are_refused() -> None:
    with pytest.raises(PrivacyInputError, match="timezone-aware"):
        BudgetLedger("d", 1.0).charge(0.1, "x", "laplace", datetime(2026, 1, 1))


@pytest.mark.parametrize("epsilon", [0.0, -1.0, float("nan"), float("inf")])
def test_epsilon_must_be_positive_and_finite(epsilon: float) -> None:
    with pytest.raises(PrivacyInputError, match="epsilon must be a positive number"):
        dp_count([1], epsilon=epsilon, ledger=BudgetLedger("d", 1.0), label="x", at=NOW)


def test_noisy_counts_centre_on_the_true_count() -> None:
    ledger = BudgetLedger("d", 1000.0)
    values = []
    for i in range(200):
        release, ledger = dp_count(range(50), epsilon=1.0, ledger=ledger, label=f"{i}", at=NOW)
        assert isinstance(release.value, int)
        values.append(release.value)
    # Discrete Laplace with scale 1 has sd ~1.4; the mean of 200 draws is within 0.5 of 50
    # except with probability far below 1e-6.
    assert abs(statistics.fmean(values) - 50) < 0.5
    assert len(set(values)) > 1  # noise was actually added


def test_means_are_clamped_into_the_public_bounds() -> None:
    release, _ = dp_mean(
        [1000.0] * 20,
        bounds=(0.0, 10.0),
        epsilon=0.5,
        ledger=BudgetLedger("d", 1.0),
        label="m",
        at=NOW,
    )
    assert isinstance(release.value, float)
    assert 0.0 <= release.value <= 10.0
    assert release.epsilon <= 0.5


def test_histograms_cover_the_public_categories_and_an_other_bucket() -> None:
    release, _ = dp_histogram(
        ["FR", "FR", "CN", "XX"],
        categories=["FR", "CN", "US"],
        epsilon=1.0,
        ledger=BudgetLedger("d", 1.0),
        label="by country",
        at=NOW,
    )
    assert isinstance(release.value, dict)
    assert list(release.value) == ["FR", "CN", "US", "(other)"]


def test_repeated_histogram_categories_are_refused() -> None:
    with pytest.raises(PrivacyInputError, match="without repeats"):
        dp_histogram(
            ["a"],
            categories=["a", "a"],
            epsilon=1.0,
            ledger=BudgetLedger("d", 1),
            label="h",
            at=NOW,
        )


def test_more_contributions_per_person_cost_more_noise() -> None:
    one, _ = dp_count([1], epsilon=1.0, ledger=BudgetLedger("d", 1.0), label="a", at=NOW)
    three, _ = dp_count(
        [1], epsilon=1.0, ledger=BudgetLedger("d", 1.0), label="a", at=NOW, contributions=3
    )
    assert three.parameters["scale"] == pytest.approx(3 * one.parameters["scale"], rel=1e-6)
