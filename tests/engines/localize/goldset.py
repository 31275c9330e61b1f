"""The localization gold set: source items, what each target locale requires, and the scorer.

Written independently of the engine's packs: the gold author states each locale's facts in
gold/locales.yaml and each item's cultural elements as tags in gold/items_*.yaml. The scorer reads
numbers back from the localized text with its own parser and recomputes the answer with the gold
expression, so an engine cannot pass by agreeing with itself.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from babel.numbers import get_currency_symbol, get_decimal_symbol, get_group_symbol

GOLD = Path(__file__).parent / "gold"
TARGETS = (
    "zh-CN", "en-US", "en-GB", "id-ID", "hi-IN", "ar-EG", "ar-SA",
    "fa-IR", "am-ET", "th-TH", "sw-KE", "fr-SN", "es-MX", "pt-BR",
)  # fmt: skip
SUBSTANTIVE = ("name", "food", "good", "unit", "currency", "festival", "place", "calendar")
CULTURE = {"zh-CN": "zh", "en-US": "anglo", "en-GB": "anglo"}
CURRENCY_OF = {"zh-CN": "CNY", "en-US": "USD", "en-GB": "GBP"}


@dataclass(frozen=True)
class Expect:
    kind: str
    surface: str
    allowed: tuple[str, ...] | None = None  # None: any replacement that differs


@dataclass
class Case:
    item: dict[str, Any]
    gold: dict[str, Any]
    required: list[Expect] = field(default_factory=list)
    optional: list[Expect] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)


def load_locales() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((GOLD / "locales.yaml").read_text(encoding="utf-8"))
    return data


def load_gold() -> list[dict[str, Any]]:
    out = []
    for path in sorted(GOLD.glob("items_*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for g in data["items"]:
            g = dict(g)
            g.setdefault("language", data["language"])
            g["split"] = path.stem.split("_")[-1] if "holdout" in path.stem else "development"
            out.append(g)
    return out


def to_item(g: dict[str, Any]) -> dict[str, Any]:
    """The gold entry as an edubridge-item/1 JSON item."""
    kind = g.get("type", "numeric_entry")
    item: dict[str, Any] = {
        "id": g["id"],
        "format": "edubridge-item/1",
        "language": g["language"],
        "stem": g["stem"],
        "grade": 4,
        "subject": "mathematics",
    }
    if kind == "choice":
        item["interaction"] = {
            "type": "choice",
            "shuffle": False,
            "choices": [{"id": k, "text": str(v)} for k, v in g["choices"].items()],
        }
        item["correct_response"] = {"values": [g["answer"]]}
    elif kind == "text_entry":
        item["interaction"] = {"type": "text_entry", "case_sensitive": False}
        item["correct_response"] = {"values": [str(g["answer"])]}
    else:
        item["interaction"] = {"type": "numeric_entry", "tolerance": 0, "unit": g.get("unit")}
        item["correct_response"] = {"values": [g["answer"]]}
    if "template" in g:
        t = g["template"]
        item["template"] = {
            "variables": {k: {"type": "integer", "value": v} for k, v in t["vars"].items()},
            "answer": t["answer"],
        }
    return item


def case_for(g: dict[str, Any], target: str, locales: dict[str, Any]) -> Case:
    """Required and optional changes and forbidden leftovers for one item in one locale."""
    loc = locales[target]
    src = g["language"]
    lang = src.split("-")[0]
    case = Case(to_item(g), g)
    if src == target:
        return case
    subs = locales["substitutes"]
    forbid = set(loc["forbid"])
    for tag in g["tags"]:
        parts = tag.split(":")
        if parts[0] == "optional":
            case.optional.append(Expect(parts[1], parts[2]))
            continue
        kind, surface = parts[0], parts[1]
        cls = parts[2] if len(parts) > 2 else None
        if kind in ("name", "family"):
            exp = Expect("name", surface)
            if loc["culture"] != CULTURE.get(src) and surface not in loc.get("native_names", []):
                case.required.append(exp)
            else:
                case.optional.append(exp)
        elif kind in ("food", "good"):
            if cls in forbid:
                allowed = subs[cls][lang]
                ok = None
                if allowed is not None:
                    bad = {t for c in forbid for t in locales["class_terms"][c][lang]}
                    ok = tuple(x for x in allowed if x not in bad)
                case.required.append(Expect(kind, surface, ok))
                case.forbidden.append(surface)
            else:
                case.optional.append(Expect(kind, surface))
        elif kind == "unit":
            if cls not in loc["units"]:
                case.required.append(Expect("unit", surface))
                if surface not in loc.get("unit_words_ok", []):
                    case.forbidden.append(surface)
        elif kind == "currency":
            if loc["currency"] != CURRENCY_OF[src]:
                case.required.append(Expect("currency", surface))
                if not (surface == "$" and loc.get("dollar_sign_ok")):
                    case.forbidden.append(surface)
        elif kind == "festival":
            if cls in loc.get("own_festivals", []):
                continue
            if cls in loc.get("optional_festivals", []):
                case.optional.append(Expect("festival", surface))
            else:
                case.required.append(Expect("festival", surface))
                case.forbidden.append(surface)
        elif kind == "place":
            if cls not in loc.get("own_places", []):
                case.required.append(Expect("place", surface))
                case.forbidden.append(surface)
        elif kind == "date" and loc.get("non_gregorian"):
            case.required.append(Expect("calendar", surface))
    return case


# ---- reading numbers back from localized text ---------------------------------------------
DATE_ZH = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日|\d{1,2}月\d{1,2}日")
DATE_EN = re.compile(
    r"(January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+\d{1,2}(,\s*\d{4})?"
)
ANNOTATION = re.compile(r"\s?[（(][^)）]*[)）]")
TOKEN = re.compile(r"\d(?:[\d.,\u00a0\u202f\u066b\u066c]*\d)?")
MARKS = "\u200e\u200f\u061c \u00a0\u202f"


def numbers_in(text: str, source_lang: str, target: str, currency: str) -> list[Fraction]:
    """Numbers as a pupil reads them: money near the target currency sign in target conventions."""
    text = ANNOTATION.sub("", text)
    text = (DATE_ZH if source_lang == "zh" else DATE_EN).sub(" ", text)
    text = re.sub(r"(\d+)元(\d)角", r"\1.\2元", text)  # "2元5角" is one amount, 2.5 yuan
    if source_lang == "zh":  # a coin named in a hundredth unit ("25美分硬币") is read in main units
        text = re.sub(
            r"(\d+)(美分|便士|哈拉拉|分)(?=硬币)",
            lambda m: f"{Decimal(m.group(1)) / 100}{m.group(2)}",
            text,
        )
    loc = target.replace("-", "_")
    symbol, dec, grp = _symbols(currency, loc)
    out = []
    for m in TOKEN.finditer(text):
        before = text[max(0, m.start() - len(symbol) - 3) : m.start()].strip(MARKS)
        after = text[m.end() : m.end() + len(symbol) + 3].strip(MARKS)
        is_money = before.endswith(symbol) or after.startswith(symbol)
        raw = m.group(0)
        if is_money:
            raw = raw.replace(grp, "").replace("\u00a0", "").replace("\u202f", "")
            raw = raw.replace(dec, ".")
        else:
            raw = raw.replace(",", "")
        raw = raw.rstrip(".")
        try:
            out.append(Fraction(Decimal(raw)))
        except InvalidOperation:
            continue
    return out


@cache
def _symbols(currency: str, loc: str) -> tuple[str, str, str]:
    return (
        get_currency_symbol(currency, locale=loc),
        get_decimal_symbol(loc),
        get_group_symbol(loc),
    )


# Unit definitions the gold author knows to be true (singular names in the draft's language).
TRUE_DEFINITIONS = {
    ("pound", "ounce"): 16, ("foot", "inch"): 12, ("yard", "foot"): 3, ("gallon", "quart"): 4,
    ("kilogram", "gram"): 1000, ("meter", "centimeter"): 100, ("metre", "centimetre"): 100,
    ("kilometer", "meter"): 1000, ("kilometre", "metre"): 1000, ("liter", "milliliter"): 1000,
    ("litre", "millilitre"): 1000, ("meter", "millimeter"): 1000, ("jin", "gram"): 500,
    ("kilogram", "jin"): 2, ("斤", "克"): 500, ("公斤", "克"): 1000, ("千克", "克"): 1000,
    ("公斤", "斤"): 2, ("千克", "斤"): 2, ("米", "厘米"): 100, ("千米", "米"): 1000,
    ("公里", "米"): 1000, ("升", "毫升"): 1000, ("英尺", "英寸"): 12, ("磅", "盎司"): 16,
}  # fmt: skip
DEFINITION = re.compile(r"(\d+)\s*([^\d=＝()（）]+?)\s*[=＝]\s*(\d+)\s*([^\d()（）.,，。]+)")


def stated_factor(text: str) -> Fraction | None:
    """F in the item's "1 A = F B" statement, when the statement is true; else None."""
    m = DEFINITION.search(text)
    if not m:
        return None
    a, b = m.group(2).strip(), m.group(4).strip()
    a = {"feet": "foot", "inches": "inch"}.get(a, a)
    b = {"feet": "foot", "inches": "inch"}.get(b, b)
    key = (a[:-1] if a.endswith("s") else a, b[:-1] if b.endswith("s") else b)
    key = (key[0], "inch" if key[1] == "inche" else key[1])
    true = TRUE_DEFINITIONS.get(key)
    factor = Fraction(int(m.group(3)), int(m.group(1)))
    return factor if true is not None and factor == true else None


