"""Score the localization engine on the gold set and compare it with a naive peer in the same run.

The peer is the usual find-and-replace adaptation: swap names, forbidden foods, units and currency
words from a glossary; convert units exactly (3 jin -> 1.5 kg) and money at purchasing-power parity
without rounding; leave the answer as it was. No public open-source engine does curriculum-aware
localization, so this is the baseline the engine must beat.

Usage: .venv/bin/python bench/localize/run.py [--repeat N] [--show-misses]
"""

from __future__ import annotations

import argparse
import sys
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.engines.localize.goldset import (  # noqa: E402
    TARGETS,
    Score,
    case_for,
    load_gold,
    load_locales,
    score_locale,
)

from edubridge.engines.localize import Options, load_pack, localize_items  # noqa: E402
from edubridge.engines.localize.extract import extract  # noqa: E402
from edubridge.engines.localize.names import NameMap  # noqa: E402
from edubridge.engines.localize.numbers import format_money, plain  # noqa: E402
from edubridge.engines.localize.pack import concepts  # noqa: E402
from edubridge.engines.localize.units import plan_unit  # noqa: E402


def naive_peer(items: list[dict[str, Any]], target: str) -> dict[str, Any]:
    """Glossary find-and-replace with exact conversions and an unchanged answer."""
    import copy

    pack = load_pack(target)
    names = NameMap(pack)
    out_items, changes = [], []
    for item in items:
        item = copy.deepcopy(item)
        if item["language"] == target:
            out_items.append(item)
            continue
        lang = item["language"].split("-")[0]
        src_pack = load_pack(item["language"])
        text = item["stem"]
        edits = []
        for s in extract(text, lang, src_pack.currency):
            to = None
            kind = s.kind
            if s.kind == "name":
                t = names.target(s.text, s.gender)
                to = t.split("|")[0] if t else None
            elif s.kind == "concept" and s.concept:
                c = concepts()[s.concept]
                rule = pack.forbidden_rule(c.tags) if c.category in ("food", "good") else None
                if rule:
                    to, kind = concepts()[rule["substitutes"][0]].term(lang) or s.text, c.category
            elif s.kind == "unit" and s.concept:
                plan = plan_unit(s.concept, pack)
                if plan:
                    to = concepts()[plan.target].term(lang, s.plural)
            elif s.kind == "number" and s.unit and s.value is not None:
                plan = plan_unit(s.unit, pack)
                if plan:
                    to, kind = plain(Fraction(round(s.value * plan.ratio * 100), 100)), "unit"
            elif s.kind == "money" and s.value is not None and s.currency != pack.currency:
                uv = Fraction(s.extra.get("unit_value", "1"))
                v = s.value * uv * Fraction(pack.ppp) / Fraction(src_pack.ppp)
                to = format_money(Fraction(round(v * 100), 100), pack.currency, target, True)
                kind = "currency"
            elif s.kind == "currency" and s.currency != pack.currency:
                to = pack.currency_name(lang)
            if to is not None and to != s.text:
                edits.append((s.start, s.end, to))
                changes.append({"item": item["id"], "kind": kind, "from": s.text, "to": to})
        for a, b, t in sorted(edits, reverse=True):
            text = text[:a] + t + text[b:]
        item["stem"] = text
        out_items.append(item)
    return {"items": out_items, "changes": changes, "warnings": []}


def engine(items: list[dict[str, Any]], target: str) -> dict[str, Any]:
    return localize_items(items, Options(target=target, grade=4)).to_dict()


def run(
    fn: Any, gold: list[dict[str, Any]], locales: dict[str, Any], repeat: int
) -> tuple[Score, float, int]:
    score = Score()
    elapsed = 0.0
    count = 0
    for target in TARGETS:
        cases = [case_for(g, target, locales) for g in gold]
        zh = [c for c in cases if c.gold["language"].startswith("zh")]
        en = [c for c in cases if c.gold["language"].startswith("en")]
        for group in (zh, en):  # each language's items form one resource
            items = [c.item for c in group]
            start = time.process_time()
            for _ in range(repeat):
                result = fn(items, target)
            elapsed += time.process_time() - start
            count += len(items) * repeat
            score_locale(
                group,
                target,
                result["items"],
                result["changes"],
                result["warnings"],
                score,
                locales,
            )
    return score, elapsed, count


def main() -> int:
    ap = argparse.ArgumentParser(prog="bench/localize/run.py")
    ap.add_argument("--repeat", type=int, default=3, help="timing repetitions per resource")
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument(
        "--split",
        choices=["all", "development", "holdout", "holdout2", "holdout3", "holdout4", "holdout5"],
        default="all",
    )
    args = ap.parse_args()
    gold = [g for g in load_gold() if args.split in ("all", g["split"])]
    locales = load_locales()
    load_pack("zh-CN")  # warm caches (pack parsing is a one-time cost per process)
    engine([], "id-ID")
    e_score, e_time, e_count = run(engine, gold, locales, args.repeat)
    p_score, p_time, p_count = run(naive_peer, gold, locales, args.repeat)
    ef, pf = e_score.figures(), p_score.figures()
    langs = {g["language"] for g in gold}
    print(f"split: {args.split}")
    print(
        f"gold set: {len(gold)} source items ({', '.join(sorted(langs))}) x {len(TARGETS)} target "
        f"locales = {e_score.cases} cases, {e_score.required} required changes"
    )
    print(f"{'figure':<26}{'engine':>12}{'naive peer':>12}{'ratio':>10}")
    for key in ef:
        ratio = ef[key] / pf[key] if pf[key] else float("inf") if ef[key] else 1.0
        print(f"{key:<26}{ef[key]:>12.3f}{pf[key]:>12.3f}{ratio:>10.2f}")
    e_rate, p_rate = e_count / e_time, p_count / p_time
    print(f"{'items_per_cpu_second':<26}{e_rate:>12.0f}{p_rate:>12.0f}{e_rate / p_rate:>10.2f}")
    print(
        f"name sources checked: {e_score.name_sources}; answers checked: {e_score.answers_checked}; "
        f"skill changed: {int(ef['skill_changed'])} (flagged {int(ef['skill_changed_flagged'])})"
    )
    if args.show_misses:
        for line in e_score.missed:
            print("MISS", line)
        for line in e_score.extra:
            print("EXTRA", line)
        for line in e_score.forbidden_examples:
            print("FORBIDDEN", line)
        for line in e_score.inconsistent_examples:
            print("INCONSISTENT", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
