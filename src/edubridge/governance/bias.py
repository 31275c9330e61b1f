"""Bias audit of a scoring model: AUC, calibration and error rates by group, with bootstrap
confidence intervals, and ABROCA between each group and the largest one.

Plain data in (rows with group attributes, ``y_true`` 0/1 and ``y_score`` in [0, 1]), plain
JSON-able data out. Rows may carry a ``unit`` (a pseudonymous
person id): then intervals come from a cluster bootstrap over people, and groups with too few
people are not judged. Groups too small to judge (too few rows or people, or too few of either
outcome for an AUC) are listed by name with the reason, never averaged into the others. NumPy only: Fairlearn's
MetricFrame would do the per-group split, but it is not installed in this project (it needs
scikit-learn) and these metrics are a few lines each, tested against their definitions.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

GRID = np.linspace(0.0, 1.0, 1001)


class BiasAuditError(ValueError):
    """Bad audit input; the message says which row or attribute."""


def auc(y: IntArray, s: FloatArray) -> float:
    """Area under the ROC curve (Mann-Whitney U with average ranks for ties); nan if undefined."""
    n1 = int(y.sum())
    n0 = int(y.size - n1)
    if n1 == 0 or n0 == 0:
        return math.nan
    order = np.argsort(s, kind="mergesort")
    sorted_s = s[order]
    _, first, counts = np.unique(sorted_s, return_index=True, return_counts=True)
    avg = first + (counts + 1) / 2.0  # 1-based average rank of each distinct score
    ranks = np.empty(s.size, dtype=np.float64)
    ranks[order] = np.repeat(avg, counts)
    return float((ranks[y == 1].sum() - n1 * (n1 + 1) / 2.0) / (n1 * n0))


def expected_calibration_error(y: IntArray, s: FloatArray, bins: int = 10) -> float:
    """Weighted mean gap between predicted and observed rates over equal-width score bins."""
    if y.size == 0:
        return math.nan
    which = np.minimum((s * bins).astype(np.int64), bins - 1)
    count = np.bincount(which, minlength=bins)
    mean_s = np.bincount(which, weights=s, minlength=bins)
    mean_y = np.bincount(which, weights=y.astype(np.float64), minlength=bins)
    used = count > 0
    gap = np.abs(mean_s[used] - mean_y[used]) / count[used]
    return float((gap * count[used]).sum() / y.size)


def error_rates(y: IntArray, s: FloatArray, threshold: float) -> dict[str, float]:
    predicted = s >= threshold
    positives = y == 1
    n1 = int(positives.sum())
    n0 = int(y.size - n1)
    fp = int((predicted & ~positives).sum())
    fn = int((~predicted & positives).sum())
    return {
        "error_rate": (fp + fn) / y.size if y.size else math.nan,
        "false_positive_rate": fp / n0 if n0 else math.nan,
        "false_negative_rate": fn / n1 if n1 else math.nan,
    }


def roc_on_grid(y: IntArray, s: FloatArray) -> FloatArray:
    """True positive rate at each false positive rate of :data:`GRID` (step interpolation)."""
    order = np.argsort(-s, kind="mergesort")
    ys, ss = y[order], s[order]
    last = np.r_[np.nonzero(np.diff(ss))[0], ys.size - 1]  # last index of each distinct score
    tps = np.cumsum(ys)[last]
    fps = (last + 1) - tps
    tpr = np.r_[0.0, tps / max(int(ys.sum()), 1)]
    fpr = np.r_[0.0, fps / max(int(ys.size - ys.sum()), 1)]
    return np.interp(GRID, fpr, tpr)


def abroca(y_a: IntArray, s_a: FloatArray, y_b: IntArray, s_b: FloatArray) -> float:
    """Absolute between-ROC area (Gardner et al. 2019): the area between two groups' curves."""
    diff = np.abs(roc_on_grid(y_a, s_a) - roc_on_grid(y_b, s_b))
    return float(np.sum((diff[1:] + diff[:-1]) / 2.0 * np.diff(GRID)))


