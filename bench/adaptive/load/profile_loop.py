"""Where a practice request's time goes, in process: next item then answer, through Django's
test client with a learner's API key, against the node that `run_load.py` set up.

Prints per request: wall and CPU ms (median of N loops), the number of SQL queries and the
time spent in the database driver; with `--profile`, the functions that took the most time
(cProfile, cumulative). Run after `run_load.py --db DB` has made its data folder:

    .venv/bin/python bench/adaptive/load/profile_loop.py --db postgres --loops 200
    .venv/bin/python bench/adaptive/load/profile_loop.py --db postgres --profile
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PG_DB = "edubridge_load"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    p.add_argument("--loops", type=int, default=200)
    p.add_argument("--learner", type=int, default=0, help="which of the set-up learners")
    p.add_argument("--profile", action="store_true", help="print the top functions (cProfile)")
    p.add_argument("--data-dir", type=Path, default=ROOT / "var" / "bench-practice-load")
    args = p.parse_args()
    data_dir = (args.data_dir / args.db).resolve()
    setup = json.loads((data_dir / "setup.json").read_text())
    os.environ["DJANGO_SETTINGS_MODULE"] = "edubridge.core.settings"
    os.environ["EDUBRIDGE_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    if args.db == "postgres":
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_X_API_KEY=setup["keys"][args.learner])
    room = setup["classroom"]
    answers: dict[str, str] = setup["answers"]
    rng = random.Random(7)

    db_time = [0.0]
    queries = [0]

    def timed(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            db_time[0] += time.perf_counter() - t
            queries[0] += 1

    def one(kind: str) -> tuple[float, float, float, int, dict]:  # type: ignore[type-arg]
        db_time[0] = 0.0
        queries[0] = 0
        w, c = time.perf_counter(), time.thread_time()
        if kind == "next":
            r = client.get(f"/api/adaptive/next?classroom={room}")
            assert r.status_code == 200, r.content
        else:
            item = one.pending  # type: ignore[attr-defined]
            right = rng.random() < 0.7
            body = {
                "classroom": room,
                "item": item,
                "response": answers[str(item)] if right else "0",
            }
            r = client.post("/api/adaptive/answers", body, content_type="application/json")
            assert r.status_code == 201, r.content
        wall, cpu = time.perf_counter() - w, time.thread_time() - c
        return wall * 1000, cpu * 1000, db_time[0] * 1000, queries[0], r.json()

    samples: dict[str, list[tuple[float, float, float, int]]] = {"next": [], "answer": []}
    profiler = cProfile.Profile() if args.profile else None
    with connection.execute_wrapper(timed):
        for i in range(args.loops + 10):
            if profiler is not None and i == 10:
                profiler.enable()
            for kind in ("next", "answer"):
                wall, cpu, db, n, data = one(kind)
                if kind == "next":
                    one.pending = data["item"]  # type: ignore[attr-defined]
                if i >= 10:
                    samples[kind].append((wall, cpu, db, n))
    if profiler is not None:
        profiler.disable()
    for kind, rows in samples.items():
        med = [statistics.median(r[j] for r in rows) for j in range(4)]
        print(
            f"{kind:6s} wall {med[0]:6.2f} ms  cpu {med[1]:6.2f} ms  "
            f"db {med[2]:6.2f} ms  queries {med[3]:.0f}"
        )
    if profiler is not None:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(40)
        print(out.getvalue())
        print("own time by part (ms per loop):")
        for part, seconds in sorted(by_part(stats).items(), key=lambda kv: -kv[1])[:14]:
            print(f"  {part:34s} {seconds * 1000 / args.loops:7.2f}")
    sys.stdout.flush()


PARTS = (
    "django/db/models/sql",
    "django/db/models",
    "django/db/backends",
    "django/db",
    "django/middleware",
    "django/test",
    "django/core",
    "django/utils",
    "django/template",
    "django",
    "ninja",
    "pydantic",
    "psycopg",
    "edubridge/engines",
    "edubridge",
    "numpy",
    "axes",
    "csp",
    "whitenoise",
)


def by_part(stats: pstats.Stats) -> dict[str, float]:
    """Own (not cumulative) time per library or layer: where the CPU goes."""
    out: dict[str, float] = {}
    for (filename, _line, _name), row in stats.stats.items():  # type: ignore[attr-defined]
        tottime = row[2]
        part = next((p for p in PARTS if f"/{p}/" in filename), None)
        if part is None:
            part = "builtins (C)" if filename == "~" else "python stdlib / other"
        out[part] = out.get(part, 0.0) + tottime
    return out


if __name__ == "__main__":
    main()
