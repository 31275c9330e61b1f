"""L2-regularized logistic regression fitted by Newton's method, written for this engine.

The design is dense standardized features plus three per-skill terms (intercept = difficulty,
slopes on log successes and log failures = PFA's per-skill learning rates), handled by
gather/bincount/segment sums instead of a sparse matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit

from edubridge.engines.adaptive.blas import single_threaded

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass
class LogisticFit:
    """Weights of the fitted model; ``skill_*`` rows index the model's skill list."""

    mean: FloatArray
    scale: FloatArray
    dense: FloatArray
    bias: float
    skill_bias: FloatArray
    skill_success: FloatArray
    skill_failure: FloatArray
    iterations: int = 0

    def logit(
        self, x: FloatArray, skill_row: IntArray, succ: FloatArray, fail: FloatArray
    ) -> FloatArray:
        """Linear predictor; ``skill_row`` = -1 for skills not seen in training."""
        if x.shape[0] > 4096:  # a whole log: one BLAS thread; a learner's few rows: no lock
            with single_threaded():
                z = ((x - self.mean) / self.scale) @ self.dense + self.bias
        else:
            z = ((x - self.mean) / self.scale) @ self.dense + self.bias
        seen = skill_row >= 0
        row = np.where(seen, skill_row, 0)
        per_skill = (
            self.skill_bias[row] + self.skill_success[row] * succ + self.skill_failure[row] * fail
        )
        return np.asarray(z + np.where(seen, per_skill, 0.0), dtype=np.float64)

    def to_dict(self) -> dict[str, Any]:
        return {
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "dense": self.dense.tolist(),
            "bias": self.bias,
            "skill_bias": self.skill_bias.tolist(),
            "skill_success": self.skill_success.tolist(),
            "skill_failure": self.skill_failure.tolist(),
            "iterations": self.iterations,
        }

    @staticmethod
    def from_dict(data: dict[str, Any]) -> LogisticFit:
        arr = {
            k: np.asarray(data[k], dtype=np.float64)
            for k in ("mean", "scale", "dense", "skill_bias", "skill_success", "skill_failure")
        }
        return LogisticFit(
            mean=arr["mean"],
            scale=arr["scale"],
            dense=arr["dense"],
            bias=float(data["bias"]),
            skill_bias=arr["skill_bias"],
            skill_success=arr["skill_success"],
            skill_failure=arr["skill_failure"],
            iterations=int(data.get("iterations", 0)),
        )


def fit_logistic(
    x: FloatArray,
    y: FloatArray,
    skill_row: IntArray,
    succ: FloatArray,
    fail: FloatArray,
    n_skills: int,
    l2: float = 1.0,
    max_iter: int = 25,
    tol: float = 1e-8,
    hessian_rows: int = 50_000,
) -> LogisticFit:
    """Minimize summed log-loss + ``l2 / 2`` * squared weights (global bias unpenalized).

    See :func:`_fit_logistic`; BLAS runs on one thread (:mod:`blas`).
    """
    with single_threaded():
        return _fit_logistic(x, y, skill_row, succ, fail, n_skills, l2, max_iter, tol, hessian_rows)


