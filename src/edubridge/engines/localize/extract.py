"""Understanding the source text: names, concepts, quantities with units, money, dates.

One scanner per source language, built from the concept lexicon and the source-language packs'
name lists. Adding a language means adding its surface forms to the data files and, where the
script needs it, a boundary rule here.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from fractions import Fraction

from .numbers import to_fraction
from .pack import available_locales, concepts, load_pack

# Currency surface forms per source language: form -> (ISO code, value of one unit in that code).
CURRENCY_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "zh": {"元": ("CNY", "1"), "块钱": ("CNY", "1"), "块": ("CNY", "1"), "角": ("CNY", "0.1")},
    "en": {
        "dollars": ("USD", "1"),
        "dollar": ("USD", "1"),
        "cents": ("USD", "0.01"),
        "cent": ("USD", "0.01"),
        "yuan": ("CNY", "1"),
        "pence": ("GBP", "0.01"),
        "p": ("GBP", "0.01"),  # "85p": money only right after a number
        "¢": ("USD", "0.01"),
    },
}
CURRENCY_SYMBOLS = {"$": "USD", "£": "GBP", "¥": "CNY", "€": "EUR"}
# Words for "pound" are money in a British source and mass elsewhere (unless followed by "of").
GBP_WORDS = ("pounds", "pound")

EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

NUMBER_RE = {
    "zh": re.compile(r"\d+(?:\.\d+)?"),
    "en": re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"),
}
DATE_RE = {
    "zh": re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日"),
    "en": re.compile(r"\b(" + "|".join(EN_MONTHS) + r")\s+(\d{1,2})(?:,\s*(\d{4}))?"),
}
# A family name before a title: any character before 老师, a common surname before kinship and
# trade titles ("王叔叔", "李阿姨"), whose first character alone is ambiguous.
ZH_KIN_TITLES = "叔叔|阿姨|爷爷|奶奶|伯伯|师傅|医生|大叔"
TITLE_RE = {
    "zh": re.compile(
        r"(?P<fam>[\u4e00-\u9fff])老师|(?P<fam2>[王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯"
        r"董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江"
        r"史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文])(?:" + ZH_KIN_TITLES + ")"
    ),
    "en": re.compile(r"\b(?P<title>Mr\.|Mrs\.|Ms\.|Miss|Dr\.)\s+(?P<fam>[A-Z][a-z]+)"),
}
BOUND_CURRENCY = ("p",)  # currency words that are money only when attached to a number


@dataclass
class Span:
    """A recognised piece of text. `kind`: number, money, name, family, concept, unit,
    currency, date. Money spans cover number and currency word or symbol together."""

    start: int
    end: int
    kind: str
    text: str
    concept: str | None = None
    value: Fraction | None = None
    plural: bool = False
    gender: str | None = None
    currency: str | None = None
    unit: str | None = None  # unit concept attached to a number
    unit_span: tuple[int, int] | None = None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Term:
    kind: str
    concept: str | None
    plural: bool
    gender: str | None = None
    currency: str | None = None
    value: str | None = None


# Common one-character surnames (a name found right after one of them includes it).
ZH_SURNAMES = set(
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
ZH_JIAO = re.compile(r"(\d)角")
MEASURE_WORD_CURRENCY = {"块"}
# 块 is money ("5块") only in a text that talks about money at all
MONEY_CUES = ("钱", "元", "买", "卖", "付", "花", "价", "找", "存")
_IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")

ABBREVIATIONS = {"m", "g", "L", "kg", "cm", "km", "ft", "in.", "lb", "oz", "mL", "qt", "pt"}


@functools.cache
def _lexicon(lang: str) -> tuple[re.Pattern[str], dict[str, _Term]]:
    terms: dict[str, _Term] = {}
    for cid, concept in concepts().items():
        for form in concept.terms.get(lang, ()):
            parts = form.split("|")
            for idx, part in enumerate(parts):
                kind = "unit" if concept.category == "unit" else "concept"
                terms.setdefault(part, _Term(kind, cid, plural=idx == 1))
                if lang == "en" and part[:1].islower() and kind == "concept":
                    # sentence-initial form ("The Fourth of July", "Pork costs ...")
                    terms.setdefault(part[:1].upper() + part[1:], _Term(kind, cid, idx == 1))
    for word, (code, value) in CURRENCY_WORDS.get(lang, {}).items():
        terms[word] = _Term("currency", None, False, currency=code, value=value)
    for locale in available_locales():
        pack = load_pack(locale)
        if pack.language != lang:
            continue
        recognize = pack.data["names"].get("recognize", {})
        for gender in ("male", "female"):
            for name in [*pack.names(gender), *recognize.get(gender, [])]:
                terms.setdefault(name.split("|")[0], _Term("name", None, False, gender=gender))
    ordered = sorted(terms, key=len, reverse=True)
    alternation = "|".join(re.escape(t) for t in ordered)
    if lang == "en":
        pattern = re.compile(r"(?<![A-Za-z'])(?:" + alternation + r")(?![A-Za-z])")
    else:
        pattern = re.compile("(?:" + alternation + ")")
    return pattern, terms


def supported_languages() -> tuple[str, ...]:
    return tuple(NUMBER_RE)


def extract(text: str, lang: str, source_currency: str | None = None) -> list[Span]:
    """All recognised spans in text order, non-overlapping."""
    if lang not in NUMBER_RE:
        return []
    spans: list[Span] = []
    taken = [False] * (len(text) + 1)

    def free(a: int, b: int) -> bool:
        return not any(taken[a:b])

    def take(span: Span) -> None:
        for i in range(span.start, span.end):
            taken[i] = True
        spans.append(span)

    for m in DATE_RE[lang].finditer(text):
        take(Span(m.start(), m.end(), "date", m.group(0)))
    for m in TITLE_RE[lang].finditer(text):
        if free(m.start(), m.end()):
            group = "fam" if m.group("fam") else "fam2"
            a, b = m.span(group)
            take(Span(a, b, "family", m.group(group)))
    pattern, terms = _lexicon(lang)
    for m in pattern.finditer(text):
        if not free(m.start(), m.end()):
            continue
        term = terms[m.group(0)]
        if term.kind == "name" and lang == "en" and not m.group(0)[0].isupper():
            continue
        start = m.start()
        if term.kind == "name" and lang == "zh" and start > 0 and text[start - 1] in ZH_SURNAMES:
            start -= 1  # "王小明" is one name: never leave the surname behind ("王Tom")
        span = Span(start, m.end(), term.kind, text[start : m.end()], concept=term.concept)
        span.plural = term.plural
        span.gender = term.gender
        if term.kind == "currency":
            span.currency = term.currency
            span.extra["unit_value"] = term.value or "1"
        take(span)
    for span in _unlisted_names(text, lang, terms):
        if free(span.start, span.end):
            take(span)
    for m in NUMBER_RE[lang].finditer(text):
        if free(m.start(), m.end()):
            raw = m.group(0).replace(",", "")
            take(Span(m.start(), m.end(), "number", m.group(0), value=to_fraction(raw)))
    spans.sort(key=lambda s: s.start)
    return _attach(spans, text, lang, source_currency)


# Names not in any list are recognised only where the sentence says so: a capitalised word that
# opens a sentence and is followed by a verb, or "小" + one character before a verb, with the
# pronouns of one gender only elsewhere in the text (that gives the gender; both or none: skip).
EN_SUBJECT = re.compile(r"(?:^|(?<=[.!?]\s))(?P<name>[A-Z][a-z]{2,})\s(?P<verb>[a-z]+)\b")
EN_VERBS = frozenset(
    [
        "has",
        "had",
        "is",
        "was",
        "buys",
        "bought",
        "runs",
        "ran",
        "reads",
        "read",
        "eats",
        "ate",
        "drinks",
        "drank",
        "gives",
        "gave",
        "makes",
        "made",
        "takes",
        "took",
        "swims",
        "swam",
        "sees",
        "saw",
        "pays",
        "paid",
        "spends",
        "spent",
        "grows",
        "grew",
        "sells",
        "sold",
        "writes",
        "wrote",
        "draws",
        "drew",
        "finds",
        "found",
        "gets",
        "got",
        "wins",
        "won",
        "rides",
        "rode",
        "drives",
        "drove",
        "puts",
        "cuts",
        "kept",
        "keeps",
        "left",
        "loses",
        "lost",
        "meets",
        "met",
        "sends",
        "sent",
        "walks",
        "walked",
        "wants",
        "needs",
        "will",
        "can",
        "collects",
        "collected",
        "saves",
        "saved",
        "packs",
        "packed",
        "plants",
        "planted",
        "bakes",
        "baked",
        "picks",
        "picked",
        "earns",
        "earned",
        "shares",
        "shared",
        "counts",
        "counted",
        "scored",
        "scores",
        "jumps",
        "jumped",
        "cycles",
        "cycled",
        "orders",
        "ordered",
    ]
)
EN_NOT_NAMES = frozenset(
    [
        "The",
        "This",
        "That",
        "These",
        "Those",
        "There",
        "Then",
        "Each",
        "Every",
        "Some",
        "All",
        "Any",
        "Both",
        "How",
        "What",
        "Which",
        "Who",
        "Why",
        "When",
        "Where",
        "After",
        "Before",
        "During",
        "While",
        "If",
        "One",
        "Two",
        "Three",
        "Four",
        "Five",
        "Six",
        "Seven",
        "Eight",
        "Nine",
        "Ten",
        "Dad",
        "Mom",
        "Mum",
        "Mother",
        "Father",
        "Grandma",
        "Grandpa",
        "Granny",
        "Uncle",
        "Aunt",
        "Auntie",
        "Teacher",
        "Coach",
        "Baby",
        "Sister",
        "Brother",
        "Everyone",
        "Nobody",
        "Someone",
        "His",
        "Her",
        "Their",
        "Our",
        "Your",
        "Its",
        "She",
        "They",
        "You",
    ]
)
EN_HE = re.compile(r"\b(?:he|him|his)\b", re.IGNORECASE)
EN_SHE = re.compile(r"\b(?:she|her|hers)\b", re.IGNORECASE)
ZH_XIAO = re.compile(
    r"(?<![\u4e00-\u9fff])小[\u4e00-\u9fff](?=[买有跑用做拿吃送给和把从去在比画读写看分带骑走存收种摘])"
)


def _unlisted_names(text: str, lang: str, terms: dict[str, _Term]) -> list[Span]:
    he = "他" in text if lang == "zh" else bool(EN_HE.search(text))
    she = "她" in text if lang == "zh" else bool(EN_SHE.search(text))
    if he == she:
        return []
    gender = "male" if he else "female"
    out = []
    if lang == "en":
        for m in EN_SUBJECT.finditer(text):
            name = m.group("name")
            if (
                name in EN_NOT_NAMES
                or name in terms
                or name.lower() in terms
                or m.group("verb") not in EN_VERBS
            ):
                continue
            out.append(Span(m.start("name"), m.end("name"), "name", name, gender=gender))
    elif lang == "zh":
        for m in ZH_XIAO.finditer(text):
            if m.group(0) not in terms:
                out.append(Span(m.start(), m.end(), "name", m.group(0), gender=gender))
    return out


def _attach(spans: list[Span], text: str, lang: str, source_currency: str | None) -> list[Span]:
    """Join numbers with following units / currency words and preceding currency symbols."""
    out: list[Span] = []
    i = 0
    while i < len(spans):
        span = spans[i]
        if span.kind == "number" and span.value is not None:
            before = text[max(0, span.start - 1) : span.start]
            nxt = spans[i + 1] if i + 1 < len(spans) else None
            gap = text[span.end : nxt.start] if nxt else ""
            if before in CURRENCY_SYMBOLS:
                out.append(
                    replace(
                        span,
                        start=span.start - 1,
                        kind="money",
                        text=before + span.text,
                        currency=CURRENCY_SYMBOLS[before],
                    )
                )
                i += 1
                continue
            if nxt is not None and gap.strip() == "" and len(gap) <= 1:
                follow = text[nxt.end : nxt.end + 1]
                if nxt.text in MEASURE_WORD_CURRENCY and (
                    _IDEOGRAPH.match(follow) or not any(cue in text for cue in MONEY_CUES)
                ):
                    out.append(span)  # "2块蛋糕": pieces of cake
                    i += 2
                    continue
                if nxt.kind == "currency" and nxt.currency:
                    # the written number is kept; unit_value says what one unit is worth
                    span.extra["unit_value"] = nxt.extra.get("unit_value", "1")
                    value, end, used = span.value, nxt.end, 2
                    # "2元5角": one amount of 2.5 yuan
                    tail = ZH_JIAO.match(text, nxt.end) if nxt.text == "元" else None
                    if tail and i + 3 < len(spans) and spans[i + 3].end == tail.end():
                        value += Fraction(int(tail.group(1)), 10)
                        end, used = tail.end(), 4
                    out.append(
                        replace(
                            span,
                            end=end,
                            kind="money",
                            text=text[span.start : end],
                            value=value,
                            currency=nxt.currency,
                        )
                    )
                    i += used
                    continue
                if nxt.kind == "unit" and nxt.concept:
                    if _is_gbp(nxt, text, source_currency):
                        out.append(
                            replace(
                                span,
                                end=nxt.end,
                                kind="money",
                                text=text[span.start : nxt.end],
                                currency="GBP",
                            )
                        )
                        i += 2
                        continue
                    span.unit = nxt.concept
                    span.unit_span = (nxt.start, nxt.end)
                    out.append(span)
                    out.append(nxt)
                    i += 2
                    continue
            out.append(span)
            i += 1
            continue
        if span.kind == "currency" and span.text in BOUND_CURRENCY:
            i += 1  # a lone "p" is not money
            continue
        if span.kind == "currency" and span.text in MEASURE_WORD_CURRENCY:
            i += 1  # "一块蛋糕": a measure word, not money
            continue
        if (
            span.kind == "unit"
            and span.text in ABBREVIATIONS
            and not re.search(r"(\bper |/)$", text[max(0, span.start - 4) : span.start])
        ):
            i += 1  # a bare abbreviation is too ambiguous to treat as a unit ("per lb" is fine)
            continue
        if span.kind == "unit" and _is_gbp(span, text, source_currency):
            out.append(replace(span, kind="currency", currency="GBP", concept=None))
            i += 1
            continue
        out.append(span)
        i += 1
    return out


def _is_gbp(span: Span, text: str, source_currency: str | None) -> bool:
    if span.concept != "pound_mass" or source_currency != "GBP":
        return False
    return not text[span.end : span.end + 4].startswith(" of")


# Numbers said in words that often complete a calculation; kept as words in the draft.
CONSTANT_WORDS: dict[str, dict[str, str]] = {
    "zh": {"两": "2", "俩": "2", "半": "1/2", "一周": "7", "一星期": "7", "一个星期": "7",
           "双": "2", "一打": "12"},
    "en": {"twice": "2", "double": "2", "half": "1/2", "a week": "7", "dozen": "12",
           "there and back": "2", "both ways": "2", "a pair": "2"},
}  # fmt: skip


def constants_in(text: str, lang: str) -> list[Fraction]:
    """Distinct values of number words in text, in order ("两人" -> 2, "a week" -> 7)."""
    found: list[tuple[int, Fraction]] = []
    for word, value in CONSTANT_WORDS.get(lang, {}).items():
        pos = text.find(word) if lang == "zh" else text.lower().find(word)
        if pos >= 0:
            found.append((pos, Fraction(value)))
    out: list[Fraction] = []
    for _, v in sorted(found, key=lambda t: t[0]):
        if v not in out:
            out.append(v)
    return out


def numbers_of(spans: list[Span]) -> list[Span]:
    """Spans whose values take part in arithmetic, in text order (dates excluded)."""
    return [s for s in spans if s.kind in ("number", "money") and s.value is not None]
