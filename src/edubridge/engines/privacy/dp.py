"""Differentially private aggregate releases (counts, clamped means, histograms) via OpenDP.

OpenDP (MIT, maintained by Harvard's OpenDP project) builds each release as a *measurement* whose
privacy loss it proves: we ask it for the noise scale that meets the requested epsilon, read back
the exact epsilon it certifies (``map(d_in)``, never above the request), charge that to the
dataset's :class:`BudgetLedger` -- which refuses to overspend -- and only then draw the noise.

Noise comes from OpenDP's own samplers (exact discrete Laplace for integers, a float-safe Laplace
for sums), seeded from the operating system. Unlike the rest of the engine the randomness is
deliberately *not* injectable: reproducible noise would let anyone who knows the seed subtract it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from .budget import BudgetLedger
from .errors import PrivacyInputError


@cache
def _opendp() -> Any:
    """OpenDP, imported on first use: it brings scikit-learn and costs seconds of start-up, which
    every web worker paid on its first request when this module imported it at the top."""
    import opendp.prelude as prelude

    prelude.enable_features("contrib")
    return prelude


@dataclass(frozen=True)
class DPRelease:
    """One released statistic with the privacy it cost and how it was produced."""

    kind: str
    value: float | int | dict[str, int]
    epsilon: float
    mechanism: str
    parameters: dict[str, Any] = field(default_factory=dict)
    reasons: tuple[str, ...] = ()


def _checked(epsilon: float, contributions: int) -> None:
    if not (math.isfinite(epsilon) and epsilon > 0):
        raise PrivacyInputError(f"epsilon must be a positive number, got {epsilon}")
    if contributions < 1:
        raise PrivacyInputError(f"contributions per person must be at least 1, got {contributions}")


_SCALES: dict[tuple[object, ...], float] = {}


def _calibrate(
    make: Callable[[float], Any], d_in: int, epsilon: float, kind: tuple[object, ...]
) -> tuple[Any, float, float]:
    """Smallest noise scale OpenDP certifies at ``epsilon``; returns (measurement, scale, eps).

    The binary search is cached per (mechanism, parameters, d_in, epsilon): it depends on
    nothing else, and the epsilon charged is always re-read from the measurement itself.
    """
    dp = _opendp()
    key = (*kind, d_in, epsilon)
    scale = _SCALES.get(key)
    if scale is None:
        scale = _SCALES[key] = float(dp.binary_search_param(make, d_in=d_in, d_out=epsilon))
    measurement = make(scale)
    return measurement, scale, float(measurement.map(d_in))


def dp_count(
    values: Sequence[object],
    *,
    epsilon: float,
    ledger: BudgetLedger,
    label: str,
    at: datetime,
    contributions: int = 1,
) -> tuple[DPRelease, BudgetLedger]:
    """Noisy number of rows; each person may add up to ``contributions`` rows."""
    dp = _opendp()
    _checked(epsilon, contributions)
    space = (dp.vector_domain(dp.atom_domain(T=str)), dp.symmetric_distance())

    def make(scale: float) -> Any:
        return space >> dp.t.then_count() >> dp.m.then_laplace(scale=scale)

    measurement, scale, spent = _calibrate(make, contributions, epsilon, ("count",))
    charged = ledger.charge(spent, label, "discrete laplace (OpenDP)", at)
    value = int(measurement([str(v) for v in values]))
    release = DPRelease(
        kind="count",
        value=value,
        epsilon=spent,
        mechanism="discrete laplace (OpenDP)",
        parameters={"scale": scale, "contributions": contributions},
        reasons=(f"count with discrete Laplace noise of scale {scale:.4g}: epsilon={spent:.4g}",),
    )
    return release, charged


def dp_mean(
    values: Sequence[float],
    *,
    bounds: tuple[float, float],
    epsilon: float,
    ledger: BudgetLedger,
    label: str,
    at: datetime,
    contributions: int = 1,
) -> tuple[DPRelease, BudgetLedger]:
    """Noisy mean of values clamped to ``bounds``: a noisy clamped sum over a noisy count.

    The budget is split evenly between the two; the quotient is clamped back into ``bounds``.
    Clamping is what bounds one person's influence, so the bounds must be public (chosen without
    looking at the data), not computed from it.
    """
    dp = _opendp()
    _checked(epsilon, contributions)
    lower, upper = float(bounds[0]), float(bounds[1])
    if not (math.isfinite(lower) and math.isfinite(upper) and lower < upper):
        raise PrivacyInputError(f"mean bounds must be finite with lower < upper, got {bounds}")
    data = [float(v) for v in values]
    if not all(math.isfinite(v) for v in data):
        raise PrivacyInputError("mean input contains a missing or infinite value")
    floats = (dp.vector_domain(dp.atom_domain(T=float, nan=False)), dp.symmetric_distance())
    strings = (dp.vector_domain(dp.atom_domain(T=str)), dp.symmetric_distance())

    def make_sum(scale: float) -> Any:
        return (
            floats
            >> dp.t.then_clamp((lower, upper))
            >> dp.t.then_sum()
            >> dp.m.then_laplace(scale=scale)
        )

    def make_count(scale: float) -> Any:
        return strings >> dp.t.then_count() >> dp.m.then_laplace(scale=scale)

    half = epsilon / 2
    sum_m, sum_scale, sum_eps = _calibrate(make_sum, contributions, half, ("sum", lower, upper))
    count_m, count_scale, count_eps = _calibrate(make_count, contributions, half, ("count",))
    spent = sum_eps + count_eps
    charged = ledger.charge(spent, label, "laplace sum / discrete laplace count (OpenDP)", at)
    noisy_sum = float(sum_m(data))
    noisy_count = int(count_m(["x"] * len(data)))
    mean = min(max(noisy_sum / max(noisy_count, 1), lower), upper)
    release = DPRelease(
        kind="mean",
        value=mean,
        epsilon=spent,
        mechanism="laplace sum / discrete laplace count (OpenDP)",
        parameters={
            "bounds": [lower, upper],
            "sum_scale": sum_scale,
            "count_scale": count_scale,
            "contributions": contributions,
        },
        reasons=(
            f"values clamped to [{lower:g}, {upper:g}]; sum noise scale {sum_scale:.4g}, "
            f"count noise scale {count_scale:.4g}: epsilon={spent:.4g} in total",
        ),
    )
    return release, charged


def dp_histogram(
    labels: Sequence[str],
    *,
    categories: Sequence[str],
    epsilon: float,
    ledger: BudgetLedger,
    label: str,
    at: datetime,
    contributions: int = 1,
) -> tuple[DPRelease, BudgetLedger]:
    """Noisy count per group over public ``categories``; other labels go to ``"(other)"``.

    The categories must be public: taking them from the data would itself leak which groups exist.
    For counts by several attributes, pass composite labels such as ``"FR|grade-7"``.
    """
    dp = _opendp()
    _checked(epsilon, contributions)
    cats = [str(c) for c in categories]
    if not cats or len(set(cats)) != len(cats):
        raise PrivacyInputError("histogram categories must be a non-empty list without repeats")
    space = (dp.vector_domain(dp.atom_domain(T=str)), dp.symmetric_distance())

    def make(scale: float) -> Any:
        return (
            space
            >> dp.t.then_count_by_categories(categories=cats)
            >> dp.m.then_laplace(scale=scale)
        )

    measurement, scale, spent = _calibrate(make, contributions, epsilon, ("histogram", len(cats)))
    charged = ledger.charge(spent, label, "discrete laplace histogram (OpenDP)", at)
    noisy = [int(v) for v in measurement([str(v) for v in labels])]
    value = dict(zip([*cats, "(other)"], noisy, strict=True))
    release = DPRelease(
        kind="histogram",
        value=value,
        epsilon=spent,
        mechanism="discrete laplace histogram (OpenDP)",
        parameters={"scale": scale, "categories": cats, "contributions": contributions},
        reasons=(
            f"{len(cats)} public categories plus '(other)', discrete Laplace noise of scale "
            f"{scale:.4g} per count: epsilon={spent:.4g}",
        ),
    )
    return release, charged
