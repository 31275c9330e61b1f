"""Our Newton logistic regression reaches the same optimum as a generic optimizer."""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit

from edubridge.engines.adaptive.logistic import fit_logistic


def _problem(seed: int) -> tuple[np.ndarray, ...]:  # type: ignore[type-arg]
    rng = np.random.default_rng(seed)
    n, d, k = 3000, 4, 6
    x = rng.normal(size=(n, d)) * [1.0, 3.0, 0.2, 1.0]
    # skewed skills: skill 5 has only a handful of rows, so the Hessian sample must keep it
    skill = rng.choice(k, size=n, p=[0.4, 0.3, 0.15, 0.1, 0.048, 0.002])
    succ = rng.poisson(2.0, n).astype(float)
    fail = rng.poisson(1.0, n).astype(float)
    z = x @ [0.5, -0.2, 1.0, 0.0] + 0.3 * succ - 0.4 * fail + np.array([0, 1, -1, 0.5, 0, 2])[skill]
    y = (rng.random(n) < expit(z)).astype(float)
    return x, y, skill.astype(np.int64), succ, fail


def test_newton_matches_lbfgs_optimum_with_a_sampled_hessian() -> None:
    x, y, skill, succ, fail = _problem(0)
    k, l2 = 6, 1.0
    ours = fit_logistic(x, y, skill, succ, fail, k, l2=l2, hessian_rows=300)
    xs = (x - ours.mean) / ours.scale
    d = x.shape[1]

    def objective(w: np.ndarray) -> tuple[float, np.ndarray]:  # type: ignore[type-arg]
        sb, ss, sf = w[d + 1 :].reshape(3, k)
        z = xs @ w[:d] + w[d] + sb[skill] + ss[skill] * succ + sf[skill] * fail
        r = expit(z) - y
        pen = np.r_[np.ones(d), 0.0, np.ones(3 * k)] * l2
        grad = np.r_[
            xs.T @ r,
            r.sum(),
            np.bincount(skill, r, k),
            np.bincount(skill, r * succ, k),
            np.bincount(skill, r * fail, k),
        ]
        value = np.sum(np.logaddexp(0, z) - y * z) + 0.5 * np.sum(pen * w * w)
        return float(value), grad + pen * w

    ref = minimize(
        objective,
        np.zeros(d + 1 + 3 * k),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": 2000, "ftol": 1e-14, "gtol": 1e-10},
    )
    ours_w = np.r_[ours.dense, ours.bias, ours.skill_bias, ours.skill_success, ours.skill_failure]
    # same optimum: objective within 1e-4 of ~1700 (relative 6e-8), weights within 1e-3
    assert objective(ours_w)[0] <= ref.fun + 1e-4
    assert np.allclose(ours_w, ref.x, atol=1e-3)


def test_without_dense_features_it_is_plain_pfa() -> None:
    _, y, skill, succ, fail = _problem(1)
    fit = fit_logistic(np.zeros((len(y), 0)), y, skill, succ, fail, 6)
    assert fit.dense.shape == (0,)
    assert fit.skill_success.mean() > 0 > fit.skill_failure.mean()