def evaluate(expr: str, values: list[Fraction], factor: Fraction | None = None) -> Fraction | None:
    names = {f"n{i}": v for i, v in enumerate(values)}
    if factor is not None:
        names["F"] = factor
    try:
        code = compile(expr, "<gold>", "eval")
        for name in code.co_names:
            if name not in names:
                return None
        return Fraction(eval(code, {"__builtins__": {}}, names))  # noqa: S307 - gold data only
    except (ZeroDivisionError, SyntaxError, TypeError):
        return None


def stated_answer(
    item: dict[str, Any], source_lang: str, target: str, currency: str
) -> Fraction | None:
    inter = item["interaction"]
    value = item["correct_response"]["values"][0]
    if inter["type"] == "choice":
        for ch in inter["choices"]:
            if ch["id"] == value:
                nums = numbers_in(ch["text"], source_lang, target, currency)
                return nums[0] if len(nums) == 1 else None
        return None
    try:
        return Fraction(Decimal(str(value)))
    except InvalidOperation:
        return None


def skill(v: Fraction) -> tuple[bool, int]:
    if v.denominator == 1:
        digits = str(abs(v.numerator)).rstrip("0") or "0"
        return True, len(digits)
    text = format(Decimal(v.numerator) / Decimal(v.denominator), "f").replace(".", "").lstrip("0")
    return False, len(text)


