"""5-anonymity over the Adult quasi-identifiers: our lattice search vs a Python peer vs ARX.

Runs, in one process run:
  * ours: ``anonymize_table`` (optimal lattice search), median of several runs, plus the whole
    CLI path (read CSV and hierarchies, search, write);
  * the exhaustive optimum: every lattice node evaluated, to show our answer is the best node;
  * anjana (PyPI, Apache-2.0; greedy full-domain generalization) in its own venv
    ``bench/.venv-anjana`` (created with uv on first run), timed in its own process;
  * ARX's published figure for the same task (Flash, Java): 28 ms (no Java here to rerun it).

Usage: .venv/bin/python bench/privacy/bench_kanonymity.py [--suppression 0] [--k 5] [--no-brute]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from edubridge.engines.privacy.anonymize import anonymize_table
from edubridge.engines.privacy.cli import main as cli_main
from edubridge.engines.privacy.hierarchy import encode_hierarchy, encode_values, load_hierarchy
from edubridge.engines.privacy.lattice import LatticeSearch, PrivacyModel

ROOT = Path(__file__).resolve().parents[2]
# uv on PATH, or the copy `make` bootstraps into .tools/ when uv is absent.
UV = shutil.which("uv") or str(Path(__file__).resolve().parents[2] / ".tools" / "bin" / "uv")
ADULT = ROOT.parent / "shared" / "data" / "adult"
QUASI = [
    "sex",
    "age",
    "race",
    "marital-status",
    "education",
    "native-country",
    "workclass",
    "occupation",
]
SENSITIVE = "salary-class"
ARX_SECONDS = 0.028  # ARX Flash, Adult, 5-anonymity (published benchmark, Java)
PEER_VENV = ROOT / "bench" / ".venv-anjana"

PEER_SCRIPT = r"""
import json, sys, time, io, contextlib
import pandas as pd
from anjana.anonymity import _k_anonymity as ka
import pycanon.anonymity as pa
adult, quasi, k, supp = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
data = pd.read_csv(f"{adult}/adult.csv", sep=";")
def hierarchies():
    return {q: dict(pd.read_csv(f"{adult}/adult_hierarchy_{q}.csv", sep=";", header=None))
            for q in quasi}
times = []
for _ in range(3):
    h = hierarchies()
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        out, suppressed, levels = ka.k_anonymity_inner(data, [], quasi, k, supp * 100, h)
    times.append(time.perf_counter() - start)
k_checked = int(pa.k_anonymity(out, quasi)) if len(out) else 0
print(json.dumps({"seconds": sorted(times)[1], "levels": {q: int(v) for q, v in levels.items()},
                  "suppressed": int(suppressed), "rows": int(len(out)), "pycanon_k": k_checked}))
