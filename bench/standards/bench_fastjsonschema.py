"""Peer comparison: jsonschema (used) vs fastjsonschema (not a dependency) on the item schema.

fastjsonschema is installed only into bench/.venv-standards (git-ignored), created here with uv.
Run: ``.venv/bin/python bench/standards/bench_fastjsonschema.py``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# uv on PATH, or the copy `make` bootstraps into .tools/ when uv is absent.
UV = shutil.which("uv") or str(Path(__file__).resolve().parents[2] / ".tools" / "bin" / "uv")
VENV = ROOT / "bench" / ".venv-standards"
INNER = """
import copy, sys, time
sys.path[:0] = [{src!r}, {root!r}]
import fastjsonschema
from edubridge.engines.standards import items as I
from tests.engines.standards.samples import ALL
items = [copy.deepcopy(ALL[k]) for k in sorted(ALL) for _ in range(1000)]
fast = {{}}
for kind in I.INTERACTION_TYPES:
    schema = dict(I._typed_validator(kind).schema)
    schema.pop("$schema", None)
    fast[kind] = fastjsonschema.compile(schema)
t = time.perf_counter()
for it in items:
    fast[it["interaction"]["type"]](it)
tf = time.perf_counter() - t
t = time.perf_counter()
for it in items:
    assert not any(True for _ in I._typed_validator(it["interaction"]["type"]).iter_errors(it))
tj = time.perf_counter() - t
print(f"{{len(items)}} items: jsonschema {{len(items) / tj:.0f}}/s, "
      f"fastjsonschema {{len(items) / tf:.0f}}/s, ratio {{tj / tf:.1f}}x")
"""


def main() -> None:
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([UV, "venv", "-q", str(VENV), "--python", sys.executable], check=True)
        subprocess.run(
            [UV, "pip", "install", "-q", "--python", str(python), "fastjsonschema", "jsonschema"],
            check=True,
        )
    code = INNER.format(src=str(ROOT / "src"), root=str(ROOT))
    subprocess.run([str(python), "-c", code], check=True)


if __name__ == "__main__":
    main()