def _norm(text: str) -> str:
    return text.lower()


def _contains(text: str, term: str, lang: str, contains_ok: dict[str, list[str]]) -> bool:
    for ok in contains_ok.get(term, []):
        text = text.replace(ok, " ")
    if lang == "en":
        return re.search(rf"(?<![A-Za-z]){re.escape(term)}(?![A-Za-z])", text) is not None
    return term in text


@dataclass
class Score:
    cases: int = 0
    required: int = 0
    found: int = 0
    engine_substantive: int = 0
    engine_correct: int = 0
    forbidden_left: int = 0
    forbidden_examples: list[str] = field(default_factory=list)
    answers_checked: int = 0
    answers_consistent: int = 0
    inconsistent_examples: list[str] = field(default_factory=list)
    skill_checked: int = 0
    skill_preserved: int = 0
    skill_changed_flagged: int = 0
    same_locale_cases: int = 0
    same_locale_unchanged: int = 0
    name_sources: int = 0
    name_consistent: int = 0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        return {
            "recall": self.found / self.required if self.required else 1.0,
            "precision": self.engine_correct / self.engine_substantive
            if self.engine_substantive
            else 1.0,
            "forbidden_left": float(self.forbidden_left),
            "answer_consistency": self.answers_consistent / self.answers_checked
            if self.answers_checked
            else 1.0,
            "skill_preserved": self.skill_preserved / self.skill_checked
            if self.skill_checked
            else 1.0,
            "skill_changed_flagged": float(self.skill_changed_flagged),
            "skill_changed": float(self.skill_checked - self.skill_preserved),
            "same_locale_unchanged": self.same_locale_unchanged / self.same_locale_cases
            if self.same_locale_cases
            else 1.0,
            "name_consistency": self.name_consistent / self.name_sources
            if self.name_sources
            else 1.0,
        }


def _matches(change: dict[str, Any], exp: Expect) -> bool:
    kind = change["kind"]
    kinds = {exp.kind}
    if exp.kind == "currency":
        kinds |= {"price"}
    if exp.kind == "good":
        kinds |= {"food"}
    if kind not in kinds:
        return False
    if exp.kind == "name":
        return bool(change["from"] == exp.surface)
    if exp.surface not in change["from"] and not (
        exp.kind == "unit" and change["from"].rstrip("s") in exp.surface
    ):
        return False
    if change["to"] == change["from"]:
        return False
    if exp.allowed is not None:
        return change["to"] in exp.allowed
    return True


