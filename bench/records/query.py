"""Query latency of GET /statements over a large store (default one million statements).

Fills a fresh store through the record store's own service path (validation, index rows; the
realistic practice statements of ingest.py), then times real HTTP requests (Django's test client:
Basic authentication, filter parsing, the query, JSON of the page) for the common filters, and
follows the ``more`` link through several pages. Prints the median of repeated requests.

Run: .venv/bin/python bench/records/query.py [--count 1000000] [--pages 10]
     DATABASE_URL=postgres://... .venv/bin/python bench/records/query.py   (PostgreSQL)
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import (  # a sibling script, not a package
    _drop_postgres_database,
    _scratch_postgres_database,
    iter_realistic_statements,
)

REPEATS = 11


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench-records-query")
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--pages", type=int, default=10, help="pages followed through `more`")
    parser.add_argument("--limit", type=int, default=100, help="statements per page")
    args = parser.parse_args(argv)

    data_dir = tempfile.mkdtemp(prefix="edubridge-bench-records-query-")
    os.environ["EDUBRIDGE_DATA_DIR"] = data_dir
    scratch_db = _scratch_postgres_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edubridge.core.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from edubridge.records.models import Statement
    from edubridge.records.services import credential_create, node_home_page, statements_store

    call_command("migrate", verbosity=0)
    issued = credential_create(name="bench", scopes=["all"])
    from edubridge.records.models import XapiCredential

    credential = XapiCredential.objects.get(key=issued.key)
    home = node_home_page()
    print(
        f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']}); "
        f"filling {args.count:,} statements in batches of {args.batch:,}",
        file=sys.stderr,
    )
    stream = iter_realistic_statements(args.count, seed=11, home=home)
    sample: dict[str, Any] = {}
    stored_at: list[Any] = []  # stored time of each batch
    start = time.perf_counter()
    done = 0
    while batch := list(islice(stream, args.batch)):
        statements_store(statements=batch, version="2.0.0", credential=credential)
        done += len(batch)
        if done >= args.count // 2 and not sample:
            sample = batch[0]
        stored_at.append(Statement.objects.order_by("-id").values_list("stored", flat=True)[0])
        if done % 100_000 < args.batch:
            rate = done / (time.perf_counter() - start)
            print(f"  {done:>9,} stored ({rate:,.0f} statements/s)", file=sys.stderr)
    fill = time.perf_counter() - start
    print(f"fill through the record store: {args.count / fill:,.0f} statements/s ({fill:.0f} s)")

    client = Client()
    auth = "Basic " + base64.b64encode(f"{issued.key}:{issued.secret}".encode()).decode()
    headers = {"Authorization": auth, "X-Experience-API-Version": "2.0.0"}

    def get(url: str) -> dict[str, Any]:
        response = client.get(url, headers=headers)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code} {response.content[:200]!r}")
        return dict(json.loads(response.content))

    def url(**params: str) -> str:
        return "/xapi/statements?" + urlencode({"limit": str(args.limit), **params})

    actor = json.dumps(sample["actor"])

    def stored_after(fraction: float) -> str:
        return str(stored_at[min(len(stored_at) - 1, int(len(stored_at) * fraction))].isoformat())

    since, until = stored_after(0.9), stored_after(0.2)
    queries = {
        "no filter": url(),
        "agent": url(agent=actor),
        "verb": url(verb=sample["verb"]["id"]),
        "activity": url(activity=sample["object"]["id"]),
        "activity, related (course)": url(
            activity=sample["context"]["contextActivities"]["grouping"][0]["id"],
            related_activities="true",
        ),
        "registration": url(registration=sample["context"]["registration"]),
        "agent + verb": url(agent=actor, verb=sample["verb"]["id"]),
        "since (newest 10%)": url(since=since),
        "until (oldest 20%)": url(until=until),
        "since + until (middle 70%)": url(since=until, until=since),
        "verb + since": url(verb=sample["verb"]["id"], since=since),
        "agent, ascending": url(agent=actor, ascending="true"),
    }
    print(
        f"GET /xapi/statements over {args.count:,} statements, limit={args.limit} "
        f"(median of {REPEATS} requests, ms):"
    )
    print(f"  {'filter':<28} {'page 1':>8} {'rows':>5}   pages 2..{args.pages} through more")
    for name, first in queries.items():
        first_ms = _median_ms(partial(get, first))
        matched = len(get(first)["statements"])
        pages: list[float] = []
        link = get(first)["more"]
        for _ in range(args.pages - 1):
            if not link:
                break
            pages.append(_median_ms(partial(get, link), repeats=3))
            link = get(link)["more"]
        paged = (
            f"median {statistics.median(pages):6.1f}, max {max(pages):6.1f}"
            if pages
            else "(one page)"
        )
        print(f"  {name:<28} {first_ms:8.1f} {matched:>5}   {paged}")
    connection.close()
    if scratch_db is not None:
        _drop_postgres_database(scratch_db)
    shutil.rmtree(data_dir, ignore_errors=True)
    return 0


def _median_ms(call: Callable[[], object], repeats: int = REPEATS) -> float:
    call()  # warm: compiled statements, page cache
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


if __name__ == "__main__":
    sys.exit(main())
