"""The bias audit on synthetic predictions: metrics match their definitions, a group the model
serves worse shows up with intervals and ABROCA, and small groups are named, not averaged."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest

from edubridge.governance.bias import (
    BiasAuditError,
    abroca,
    auc,
    bias_audit,
    expected_calibration_error,
)


def brute_auc(y: list[int], s: list[float]) -> float:
    pos = [b for a, b in zip(y, s, strict=True) if a == 1]
    neg = [b for a, b in zip(y, s, strict=True) if a == 0]
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p, n in itertools.product(pos, neg))
    return wins / (len(pos) * len(neg))


def test_auc_matches_the_pairwise_definition_with_ties() -> None:
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 200)
    s = np.round(rng.random(200), 1)  # many ties
    assert auc(y, s) == pytest.approx(brute_auc(y.tolist(), s.tolist()))
    assert np.isnan(auc(np.ones(5, dtype=np.int64), np.linspace(0, 1, 5)))


def test_calibration_error_is_zero_when_scores_are_the_observed_rates() -> None:
    y = np.array([1, 0, 0, 0, 1, 1, 1, 0], dtype=np.int64)
    s = np.array([0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75])
    assert expected_calibration_error(y, s) == pytest.approx(0.0)
    assert expected_calibration_error(y, np.full(8, 0.9)) == pytest.approx(0.4)


def test_abroca_is_zero_for_identical_curves_and_positive_for_different_ones() -> None:
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 500)
    good = np.clip(y * 0.6 + rng.random(500) * 0.4, 0, 1)
    noise = rng.random(500)
    assert abroca(y, good, y, good) == pytest.approx(0.0)
    assert abroca(y, good, y, noise) > 0.2


def synthetic(n: int = 3000, seed: int = 3) -> list[dict[str, Any]]:
    """Group 'b' gets noisier scores than 'a'; 'tiny' has 12 rows."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        group = "tiny" if i < 12 else ("a" if i % 3 else "b")
        y = int(rng.random() < 0.6)
        noise = 0.45 if group == "b" else 0.2
        score = float(np.clip(0.5 + (y - 0.5) * 0.5 + rng.normal(0, noise), 0, 1))
        rows.append(
            {"group": group, "country": "X" if i % 2 else "Y", "y_true": y, "y_score": score}
        )
    return rows


def test_a_group_served_worse_shows_up_and_small_groups_are_named() -> None:
    result = bias_audit(synthetic(), attributes=["group", "country"], n_boot=60, seed=5)
    by_group = {g["group"]: g for g in result["by_attribute"]["group"]["groups"]}
    assert set(by_group) == {"a", "b"}
    assert by_group["a"]["auc"] > by_group["b"]["auc"]
    low, high = by_group["a"]["auc_ci"]
    assert low <= by_group["a"]["auc"] <= high
    assert by_group["b"]["auc_ci"][1] < by_group["a"]["auc_ci"][0]  # clearly separated
    tiny = result["by_attribute"]["group"]["too_small"]
    assert tiny == [{"group": "tiny", "n": 12, "reason": "12 predictions, fewer than 30"}]
    (comparison,) = result["by_attribute"]["group"]["abroca"]
    assert comparison["reference"] == "a"
    assert comparison["abroca"] > 0.05
    assert comparison["p_value"] < 0.05
    assert comparison["abroca"] > comparison["chance_95"]
    # Country is random: no real gap.
    country = result["by_attribute"]["country"]["abroca"][0]
    assert country["abroca"] < 0.05
    assert country["p_value"] > 0.05
    assert (
        bias_audit(synthetic(), attributes=["group"], n_boot=20, seed=5)["overall"]
        == (bias_audit(synthetic(), attributes=["group"], n_boot=20, seed=5)["overall"])
    )


def test_with_people_as_units_groups_of_few_people_are_not_judged() -> None:
    rows = synthetic(600)
    for i, row in enumerate(rows):
        row["unit"] = f"p{i % 50}" if row["group"] != "b" else "only-one-person"
    result = bias_audit(rows, attributes=["group"], n_boot=30, seed=1)
    too_small = {g["group"]: g["reason"] for g in result["by_attribute"]["group"]["too_small"]}
    assert too_small["b"] == "1 people, fewer than 10"
    assert result["method"]["bootstrap_unit"] == "unit (person)"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([], "no predictions"),
        ([{"g": "a", "y_true": 2, "y_score": 0.5}], "y_true must be 0 or 1"),
        ([{"g": "a", "y_true": 1, "y_score": "x"}], "y_score a number"),
        ([{"y_true": 1, "y_score": 0.5}], "has no 'g'"),
    ],
)
def test_bad_audit_input_is_refused(rows: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(BiasAuditError, match=message):
        bias_audit(rows, attributes=["g"], n_boot=5)


def test_per_group_auc_agrees_with_fairlearn_metricframe_when_installed() -> None:
    fairlearn = pytest.importorskip("fairlearn.metrics")
    metrics = pytest.importorskip("sklearn.metrics")
    rows = synthetic()
    frame = fairlearn.MetricFrame(
        metrics=metrics.roc_auc_score,
        y_true=[r["y_true"] for r in rows],
        y_pred=[r["y_score"] for r in rows],
        sensitive_features=[r["group"] for r in rows],
    )
    ours = bias_audit(rows, attributes=["group"], n_boot=5)["by_attribute"]["group"]["groups"]
    for entry in ours:
        assert entry["auc"] == pytest.approx(frame.by_group[entry["group"]], abs=1e-4)