def score_locale(
    cases: list[Case],
    target: str,
    items: list[dict[str, Any]],
    changes: list[dict[str, Any]],
    warnings: list[str],
    score: Score,
    locales: dict[str, Any],
) -> None:
    """Add one locale's results (items and changes in case order) to the score."""
    by_item: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for ch in changes:
        by_item[ch["item"]].append(ch)
    flagged_items = {
        ch["item"] for ch in changes if ch.get("needs_review") and ch["kind"] != "translation"
    }
    flagged_items |= {w.split(":")[0] for w in warnings}
    currency = locales[target]["currency"]
    names: dict[tuple[str, str], set[str]] = defaultdict(set)
    contains_ok = locales["contains_ok"]
    for case, out in zip(cases, items, strict=True):
        g = case.gold
        src = g["language"]
        lang = src.split("-")[0]
        item_changes = by_item.get(g["id"], [])
        score.cases += 1
        if src == target:
            score.same_locale_cases += 1
            if not item_changes and out == case.item:
                score.same_locale_unchanged += 1
        # recall
        for exp in case.required:
            score.required += 1
            if any(_matches(ch, exp) for ch in item_changes):
                score.found += 1
            else:
                score.missed.append(f"{target} {g['id']} {exp.kind}:{exp.surface}")
        # precision
        for ch in item_changes:
            if ch["kind"] not in SUBSTANTIVE:
                continue
            score.engine_substantive += 1
            if any(_matches(ch, e) for e in case.required + case.optional) or (
                ch["kind"] == "currency" and any(e.kind == "currency" for e in case.required)
            ):
                score.engine_correct += 1
            else:
                score.extra.append(f"{target} {g['id']} {ch['kind']}:{ch['from']}->{ch['to']}")
            if ch["kind"] == "name":
                names[(src.split("-")[0], ch["from"])].add(ch["to"])
                if ch["to"] not in out["stem"] and all(
                    ch["to"] not in str(c.get("text", ""))
                    for c in out["interaction"].get("choices", [])
                ):
                    names[(src.split("-")[0], ch["from"])].add("<missing in text>")
        # forbidden content left
        texts = [out["stem"]] + [c["text"] for c in out["interaction"].get("choices", [])]
        if out["interaction"].get("unit"):
            texts.append(str(out["interaction"]["unit"]))
        for term in case.forbidden:
            for t in texts:
                if _contains(t, term, lang, contains_ok):
                    score.forbidden_left += 1
                    score.forbidden_examples.append(f"{target} {g['id']} {term!r} in {t!r}")
                    break
        # answer consistency: gold expression over the numbers in the localized stem
        if "expr" in g:
            nums = numbers_in(out["stem"], lang, target, currency)
            stated = stated_answer(out, lang, target, currency)
            expr = g.get("expr_localized", g["expr"]) if src != target else g["expr"]
            got = evaluate(expr, nums, stated_factor(out["stem"]))
            score.answers_checked += 1
            if got is not None and stated is not None and got == stated:
                score.answers_consistent += 1
            else:
                score.inconsistent_examples.append(
                    f"{target} {g['id']}: {expr} over {[str(n) for n in nums]} = {got}, "
                    f"stated {stated}: {out['stem']}"
                )
            if "template" in out:
                tvars = {
                    k: Fraction(Decimal(str(v["value"])))
                    for k, v in out["template"]["variables"].items()
                }
                expr = out["template"]["answer"]
                for k, v in tvars.items():
                    expr = re.sub(rf"\b{k}\b", f"({v})", expr)
                if stated is None or evaluate(expr, []) != stated:
                    score.answers_consistent -= 1
                    score.inconsistent_examples.append(f"{target} {g['id']}: template disagrees")
            # skill preservation
            src_nums = numbers_in(g["stem"], lang, src, CURRENCY_OF[src])
            if src != target and "skill_values" in g:
                src_nums = [Fraction(Decimal(str(v))) for v in g["skill_values"]]
            score.skill_checked += 1
            if len(src_nums) == len(nums) and all(
                skill(a) == skill(b) for a, b in zip(src_nums, nums, strict=True)
            ):
                score.skill_preserved += 1
            elif g["id"] in flagged_items:
                score.skill_changed_flagged += 1
    for _key, targets in names.items():
        score.name_sources += 1
        if len(targets) == 1:
            score.name_consistent += 1