def _fit_logistic(
    x: FloatArray,
    y: FloatArray,
    skill_row: IntArray,
    succ: FloatArray,
    fail: FloatArray,
    n_skills: int,
    l2: float = 1.0,
    max_iter: int = 25,
    tol: float = 1e-8,
    hessian_rows: int = 50_000,
) -> LogisticFit:
    """Minimize summed log-loss + ``l2 / 2`` * squared weights (global bias unpenalized).

    Newton's method with step halving. The Hessian has ~340 rows and is built in three passes
    over the data (dense block by one matrix product, dense-by-skill blocks by segment sums over
    rows sorted by skill, skill-by-skill blocks by bincount), so it converges in ~6 iterations
    where L-BFGS needed ~150 gradient passes.
    """
    n, d = x.shape
    k = n_skills
    mean = x.mean(axis=0) if n else np.zeros(d)
    scale = x.std(axis=0) if n else np.ones(d)
    scale[scale == 0] = 1.0
    order = np.argsort(skill_row, kind="stable")
    xs = (x[order] - mean) / scale
    yf = y[order].astype(np.float64)
    srow = skill_row[order]
    sc = succ[order]
    sf = fail[order]
    # The Hessian is estimated on a sample of rows stratified by skill (every skill keeps at least
    # 20 rows or all it has), each row weighted by its skill's inverse sampling rate. The sample
    # Hessian is X_s' W X_s + l2 I, positive definite, so every Newton direction descends; the
    # gradient is exact, so the optimum is exact; a full X'HX costs seconds on a busy machine.
    counts = np.bincount(srow, minlength=k)
    seg_start = np.r_[0, np.cumsum(counts)[:-1]]
    target = np.maximum(20, counts * hessian_rows / max(n, 1))
    stride = np.maximum(1, np.floor(counts / np.maximum(target, 1))).astype(np.int64)
    sub = np.flatnonzero((np.arange(n) - seg_start[srow]) % stride[srow] == 0)
    hrow = srow[sub]
    sampled = np.bincount(hrow, minlength=k)
    row_weight = (counts / np.maximum(sampled, 1))[hrow]
    xh = xs[sub]
    present = np.unique(hrow)
    seg = np.searchsorted(hrow, present)
    # design columns: [dense (d), bias (1), skill bias (k), skill*succ (k), skill*fail (k)]
    size = d + 1 + 3 * k
    penalty = np.full(size, l2)
    penalty[d] = 0.0
    per_skill = (np.ones(n), sc, sf)
    if l2 <= 0:
        raise ValueError("l2 must be positive (it keeps skills without rows solvable)")

    def unpack(w: FloatArray) -> tuple[FloatArray, float, FloatArray, FloatArray, FloatArray]:
        skill_part = w[d + 1 :].reshape(3, k)
        return w[:d], float(w[d]), skill_part[0], skill_part[1], skill_part[2]

    def linear(w: FloatArray) -> FloatArray:
        dense, bias, sb, ss, sfw = unpack(w)
        return np.asarray(
            xs @ dense + bias + sb[srow] + ss[srow] * sc + sfw[srow] * sf, dtype=np.float64
        )

    def objective(z: FloatArray, w: FloatArray) -> float:
        return float(np.sum(np.logaddexp(0.0, z) - yf * z) + 0.5 * np.sum(penalty * w * w))

    w = np.zeros(size)
    z = linear(w)
    current = objective(z, w)
    iterations = 0
    for iterations in range(1, max_iter + 1):  # noqa: B007 - reported below
        p = expit(z)
        r = p - yf
        h = p * (1.0 - p)
        grad = np.empty(size)
        grad[:d] = xs.T @ r
        grad[d] = r.sum()
        for j, q in enumerate(per_skill):
            grad[d + 1 + j * k : d + 1 + (j + 1) * k] = np.bincount(
                srow, weights=r * q, minlength=k
            )
        grad += penalty * w
        step = _newton_step(
            grad, xh, h[sub] * row_weight, hrow, present, seg, sc[sub], sf[sub], k, l2
        )
        decrement = float(grad @ step)
        t = 1.0
        accepted = False
        while t >= 1e-6:
            candidate = w - t * step
            z_new = linear(candidate)
            value = objective(z_new, candidate)
            if value <= current:
                accepted = True
                break
            t *= 0.5
        if not accepted:
            break  # no descent left at working precision: w is the optimum found
        w, z = candidate, z_new
        improved = current - value
        current = value
        if decrement < tol * n or improved < tol * n:
            break
    dense, bias, sb, ss, sfw = unpack(w)
    return LogisticFit(
        mean=mean,
        scale=scale,
        dense=dense.copy(),
        bias=bias,
        skill_bias=sb.copy(),
        skill_success=ss.copy(),
        skill_failure=sfw.copy(),
        iterations=iterations,
    )


def _newton_step(
    grad: FloatArray,
    xh: FloatArray,
    hs: FloatArray,
    hrow: IntArray,
    present: IntArray,
    seg: IntArray,
    sc: FloatArray,
    sf: FloatArray,
    k: int,
    l2: float,
) -> FloatArray:
    """Solve H step = grad, H from the weighted row sample, by a Schur complement.

    H = [[A, B], [B', D]] with A over dense+bias, D block-diagonal (one 3x3 block per skill), so
    only a (d+1)-square system is solved densely; no large LAPACK call, which matters because
    threaded BLAS/LAPACK thrash on a shared two-core machine.
    """
    d = xh.shape[1]
    a_size = d + 1
    hx = xh * hs[:, None]
    # one BLAS thread (the caller holds blas.single_threaded): a threaded X'HX took 2.8 s on
    # the loaded VM, einsum 0.3 s, a one-thread matrix product a few milliseconds
    a = np.zeros((a_size, a_size))
    a[:d, :d] = xh.T @ hx
    a[:d, d] = a[d, :d] = hx.sum(axis=0)
    a[d, d] = hs.sum()
    a[np.arange(d), np.arange(d)] += l2
    q = (np.ones_like(sc), sc, sf)
    bt = np.zeros((k, 3, a_size))  # bt[s, j] = cross terms of skill s's j-th column
    dblk = np.zeros((k, 3, 3))
    for j in range(3):
        if d:
            bt[present, j, :d] = np.add.reduceat(hx * q[j][:, None], seg, axis=0)
        bt[:, j, d] = np.bincount(hrow, weights=hs * q[j], minlength=k)
        for i2 in range(j + 1):
            value = np.bincount(hrow, weights=hs * q[j] * q[i2], minlength=k)
            dblk[:, j, i2] = value
            dblk[:, i2, j] = value
    dblk[:, np.arange(3), np.arange(3)] += l2
    dinv = np.linalg.inv(dblk)
    g_a = grad[:a_size]
    g_d = grad[a_size:].reshape(3, k).T  # (k, 3)
    schur = a - np.einsum("sai,sab,sbj->ij", bt, dinv, bt)
    rhs = g_a - np.einsum("sai,sab,sb->i", bt, dinv, g_d)
    x_a = np.linalg.solve(schur, rhs)
    x_d = np.einsum("sab,sb->sa", dinv, g_d - np.einsum("sai,i->sa", bt, x_a))
    return np.concatenate([x_a, x_d.T.reshape(-1)])