def _interval(values: list[float]) -> list[float] | None:
    finite = [v for v in values if math.isfinite(v)]
    if len(finite) < max(10, len(values) // 2):
        return None
    low, high = np.percentile(finite, [2.5, 97.5])
    return [round(float(low), 4), round(float(high), 4)]


def _r(value: float) -> float | None:
    return None if not math.isfinite(value) else round(value, 4)


class _Resampler:
    """Bootstrap indices: rows, or whole units (learners) when rows carry a unit, because rows of
    one person are not independent and resampling them singly would make intervals too narrow."""

    def __init__(self, units: IntArray | None, size: int) -> None:
        self.size = size
        self.units = units
        if units is not None:
            order = np.argsort(units, kind="stable")
            _, starts, counts = np.unique(units[order], return_index=True, return_counts=True)
            self.order, self.starts, self.counts = order, starts, counts

    def draw(self, rng: np.random.Generator) -> IntArray:
        if self.units is None:
            return rng.integers(0, self.size, self.size)
        pick = rng.integers(0, self.starts.size, self.starts.size)
        lengths = self.counts[pick]
        offsets = np.repeat(self.starts[pick] - np.r_[0, np.cumsum(lengths)[:-1]], lengths)
        picked: IntArray = self.order[np.arange(int(lengths.sum())) + offsets]
        return picked


def _group_metrics(
    y: IntArray,
    s: FloatArray,
    threshold: float,
    bins: int,
    n_boot: int,
    rng: np.random.Generator,
    units: IntArray | None = None,
) -> dict[str, Any]:
    rates = error_rates(y, s, threshold)
    boot: dict[str, list[float]] = {"auc": [], "ece": [], "error_rate": []}
    resampler = _Resampler(units, y.size)
    for _ in range(n_boot):
        pick = resampler.draw(rng)
        yb, sb = y[pick], s[pick]
        boot["auc"].append(auc(yb, sb))
        boot["ece"].append(expected_calibration_error(yb, sb, bins))
        boot["error_rate"].append(error_rates(yb, sb, threshold)["error_rate"])
    return {
        "n": int(y.size),
        "units": int(np.unique(units).size) if units is not None else None,
        "positives": int(y.sum()),
        "base_rate": _r(float(y.mean())),
        "mean_score": _r(float(s.mean())),
        "auc": _r(auc(y, s)),
        "auc_ci": _interval(boot["auc"]),
        "ece": _r(expected_calibration_error(y, s, bins)),
        "ece_ci": _interval(boot["ece"]),
        "error_rate": _r(rates["error_rate"]),
        "error_rate_ci": _interval(boot["error_rate"]),
        "false_positive_rate": _r(rates["false_positive_rate"]),
        "false_negative_rate": _r(rates["false_negative_rate"]),
    }


def _checked_rows(
    rows: Sequence[Mapping[str, Any]], attributes: Sequence[str]
) -> tuple[IntArray, FloatArray]:
    if not rows:
        raise BiasAuditError("no predictions to audit")
    if not attributes:
        raise BiasAuditError("name at least one group attribute")
    y = np.empty(len(rows), dtype=np.int64)
    s = np.empty(len(rows), dtype=np.float64)
    for i, row in enumerate(rows):
        missing = [a for a in ("y_true", "y_score", *attributes) if a not in row]
        if missing:
            raise BiasAuditError(f"row {i + 1} has no {missing[0]!r}")
        try:
            y[i] = int(row["y_true"])
            s[i] = float(row["y_score"])
        except (TypeError, ValueError) as exc:
            raise BiasAuditError(f"row {i + 1}: y_true must be 0/1, y_score a number") from exc
        if y[i] not in (0, 1) or not 0.0 <= s[i] <= 1.0:
            raise BiasAuditError(f"row {i + 1}: y_true must be 0 or 1 and y_score in [0, 1]")
    return y, s


def _abroca_null(
    y: IntArray,
    s: FloatArray,
    ref: NDArray[np.bool_],
    other: NDArray[np.bool_],
    units: IntArray | None,
    n_perm: int,
    rng: np.random.Generator,
) -> list[float]:
    """ABROCA between the two groups when membership is shuffled: what chance alone gives.

    A bootstrap interval suits ABROCA badly (an area between curves is biased upward when
    resampled, so the interval can miss the estimate), so the audit reports how often a random
    split of the same predictions is at least as far apart. People are shuffled whole when each
    belongs to one group; otherwise (an attribute that changes over time) rows are.
    """
    pooled = np.nonzero(ref | other)[0]
    in_ref = ref[pooled]
    yp, sp = y[pooled], s[pooled]
    whole_people = False
    if units is not None:
        up = units[pooled]
        _codes, inverse = np.unique(up, return_inverse=True)
        ref_share = np.bincount(inverse, weights=in_ref.astype(np.float64)) / np.bincount(inverse)
        whole_people = bool(np.all((ref_share == 0) | (ref_share == 1)))
    out = []
    for _ in range(n_perm):
        if whole_people:
            flags = rng.permutation(ref_share == 1)[inverse]
        else:
            flags = rng.permutation(in_ref)
        if flags.all() or not flags.any():
            continue
        out.append(abroca(yp[flags], sp[flags], yp[~flags], sp[~flags]))
    return out


def bias_audit(
    rows: Sequence[Mapping[str, Any]],
    *,
    attributes: Sequence[str],
    threshold: float = 0.5,
    min_group: int = 30,
    min_per_class: int = 5,
    min_units: int = 10,
    n_boot: int = 200,
    bins: int = 10,
    seed: int = 0,
) -> dict[str, Any]:
    """Audit predictions by each attribute; the bootstrap is seeded, so the result is repeatable."""
    y, s = _checked_rows(rows, attributes)
    rng = np.random.default_rng(seed)
    units: IntArray | None = None
    if all("unit" in row for row in rows):
        codes: dict[str, int] = {}
        units = np.array([codes.setdefault(str(r["unit"]), len(codes)) for r in rows], np.int64)
    out: dict[str, Any] = {
        "method": {
            "threshold": threshold,
            "min_group": min_group,
            "min_per_class": min_per_class,
            "min_units": min_units if units is not None else None,
            "bootstrap_unit": "unit (person)" if units is not None else "row",
            "bootstrap_resamples": n_boot,
            "confidence": 0.95,
            "calibration_bins": bins,
            "seed": seed,
            "abroca_reference": "largest judged group of the attribute",
            "abroca_chance": "ABROCA of random splits of the two groups (permutations)",
        },
        "overall": _group_metrics(y, s, threshold, bins, n_boot, rng, units),
        "by_attribute": {},
    }
    for attribute in attributes:
        labels = np.array([str(row[attribute]) for row in rows], dtype=object)
        judged: list[dict[str, Any]] = []
        too_small: list[dict[str, Any]] = []
        masks: dict[str, NDArray[np.bool_]] = {}
        for group in sorted(set(labels.tolist())):
            mask = labels == group
            yg, sg = y[mask], s[mask]
            positives = int(yg.sum())
            negatives = int(yg.size - positives)
            ug = units[mask] if units is not None else None
            n_units = int(np.unique(ug).size) if ug is not None else None
            if yg.size < min_group:
                reason = f"{yg.size} predictions, fewer than {min_group}"
            elif n_units is not None and n_units < min_units:
                reason = f"{n_units} people, fewer than {min_units}"
            elif min(positives, negatives) < min_per_class:
                reason = (
                    f"{positives} positive and {negatives} negative outcomes; an AUC needs at "
                    f"least {min_per_class} of each"
                )
            else:
                masks[group] = mask
                judged.append(
                    {"group": group, **_group_metrics(yg, sg, threshold, bins, n_boot, rng, ug)}
                )
                continue
            too_small.append({"group": group, "n": int(yg.size), "reason": reason})
        comparisons = []
        if judged:
            reference = max(judged, key=lambda g: (g["n"], g["group"]))["group"]
            ref = masks[reference]
            for entry in judged:
                if entry["group"] == reference:
                    continue
                other = masks[entry["group"]]
                value = abroca(y[ref], s[ref], y[other], s[other])
                null = _abroca_null(y, s, ref, other, units, n_boot, rng)
                comparisons.append(
                    {
                        "group": entry["group"],
                        "reference": reference,
                        "abroca": _r(value),
                        "chance_95": _r(float(np.percentile(null, 95))) if null else None,
                        "p_value": _r((1 + sum(v >= value for v in null)) / (1 + len(null)))
                        if null
                        else None,
                        "auc_gap": _r((entry["auc"] or 0.0) - (_r(auc(y[ref], s[ref])) or 0.0)),
                    }
                )
        out["by_attribute"][attribute] = {
            "groups": judged,
            "too_small": too_small,
            "abroca": comparisons,
        }
    return out


# -- ranking models (the alignment suggester) ------------------------------------------------
def _mean_interval(values: FloatArray, n_boot: int, rng: np.random.Generator) -> list[float] | None:
    if values.size == 0:
        return None
    picks = rng.integers(0, values.size, (n_boot, values.size))
    return _interval([float(v) for v in values[picks].mean(axis=1)])


def ranking_audit(
    rows: Sequence[Mapping[str, Any]],
    *,
    attributes: Sequence[str],
    metrics: Sequence[str],
    min_items: int = 10,
    n_boot: int = 200,
    seed: int = 0,
) -> dict[str, Any]:
    """Per-item ranking metrics (each row one item, each metric a number in [0, 1] such as a
    top-3 hit or a reciprocal rank) by group: means with 95% bootstrap intervals over items, the
    gap of each group to the largest with a permutation p-value, and groups with fewer than
    ``min_items`` items named as too small to judge."""
    if not rows:
        raise BiasAuditError("no rows to audit")
    for number, row in enumerate(rows, start=1):
        missing = [a for a in (*attributes, *metrics) if a not in row]
        if missing:
            raise BiasAuditError(f"row {number} has no {missing[0]!r}")
        for m in metrics:
            value = float(row[m])
            if not (math.isfinite(value) and 0.0 <= value <= 1.0):
                raise BiasAuditError(f"row {number}: {m} = {row[m]!r} is not in [0, 1]")
    rng = np.random.default_rng(seed)
    values = {m: np.array([float(r[m]) for r in rows], dtype=np.float64) for m in metrics}

    def summary(mask: NDArray[np.bool_]) -> dict[str, Any]:
        out: dict[str, Any] = {"n": int(mask.sum())}
        for m in metrics:
            v = values[m][mask]
            out[m] = _r(float(v.mean()))
            out[f"{m}_ci"] = _mean_interval(v, n_boot, rng)
        return out

    everyone = np.ones(len(rows), dtype=bool)
    result: dict[str, Any] = {
        "method": {
            "unit": "item",
            "metrics": list(metrics),
            "min_items": min_items,
            "bootstrap_resamples": n_boot,
            "confidence": 0.95,
            "seed": seed,
            "gap_reference": "largest judged group of the attribute",
            "gap_p_value": "share of random relabellings of the two groups with a gap as large",
        },
        "overall": summary(everyone),
        "by_attribute": {},
    }
    for attribute in attributes:
        labels = np.array([str(r[attribute]) for r in rows], dtype=object)
        judged: list[dict[str, Any]] = []
        too_small: list[dict[str, Any]] = []
        masks: dict[str, NDArray[np.bool_]] = {}
        for group in sorted(set(labels.tolist())):
            mask = labels == group
            if int(mask.sum()) < min_items:
                too_small.append(
                    {
                        "group": group,
                        "n": int(mask.sum()),
                        "reason": f"{int(mask.sum())} items, fewer than {min_items}",
                    }
                )
                continue
            masks[group] = mask
            judged.append({"group": group, **summary(mask)})
        gaps: list[dict[str, Any]] = []
        if judged:
            reference = max(judged, key=lambda g: (g["n"], g["group"]))["group"]
            for entry in judged:
                if entry["group"] == reference:
                    continue
                pair = masks[reference] | masks[entry["group"]]
                for m in metrics:
                    a, b = values[m][masks[reference]], values[m][masks[entry["group"]]]
                    gap = float(b.mean() - a.mean())
                    pooled = values[m][pair]
                    null = []
                    for _ in range(n_boot):
                        shuffled = rng.permutation(pooled)
                        null.append(abs(shuffled[a.size :].mean() - shuffled[: a.size].mean()))
                    gaps.append(
                        {
                            "group": entry["group"],
                            "reference": reference,
                            "metric": m,
                            "gap": _r(gap),
                            "p_value": _r((1 + sum(v >= abs(gap) for v in null)) / (1 + n_boot)),
                        }
                    )
        result["by_attribute"][attribute] = {"groups": judged, "too_small": too_small, "gaps": gaps}
    return result
