"""Batch ingestion of realistic xAPI statements: the record store's service path beside a raw
executemany of the same rows into the same database, in the same run; prints the ratio.

Run: .venv/bin/python bench/records/ingest.py [--count 100000] [--batch 1000]
     DATABASE_URL=postgres://... .venv/bin/python bench/records/ingest.py   (PostgreSQL)
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from itertools import islice
from typing import Any

VERBS = [
    ("http://adlnet.gov/expapi/verbs/answered", {"en-US": "answered", "id": "menjawab"}),
    ("http://adlnet.gov/expapi/verbs/attempted", {"en-US": "attempted", "id": "mencoba"}),
    ("http://adlnet.gov/expapi/verbs/completed", {"en-US": "completed", "zh-CN": "完成"}),
    ("http://adlnet.gov/expapi/verbs/passed", {"en-US": "passed"}),
    ("http://adlnet.gov/expapi/verbs/failed", {"en-US": "failed"}),
    ("http://adlnet.gov/expapi/verbs/experienced", {"en-US": "experienced"}),
]


def realistic_statements(count: int, *, seed: int, home: str) -> list[dict[str, Any]]:
    """Practice answers of 2,000 learners on 5,000 items in 200 lessons, seeded."""
    return list(iter_realistic_statements(count, seed=seed, home=home))


def iter_realistic_statements(count: int, *, seed: int, home: str) -> Iterator[dict[str, Any]]:
    """The statements of ``realistic_statements``, one at a time (for millions)."""
    rng = random.Random(seed)
    learners = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(2000)]
    registrations = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(500)]
    for _ in range(count):
        verb_id, display = rng.choice(VERBS)
        item = rng.randrange(5000)
        lesson = item // 25
        raw = rng.randint(0, 10)
        yield (
            {
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "actor": {
                    "objectType": "Agent",
                    "account": {"homePage": home, "name": rng.choice(learners)},
                },
                "verb": {"id": verb_id, "display": display},
                "object": {
                    "objectType": "Activity",
                    "id": f"{home}/items/{item}",
                    "definition": {
                        "name": {"en": f"Item {item}", "id": f"Soal {item}"},
                        "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                        "interactionType": "numeric",
                        "correctResponsesPattern": [str(item % 97)],
                    },
                },
                "result": {
                    "score": {"raw": raw, "min": 0, "max": 10, "scaled": raw / 10},
                    "success": raw >= 6,
                    "completion": True,
                    "response": str(rng.randrange(100)),
                    "duration": f"PT{rng.randint(5, 300)}S",
                },
                "context": {
                    "registration": rng.choice(registrations),
                    "contextActivities": {
                        "parent": [{"id": f"{home}/lessons/{lesson}"}],
                        "grouping": [{"id": f"{home}/courses/{lesson // 20}"}],
                    },
                    "platform": "EduBridge",
                    "language": rng.choice(["id", "en", "zh-CN"]),
                    "extensions": {"http://edubridge.example/xapi/ext/attempt": rng.randint(1, 3)},
                },
                "timestamp": f"2026-11-{rng.randint(1, 21):02d}T{rng.randint(0, 23):02d}:"
                f"{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}.000Z",
            }
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench-records-ingest")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args(argv)

    data_dir = tempfile.mkdtemp(prefix="edubridge-bench-records-")
    os.environ["EDUBRIDGE_DATA_DIR"] = data_dir
    scratch_db = _scratch_postgres_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edubridge.core.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction

    from edubridge.records.models import Statement, StatementIndex, XapiCredential
    from edubridge.records.services import credential_create, node_home_page, statements_store

    call_command("migrate", verbosity=0)
    issued = credential_create(name="bench", scopes=["all"])
    credential = XapiCredential.objects.get(key=issued.key)
    home = node_home_page()
    print(
        f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']}); "
        f"{args.count} statements in batches of {args.batch}",
        file=sys.stderr,
    )

    # 1. The record store's service path: validate, index, store, one transaction per batch.
    # Batches are generated just before they are stored (untimed), as if they arrived over HTTP:
    # the process never holds more than one batch of statements, as a server would not.
    stream = iter_realistic_statements(args.count, seed=7, home=home)
    sample: dict[str, Any] = {}
    ours = ours_cpu = 0.0
    done = 0
    while batch := list(islice(stream, args.batch)):
        start, cpu_start = time.perf_counter(), time.process_time()
        statements_store(statements=batch, version="2.0.0", credential=credential)
        ours += time.perf_counter() - start
        ours_cpu += time.process_time() - cpu_start
        done += len(batch)
        if not sample and done >= args.count // 2:
            sample = batch[0]  # a statement from the middle, for the filters below
    latencies = _query_latencies(sample)

    # 2. The peer: the very rows the store wrote, re-inserted in the order the store wrote them
    # with executemany into the same tables (same indexes), one transaction per batch.
    statement_table = Statement._meta.db_table
    index_table = StatementIndex._meta.db_table
    columns = [f.column for f in Statement._meta.concrete_fields]
    index_columns = [f.column for f in StatementIndex._meta.concrete_fields]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {statement_table} ORDER BY id")  # noqa: S608
        rows = cursor.fetchall()
        cursor.execute(
            f"SELECT {', '.join(index_columns)} FROM {index_table} ORDER BY id"  # noqa: S608
        )
        index_rows = cursor.fetchall()
    by_statement: dict[Any, list[tuple[Any, ...]]] = {}
    statement_col = index_columns.index("statement_id")
    index_order = {row[0]: n for n, row in enumerate(index_rows)}
    for row in index_rows:
        by_statement.setdefault(row[statement_col], []).append(row)
    # Empty the tables and give their pages back (VACUUM / TRUNCATE), so the peer grows the
    # tables and indexes from nothing, exactly as the record store did.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {index_table}, {statement_table} CASCADE")
        else:
            cursor.execute(f"DELETE FROM {index_table}")  # noqa: S608
            cursor.execute(f"DELETE FROM {statement_table}")  # noqa: S608
            cursor.execute("VACUUM")
    mark = "%s"
    insert_statement = (
        f"INSERT INTO {statement_table} ({', '.join(columns)}) "  # noqa: S608
        f"VALUES ({', '.join([mark] * len(columns))})"
    )
    insert_index = (
        f"INSERT INTO {index_table} ({', '.join(index_columns)}) "  # noqa: S608
        f"VALUES ({', '.join([mark] * len(index_columns))})"
    )
    # Batches prepared before the clock starts: each batch's statement rows and the index rows
    # pointing at them (by row number), in the order the store wrote them.
    row_number = columns.index("id")
    batches = []
    for offset in range(0, len(rows), args.batch):
        chunk = rows[offset : offset + args.batch]
        chunk_index = [r for row in chunk for r in by_statement.get(row[row_number], [])]
        chunk_index.sort(key=lambda r: index_order[r[0]])
        batches.append((chunk, chunk_index))
    if sum(len(i) for _, i in batches) != len(index_rows):
        raise SystemExit("the peer would not insert every index row the store wrote")
    start, cpu_start = time.perf_counter(), time.process_time()
    for chunk, chunk_index in batches:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(insert_statement, chunk)
            cursor.executemany(insert_index, chunk_index)
    raw, raw_cpu = time.perf_counter() - start, time.process_time() - cpu_start
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {index_table}")  # noqa: S608
        if cursor.fetchone()[0] != len(index_rows):
            raise SystemExit("the peer's index rows differ from the store's")

    ours_rate = args.count / ours
    raw_rate = args.count / raw
    print(f"index rows per statement: {len(index_rows) / len(rows):.1f}")
    print(f"record store (validate+index+store): {ours_rate:10,.0f} statements/s ({ours:.1f} s)")
    print(f"raw executemany of the same rows:    {raw_rate:10,.0f} statements/s ({raw:.1f} s)")
    print(f"ratio: {ours_rate / raw_rate:.0%} of raw")
    if connection.vendor == "sqlite":
        # On a shared machine other processes stretch wall time unevenly; the CPU time of this
        # process (Python and SQLite's own work; not fsync waits) is steadier, shown beside it.
        print(
            f"cpu time: record store {ours_cpu:.1f} s, raw {raw_cpu:.1f} s "
            f"(cpu ratio {raw_cpu / ours_cpu:.0%})"
        )
    print(f"query latency over {args.count:,} statements (first page of 100, median of 15):")
    for name, seconds in latencies.items():
        print(f"  {name:<28} {seconds * 1000:7.1f} ms")
    connection.close()
    if scratch_db is not None:
        _drop_postgres_database(scratch_db)
    shutil.rmtree(data_dir, ignore_errors=True)
    return 0


def _query_latencies(sample: dict[str, Any]) -> dict[str, float]:
    """Median time of the common GET /statements filters, through the selector the view uses."""
    import statistics

    from edubridge.engines.xapi.agents import agent_key
    from edubridge.engines.xapi.syntax import parse_timestamp
    from edubridge.records.data import StatementQuery
    from edubridge.records.selectors import statement_query

    middle = parse_timestamp("2000-01-01T00:00:00Z")
    queries = {
        "no filter": StatementQuery(limit=100),
        "agent": StatementQuery(agent_key=agent_key(sample["actor"]), limit=100),
        "verb": StatementQuery(verb=sample["verb"]["id"], limit=100),
        "activity": StatementQuery(activity=sample["object"]["id"], limit=100),
        "activity, related": StatementQuery(
            activity=sample["context"]["contextActivities"]["grouping"][0]["id"],
            related_activities=True,
            limit=100,
        ),
        "registration": StatementQuery(registration=sample["context"]["registration"], limit=100),
        "agent + verb": StatementQuery(
            agent_key=agent_key(sample["actor"]), verb=sample["verb"]["id"], limit=100
        ),
        "since": StatementQuery(since=middle, limit=100),
    }
    out = {}
    for name, query in queries.items():
        times = []
        for _ in range(15):
            start = time.perf_counter()
            statement_query(query=query)
            times.append(time.perf_counter() - start)
        out[name] = statistics.median(times)
    return out


def _scratch_postgres_database() -> tuple[str, str] | None:
    """With a PostgreSQL DATABASE_URL, run in a new scratch database on that server (dropped after)."""
    from urllib.parse import urlparse, urlunparse

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    import psycopg

    name = f"edubridge_bench_records_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    parsed = urlparse(url)
    os.environ["DATABASE_URL"] = urlunparse(parsed._replace(path="/" + name))
    return url, name


def _drop_postgres_database(scratch: tuple[str, str]) -> None:
    import psycopg

    url, name = scratch
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")


if __name__ == "__main__":
    sys.exit(main())
