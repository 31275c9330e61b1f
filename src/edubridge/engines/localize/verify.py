"""Re-checking a localized item after a reviewer's edits: numbers still consistent with the
answer, nothing forbidden left. The review pages call this on every saved edit."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from babel.numbers import get_currency_symbol, get_decimal_symbol, get_group_symbol

from .expr import ExprError, evaluate
from .extract import DATE_RE, extract
from .numbers import babel_locale
from .pack import LocalePack, concepts

_TOKEN = re.compile(r"\d(?:[\d.,\u00a0\u202f\u066b\u066c]*\d)?")
_ANNOTATION = re.compile(r"\s?[（(][^)）]*\d[^)）]*[)）]")
_MARKS = "\u200e\u200f\u061c \u00a0\u202f"


def read_numbers(text: str, lang: str, pack: LocalePack) -> list[Fraction]:
    """Numbers in reading order; amounts next to the target currency sign use its conventions."""
    text = _ANNOTATION.sub("", text)
    if lang in DATE_RE:
        text = DATE_RE[lang].sub(" ", text)
    loc = babel_locale(pack.locale)
    symbol = get_currency_symbol(pack.currency, locale=loc)
    out: list[Fraction] = []
    for m in _TOKEN.finditer(text):
        before = text[max(0, m.start() - len(symbol) - 3) : m.start()].strip(_MARKS)
        after = text[m.end() : m.end() + len(symbol) + 3].strip(_MARKS)
        raw = m.group(0)
        if before.endswith(symbol) or after.startswith(symbol):
            for mark in (get_group_symbol(loc), "\u00a0", "\u202f"):
                raw = raw.replace(mark, "")
            raw = raw.replace(get_decimal_symbol(loc), ".")
        else:
            raw = raw.replace(",", "")
        try:
            out.append(Fraction(Decimal(raw.rstrip("."))))
        except InvalidOperation:
            continue
    return out


def recheck(item: dict[str, Any], pack: LocalePack) -> list[str]:
    """Problems with an (edited) localized item; empty when it is still consistent and clean."""
    problems: list[str] = []
    lang = str(item["language"]).split("-")[0]
    meta = item.get("metadata", {}).get("localize", {})
    relation = meta.get("relation")
    values = item.get("correct_response", {}).get("values", [])
    if relation and values and item["interaction"].get("type") in ("numeric_entry", "text_entry"):
        nums = read_numbers(item["stem"], lang, pack)
        try:
            got = evaluate(str(relation), {f"n{i}": v for i, v in enumerate(nums)})
            stated = Fraction(Decimal(str(values[0])))
            if got != stated:
                problems.append(
                    f"answer {values[0]} no longer follows from the numbers ({relation} gives "
                    f"{got})"
                )
        except (ExprError, InvalidOperation):
            problems.append(f"the numbers no longer fit the relation {relation}")
    texts = [item["stem"]] + [
        str(c.get("text", "")) for c in item["interaction"].get("choices", []) or []
    ]
    # the extractor's longest-match reading: "猪肉" is pork, not "猪" (a pig) plus "肉"
    known = concepts()
    for text in texts:
        for span in extract(text, lang):
            if span.kind != "concept" or not span.concept:
                continue
            concept = known[span.concept]
            if concept.category in ("food", "good") and pack.forbidden_rule(concept.tags):
                problems.append(f"{span.text!r} is not suitable in {pack.data['name']}")
    return sorted(set(problems))
