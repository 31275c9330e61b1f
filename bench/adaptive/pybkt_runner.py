"""Run pyBKT (compiled 1.4.1) on a three-line KT split and print one JSON object.

Runs inside bench/.venv-pybkt (made by run_bench.py); it never imports edubridge so the
peer's pinned NumPy/pandas stay apart from ours.
"""

from __future__ import annotations

import json
import resource
import sys
import time

import numpy as np
import pandas as pd
from pyBKT.models import Model
from sklearn.metrics import log_loss, mean_squared_error, roc_auc_score


def read_three_line(path: str, user_offset: int) -> pd.DataFrame:
    """Flatten the three-lines-per-learner file into pyBKT's long format."""
    with open(path, encoding="utf-8") as handle:
        lines = [line.strip() for line in handle if line.strip()]
    users, skills, correct = [], [], []
    for block in range(0, len(lines), 3):
        s = [int(x) for x in lines[block + 1].rstrip(",").split(",")]
        o = [int(x) for x in lines[block + 2].rstrip(",").split(",")]
        users.extend([user_offset + block // 3] * len(s))
        skills.extend(s)
        correct.extend(o)
    return pd.DataFrame(
        {
            "order_id": np.arange(len(users)),
            "user_id": users,
            "skill_name": [str(s) for s in skills],
            "correct": correct,
        }
    )


def _cpu() -> float:
    """CPU seconds of this process and its finished children (pyBKT fits in a process pool)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> int:
    train_path, test_path = sys.argv[1], sys.argv[2]
    train = read_three_line(train_path, 0)
    test = read_three_line(test_path, 10_000_000)
    test["order_id"] += len(train)
    results = []
    for name, forgets in (("pyBKT BKT", False), ("pyBKT BKT+forgets", True)):
        model = Model(seed=42)
        start = time.perf_counter()
        cpu = _cpu()
        model.fit(data=train, forgets=forgets)
        fit_s = time.perf_counter() - start
        fit_cpu = _cpu() - cpu
        start = time.perf_counter()
        predicted = model.predict(data=test)
        predict_s = time.perf_counter() - start
        p = np.clip(predicted["correct_predictions"].to_numpy(dtype=float), 1e-6, 1 - 1e-6)
        y = predicted["correct"].to_numpy(dtype=int)
        results.append(
            {
                "name": name,
                "auc": float(roc_auc_score(y, p)),
                "rmse": float(np.sqrt(mean_squared_error(y, p))),
                "log_loss": float(log_loss(y, p)),
                "accuracy": float(np.mean((p >= 0.5) == y)),
                "fit_seconds": fit_s,
                "fit_cpu_seconds": fit_cpu,
                "predict_seconds": predict_s,
                "n_test": len(y),
            }
        )
    print(json.dumps({"models": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