"""


def _peer(k: int, suppression: float) -> dict[str, object] | str:
    python = PEER_VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {PEER_VENV} with anjana (first run only) ...", file=sys.stderr)
        try:
            made = (
                subprocess.run(
                    [UV, "venv", "-q", "--python", "3.11", str(PEER_VENV)], check=False
                ).returncode
                == 0
                and subprocess.run(
                    [UV, "pip", "install", "-q", "--python", str(python), "anjana==1.2.3"],
                    check=False,
                ).returncode
                == 0
            )
        except OSError:  # uv not on PATH: report it beside our figures instead of failing
            made = False
        if not made:
            return "could not create the anjana venv (needs uv and PyPI access)"
    done = subprocess.run(
        [str(python), "-c", PEER_SCRIPT, str(ADULT), json.dumps(QUASI), str(k), str(suppression)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return f"anjana failed: {done.stderr.strip().splitlines()[-1:]}"
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _load() -> tuple[list[str], list[list[str]]]:
    with (ADULT / "adult.csv").open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle, delimiter=";"))
    return records[0], records[1:]


def _search(header: list[str], rows: list[list[str]], model: PrivacyModel) -> LatticeSearch:
    encoded = [
        encode_hierarchy(load_hierarchy(q, ADULT / f"adult_hierarchy_{q}.csv")) for q in QUASI
    ]
    columns = list(zip(*rows, strict=True))
    leaves = [
        encode_values(e, columns[header.index(q)]) for e, q in zip(encoded, QUASI, strict=True)
    ]
    return LatticeSearch(encoded, leaves, None, model)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--suppression", type=float, default=0.0)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-brute", action="store_true")
    parser.add_argument("--no-peer", action="store_true")
    args = parser.parse_args()
    model = PrivacyModel(k=args.k, suppression_limit=args.suppression)
    header, rows = _load()
    hierarchies = {q: load_hierarchy(q, ADULT / f"adult_hierarchy_{q}.csv") for q in QUASI}
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} CPUs, load average {load:.1f} (timings inflate with load)")
    print(
        f"Adult: {len(rows)} rows, quasi-identifiers {', '.join(QUASI)}; k={args.k}, "
        f"suppression limit {args.suppression:.0%}"
    )

    times = []
    cpu_times = []
    result = None
    for _ in range(args.runs):
        start, cpu_start = time.perf_counter(), time.process_time()
        result = anonymize_table(
            header,
            rows,
            quasi_identifiers=QUASI,
            sensitive=SENSITIVE,
            hierarchies=hierarchies,
            model=model,
        )
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    assert result is not None
    ours = statistics.median(times)
    ours_cpu = statistics.median(cpu_times)
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        code = cli_main(
            [
                "--input",
                str(ADULT / "adult.csv"),
                "--sep",
                ";",
                "--quasi",
                ",".join(QUASI),
                "--hierarchies",
                str(ADULT),
                "--k",
                str(args.k),
                "--suppression",
                str(args.suppression),
                "--out",
                f"{folder}/out.csv",
            ]
        )
        cli_seconds = time.perf_counter() - start
        assert code == 0
    node = tuple(result.generalization[q] for q in QUASI)
    loss = result.loss
    print(
        f"ours:   {ours * 1000:7.1f} ms wall, {ours_cpu * 1000:.1f} ms CPU (median of "
        f"{args.runs}; {cli_seconds * 1000:.0f} ms for "
        f"the whole CLI run incl. reading and writing)  node {node}  ncp={loss.ncp:.4f} "
        f"height={loss.generalization_height} discernibility={loss.discernibility} "
        f"suppressed={loss.suppressed_rows}  checked {result.nodes_checked} of "
        f"{result.lattice_size} nodes"
    )

    if not args.no_brute:
        search = _search(header, rows, model)
        start = time.perf_counter()
        best = search.brute_force()
        brute_seconds = time.perf_counter() - start
        assert best is not None
        best_loss = search.evaluations[best].loss
        print(
            f"best lattice node by exhaustive search ({brute_seconds:.1f} s): {best} "
            f"ncp={best_loss:.4f}; ours/best loss ratio = {loss.ncp / best_loss:.4f}"
        )

    print(
        f"ARX (published, Java Flash): {ARX_SECONDS * 1000:.0f} ms; "
        f"ours/ARX time ratio = {ours / ARX_SECONDS:.1f}x wall, {ours_cpu / ARX_SECONDS:.1f}x CPU"
    )
    if args.no_peer:
        return 0
    peer = _peer(args.k, args.suppression)
    if isinstance(peer, str):
        print(f"anjana: not run: {peer}")
        return 0
    levels = peer["levels"]
    assert isinstance(levels, dict)
    peer_node = tuple(int(levels[q]) for q in QUASI)
    check = _search(header, rows, PrivacyModel(k=args.k, suppression_limit=0.999))
    evaluation = check.evaluate(peer_node)
    peer_ncp = evaluation.loss
    seconds = float(str(peer["seconds"]))
    print(
        f"anjana: {seconds * 1000:7.1f} ms  node {peer_node} ncp={peer_ncp:.4f} "
        f"(our metric on its node) suppressed={peer['suppressed']} pycanon k={peer['pycanon_k']}"
    )
    print(
        f"ratios: anjana/ours time = {seconds / ours:.1f}x; "
        f"anjana/ours ncp = {peer_ncp / loss.ncp:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
