"""Throughput of the standards codecs on 10,000 items, each next to a peer run in the same process.

Peers: plain ``json.dumps``/``json.loads`` of the same items (the cost floor of any item import),
and ``defusedxml.ElementTree`` parsing of the same QTI XML (the other safe parser we considered).
Run: ``.venv/bin/python bench/standards/bench_codecs.py [N]``.
"""

from __future__ import annotations

import copy
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as DefusedET

from edubridge.engines.standards.items import _validator, _validator_for, validate_bank
from edubridge.engines.standards.qti.manifest import StandardsConfig
from edubridge.engines.standards.qti.package import read_package, write_package
from edubridge.engines.standards.qti.reader import read_item_xml
from edubridge.engines.standards.qti.writer import write_item_xml
from edubridge.engines.standards.xmlsafe import parse_xml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.engines.standards.samples import ALL  # noqa: E402


def make_items(n: int) -> list[dict[str, Any]]:
    kinds = sorted(ALL)
    out = []
    for index in range(n):
        item = copy.deepcopy(ALL[kinds[index % len(kinds)]])
        item["id"] = f"{item['id']}-{index:06d}"
        out.append(item)
    return out


def timed(label: str, n: int, fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    print(f"{label:<44} {seconds:8.3f} s  {n / seconds:10.0f} items/s")
    return seconds


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    items = make_items(n)
    config = StandardsConfig(ROOT.parent / "shared" / "standards")
    print(f"{n} items, Python {sys.version.split()[0]}")

    raw = timed(
        "peer: json.dumps + json.loads", n, lambda: [json.loads(json.dumps(i)) for i in items]
    )
    pub = timed(
        "peer: published schema (if/then dispatch)",
        n,
        lambda: [list(_validator().iter_errors(i)) for i in items],
    )
    typ = timed(
        "schema specialised to the interaction type",
        n,
        lambda: [list(_validator_for(i).iter_errors(i)) for i in items],
    )
    val = timed("validate_bank (schema + semantic checks)", n, lambda: validate_bank(items))
    xmls: list[bytes] = []
    write = timed(
        "QTI write (write_item_xml)", n, lambda: xmls.extend(write_item_xml(i) for i in items)
    )
    read = timed(
        "QTI read (read_item_xml, incl. validation)", n, lambda: [read_item_xml(x) for x in xmls]
    )
    lx = timed("safe lxml parse only (xmlsafe.parse_xml)", n, lambda: [parse_xml(x) for x in xmls])
    dx = timed(
        "peer: defusedxml.ElementTree.fromstring",
        n,
        lambda: [DefusedET.fromstring(x) for x in xmls],
    )
    package: list[bytes] = []
    pw = timed(
        "package write (zip + XSD-validated manifest)",
        n,
        lambda: package.append(write_package(items, identifier="bench", config=config)),
    )
    pr = timed(
        "package read (safe unzip, XSD, all items)",
        n,
        lambda: read_package(package[0], config=config),
    )
    print()
    print(f"published / typed schema ratio {pub / typ:6.1f}x")
    print(f"validate / raw json      ratio {val / raw:6.1f}x")
    print(f"QTI write / raw json     ratio {write / raw:6.1f}x")
    print(f"QTI read / raw json      ratio {read / raw:6.1f}x")
    print(f"package read / raw json  ratio {pr / raw:6.1f}x   (package write {pw / raw:.1f}x)")
    print(f"lxml safe / defusedxml   ratio {lx / dx:6.2f}x  (below 1 = lxml faster)")
    print(f"package size {len(package[0]) / 1e6:.1f} MB for {n} items")


if __name__ == "__main__":
    main()
