"""Prediction metrics for binary outcomes: AUC (ties averaged), RMSE, log-loss, accuracy."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.stats import rankdata


def auc(y: NDArray[np.int64], p: NDArray[np.float64]) -> float:
    """Area under the ROC curve via the rank-sum (Mann-Whitney) statistic; NaN if one class."""
    positives = int(y.sum())
    negatives = int(y.shape[0]) - positives
    if positives == 0 or negatives == 0:
        return float("nan")
    ranks = rankdata(p)
    return float((ranks[y == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def scores(y: NDArray[np.int64], p: NDArray[np.float64]) -> dict[str, float]:
    """AUC, RMSE, log-loss (probabilities clipped to [1e-7, 1 - 1e-7]) and accuracy at 0.5."""
    q = np.clip(p, 1e-7, 1 - 1e-7)
    yf = y.astype(np.float64)
    return {
        "auc": auc(y, p),
        "rmse": float(np.sqrt(np.mean((yf - p) ** 2))),
        "log_loss": float(-np.mean(yf * np.log(q) + (1 - yf) * np.log(1 - q))),
        "accuracy": float(np.mean((p >= 0.5) == (y == 1))),
    }
