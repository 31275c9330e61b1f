"""Catalogue benchmark: bank import throughput against raw inserts of the same rows, and search
latency over a large catalogue. Runs on SQLite by default (a fresh temporary node); set
DATABASE_URL to run against PostgreSQL (banks are created with a ``bench-`` prefix and deleted
at the end; nothing else is touched).

    .venv/bin/python bench/catalogue/bench_catalogue.py                 # 10,000 import, 100,000 search
    .venv/bin/python bench/catalogue/bench_catalogue.py --import-items 2000 --search-items 20000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench-catalogue")
    parser.add_argument("--import-items", type=int, default=10_000)
    parser.add_argument("--search-items", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the bench banks afterwards")
    args = parser.parse_args(argv)

    if "DATABASE_URL" not in os.environ:
        os.environ["EDUBRIDGE_DATA_DIR"] = tempfile.mkdtemp(prefix="edubridge-bench-catalogue-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edubridge.core.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from edubridge.catalogue import search, services
    from edubridge.catalogue.demo_data.items import en_bank, zh_bank
    from edubridge.catalogue.models import Bank, Item, SearchEntry
    from edubridge.catalogue.selectors import item_search

    call_command("migrate", verbosity=0)
    Bank.objects.filter(slug__startswith="bench-").delete()
    base = zh_bank()["items"] + en_bank()["items"]

    def items(n: int, tag: str) -> list[dict[str, object]]:
        return [{**base[k % len(base)], "id": f"{tag}-{k}"} for k in range(n)]

    print(f"database: {connection.vendor}", file=sys.stderr)

    # 1. Import: the service path (parse JSON, validate every item, store, align, index).
    content = json.dumps(
        {
            "format": "edubridge-bank/1",
            "id": "bench-import",
            "items": items(args.import_items, "i"),
        },
        ensure_ascii=False,
    ).encode()
    start = time.perf_counter()
    bank = services.bank_import(by=None, filename="bench.json", content=content).bank
    ours = time.perf_counter() - start

    # 2. The peer: the very rows the import wrote (items, search entries, FTS rows), deleted and
    # re-inserted with executemany into the same tables, in one transaction.
    item_cols = [f.column for f in Item._meta.concrete_fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(item_cols)} FROM catalogue_item WHERE bank_id = %s ORDER BY id",  # noqa: S608
            [bank.pk],
        )
        item_rows = cursor.fetchall()
        cursor.execute(
            "SELECT item_id, terms FROM catalogue_searchentry WHERE item_id IN "
            "(SELECT id FROM catalogue_item WHERE bank_id = %s)",
            [bank.pk],
        )
        entry_rows = cursor.fetchall()
    if connection.vendor == "postgresql":
        item_rows = [
            tuple(json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v for v in row)
            for row in item_rows
        ]
    pks = [row[0] for row in item_rows]
    search.unindex(pks)
    Item.objects.filter(pk__in=pks).delete()
    marks = ", ".join(["%s"] * len(item_cols))
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO catalogue_item ({', '.join(item_cols)}) VALUES ({marks})",  # noqa: S608
            item_rows,
        )
        cursor.executemany(
            "INSERT INTO catalogue_searchentry (item_id, terms) VALUES (%s, %s)", entry_rows
        )
        if connection.vendor != "postgresql":
            cursor.executemany(
                "INSERT INTO catalogue_search_fts (rowid, terms) VALUES (%s, %s)", entry_rows
            )
    raw = time.perf_counter() - start
    n = args.import_items
    print(
        f"import {n} items: {ours:.2f} s = {n / ours:,.0f} items/s; raw executemany of the same "
        f"{len(item_rows)} item + {len(entry_rows)} index rows: {raw:.2f} s = {n / raw:,.0f} "
        f"items/s; ratio {ours / raw:.1f}x"
    )

    # 3. Search over a large catalogue: items added through the same storage and index path
    # as imports (validation skipped: it is measured above), published.
    start = time.perf_counter()
    made = 0
    batch = 5_000
    while made < args.search_items:
        with transaction.atomic():
            bank = Bank.objects.create(
                slug=f"bench-search-{made // batch}",
                title="bench",
                language="zh-CN",
                status="published",
            )
            services._add_items(bank, items(min(batch, args.search_items - made), f"s{made}"))
        made += batch
    built = time.perf_counter() - start
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum would do after a bulk load
            cursor.execute("ANALYZE catalogue_item, catalogue_bank, catalogue_searchentry")
    total = Item.objects.filter(bank__status="published").count()
    print(f"indexed {total} published items in {built:.1f} s ({total / built:,.0f} items/s)")

    rng = random.Random(11)
    words = [
        "月饼",
        "超市 大米",
        "火车 乘客",
        "鱼缸 体积",
        "跳绳",
        "面积",
        "找回",
        "高铁",
        "muffins",
        "field trip buses",
        "volume box",
        "notebook price",
        "area garden",
        "tickets",
        "kilometers meters",
        "average points",
        "苹果",
        "春游",
        "花坛 周长",
        "marbles",
    ]
    filters_pool: list[dict[str, object]] = [
        {},
        {"language": "zh"},
        {"grade": 4},
        {"language": "en", "grade": 5},
        {"licence": "CC-BY-4.0"},
    ]
    latencies = []
    hits = 0
    for _ in range(args.queries):
        query = rng.choice(words)
        filters = rng.choice(filters_pool)
        start = time.perf_counter()
        results = item_search(query=query, filters=filters, limit=20)
        latencies.append((time.perf_counter() - start) * 1000)
        hits += bool(results)
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(
        f"search over {total} items, {args.queries} queries (top 20, random filters): "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {latencies[-1]:.1f} ms; "
        f"{hits} queries had results"
    )
    if not args.keep:
        SearchEntry.objects.filter(item__bank__slug__startswith="bench-").delete()
        Bank.objects.filter(slug__startswith="bench-").delete()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
