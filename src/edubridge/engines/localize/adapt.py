"""Adapting one resource to a target locale: rules that turn recognised spans into change records.

The draft stays in the source language (translation is a separate, checked step); what changes
is the culture: names, foods and goods, units, currency and prices, festivals, places, calendars,
grade and alignments. Numbers keep their skill class and the answer is recomputed by code from
the inferred relation, never guessed.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from . import calendars
from .align import realign
from .coins import choose_denominations, plan_definition
from .expr import ExprError, evaluate, names_in
from .extract import (
    ABBREVIATIONS,
    DATE_RE,
    EN_MONTHS,
    ZH_SURNAMES,
    Span,
    constants_in,
    extract,
    numbers_of,
)
from .model import Change, ItemResult, LocalizeResult
from .names import NameMap
from .numbers import (
    candidate_factors,
    format_money,
    is_multiple,
    plain,
    skill_class,
    to_fraction,
)
from .pack import LocalePack, available_locales, concepts, load_pack, names_clash
from .relation import Dim, ExpressionTable, Relation
from .units import UnitPlan, convert_quantity, exact_text, plan_unit

ENGINE = "edubridge-localize/1"
# Coins named in words, per source language and currency: no pack says what replaces them.
COIN_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "USD": ("quarters?", "dimes?", "nickels?", "pennies", "penny"),
        "GBP": ("(?:ten|twenty|fifty)-pence pieces?", "pennies", "penny"),
    },
    "zh": {"CNY": ("硬币",)},
}
_DIM_INDEX = {"mass": 1, "length": 2, "volume": 3, "item": 4}
# Chinese measure words: "3支" counts items, "每支2元" is money per item.
ZH_MEASURE = set("个支本根瓶张盒只条件辆位道页份袋箱双")
EN_COUNTED = re.compile(r"^\s+(?!of\b|per\b|each\b|a\b|an\b)[a-z]+")
UNIT_PRICE_ZH = re.compile(r"(每|一)[\u4e00-\u9fff]{0,3}$")
UNIT_PRICE_EN = re.compile(r"^\s*(per|each|a|an)\b", re.IGNORECASE)
UNIT_PRICE_EN_BEFORE = re.compile(r"\b(costs?|is|are|at|for)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Options:
    """What the caller decides: target, grade, seed, clock and crosswalk (all plain data)."""

    target: str
    grade: int | None = None
    seed: int = 0
    now: dt.datetime | None = None
    crosswalk: Mapping[str, Sequence[Mapping[str, str]]] | None = None
    target_framework: str | None = None
    # target framework statements [{"identifier", "code", "text", "language"}] for suggestions
    target_statements: Sequence[Mapping[str, str]] | None = None


@dataclass
class _Edit:
    start: int
    end: int
    text: str


@dataclass
class _Field:
    location: str
    text: str
    get_set: Callable[[str], None]
    spans: list[Span] = field(default_factory=list)
    edits: list[_Edit] = field(default_factory=list)


def _text_fields(item: dict[str, Any]) -> list[tuple[str, str, Callable[[str], None]]]:
    out: list[tuple[str, str, Callable[[str], None]]] = []

    def setter(obj: Any, key: Any) -> Callable[[str], None]:
        def _set(value: str) -> None:
            obj[key] = value

        return _set

    out.append(("stem", item["stem"], setter(item, "stem")))
    inter = item.get("interaction", {})
    if isinstance(inter.get("prompt"), str):
        out.append(("interaction.prompt", inter["prompt"], setter(inter, "prompt")))
    for group in ("choices", "source", "target"):
        for i, ch in enumerate(inter.get(group, []) or []):
            if isinstance(ch, dict) and isinstance(ch.get("text"), str):
                out.append(
                    (f"interaction.{group}[{ch.get('id', i)}]", ch["text"], setter(ch, "text"))
                )
    fb = item.get("feedback")
    if isinstance(fb, dict):
        for key in ("correct", "incorrect"):
            if isinstance(fb.get(key), str):
                out.append((f"feedback.{key}", fb[key], setter(fb, key)))
    for i, hint in enumerate(item.get("hints", []) or []):
        if isinstance(hint, str):
            out.append((f"hints[{i}]", hint, setter(item["hints"], i)))
    return out


class Localizer:
    """Adapts the items of one resource to one target locale, keeping names consistent."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.pack: LocalePack = load_pack(options.target)
        self.names = NameMap(self.pack, options.seed)

    # ---- public -------------------------------------------------------------------------
    def localize(self, items: Iterable[dict[str, Any]]) -> LocalizeResult:
        """Localize every item in order; names stay consistent across the whole resource."""
        out_items: list[dict[str, Any]] = []
        changes: list[Change] = []
        warnings: list[str] = []
        for item in items:
            res = self.localize_item(item)
            out_items.append(res.item)
            changes.extend(res.changes)
            warnings.extend(res.warnings)
        return LocalizeResult(out_items, changes, warnings)

    def localize_item(self, item: dict[str, Any]) -> ItemResult:
        src_locale = str(item["language"])
        if src_locale == self.pack.locale:
            return ItemResult(copy.deepcopy(item))
        return _ItemJob(self, copy.deepcopy(item), src_locale).run()


class _ItemJob:
    """The adaptation of one item (a short-lived object holding its working state)."""

    def __init__(self, loc: Localizer, item: dict[str, Any], src_locale: str) -> None:
        self.loc = loc
        self.pack = loc.pack
        self.item = item
        self.id = str(item["id"])
        self.lang = src_locale.split("-")[0]
        self.src_pack = load_pack(src_locale) if src_locale in available_locales() else None
        self.src_currency = self.src_pack.currency if self.src_pack else None
        self.changes: dict[tuple[str, str, str], Change] = {}
        self.locations: dict[tuple[str, str, str], list[str]] = {}
        self.warnings: list[str] = []
        self.fields = [
            _Field(loc_, text, setter, extract(text, self.lang, self.src_currency))
            for loc_, text, setter in _text_fields(item)
        ]
        self.substituted: dict[str, str] = {}  # source concept -> target concept
        self.pending_currency: list[tuple[_Field, Span]] = []
        # edits and records of unit conversions that change numbers (undone if the answer's
        # relation is unknown, so the numbers stay consistent with the answer)
        self.conversions: list[tuple[_Field, _Edit]] = []
        self.conversion_keys: list[tuple[str, str, str]] = []
        self.money_blocked = False
        # money written in a minor unit ("25 cents") stays in the target's minor unit ("20 pence")
        self.minor_mode = False
        self.template_spans: set[int] = set()  # ids of stem spans bound to template variables
        # coins replaced by the target's: whether the question then counts in the minor unit
        self.coin_minor: bool | None = None

    # ---- recording ----------------------------------------------------------------------
    def record(self, location: str, kind: str, from_: str, to: str, reason: str, **kw: Any) -> None:
        key = (kind, from_, to)
        if key in self.changes:
            if location not in self.locations[key]:
                self.locations[key].append(location)
            return
        self.locations[key] = [location]
        self.changes[key] = Change(
            item=self.id, kind=kind, location=location, from_=from_, to=to, reason=reason, **kw
        )

    def finished_changes(self) -> list[Change]:
        out = []
        for key, ch in self.changes.items():
            locs = self.locations[key]
            out.append(ch if len(locs) == 1 else _with(ch, location=", ".join(locs)))
        return out

    # ---- pipeline -----------------------------------------------------------------------
    def run(self) -> ItemResult:
        if self.lang not in ("zh", "en"):
            self.warnings.append(
                f"{self.id}: source language {self.lang!r} is not understood yet; item kept as is"
            )
            return ItemResult(self.item, [], self.warnings)
        for f in self.fields:
            for span in f.spans:
                self.entity(f, span)
        relation_expr = self.numbers()
        for f, span in self.pending_currency:
            self.currency_word(f, span)
        self.coin_words()
        for f in self.fields:
            f.get_set(_apply(f.text, f.edits))
        self.interaction_unit()
        self.curriculum()
        self.translation_task()
        meta = self.item.setdefault("metadata", {})
        meta["localize"] = {
            "target_locale": self.pack.locale,
            "locale_pack": self.pack.ref,
            "relation": relation_expr,
            "translation": "pending" if self.lang != self.pack.language else "not-needed",
            "direction": self.pack.direction,
        }
        prov: dict[str, Any] = {
            "derived_from": {"item": self.id, "version": self.item.get("version", 1)},
            "by": ENGINE,
            "method": "localization",
            "locale_pack": self.pack.ref,
        }
        if self.loc.options.now is not None:
            prov["at"] = self.loc.options.now.isoformat()
        self.item["provenance"] = prov
        return ItemResult(self.item, self.finished_changes(), self.warnings)

    # ---- entities -----------------------------------------------------------------------
    def entity(self, f: _Field, span: Span) -> None:
        if span.kind in ("name", "family"):
            self.name(f, span)
        elif span.kind == "concept" and span.concept:
            self.concept(f, span)
        elif span.kind == "currency":
            self.pending_currency.append((f, span))  # applied once prices are settled
        elif span.kind == "date":
            self.date(f, span)

    def render_name(self, name: str) -> str:
        parts = name.split("|")
        return parts[-1] if self.lang == self.pack.language else parts[0]

    def name(self, f: _Field, span: Span) -> None:
        gender = span.gender if span.kind == "name" else None
        key = span.text
        if self.lang == "zh" and span.kind == "name" and len(key) == 3 and key[0] in ZH_SURNAMES:
            key = key[1:]  # 王小明 and 小明 are one person: one target name
        target = self.loc.names.target(key, gender)
        if target is None:
            return
        to = self.render_name(target)
        f.edits.append(_Edit(span.start, span.end, to))
        what = "family name" if gender is None else "given name"
        self.record(
            f.location,
            "name",
            span.text,
            to,
            f"{span.text!r} is a {self.src_label()} {what}; {to!r} is a common {what} in "
            f"{self.pack.data['name']}, used for this person throughout the resource.",
            confidence=0.9,
        )

    def present_concepts(self) -> set[str]:
        """Concepts already in the item or already substituted in (to keep them distinct)."""
        found = {s.concept for f in self.fields for s in f.spans if s.concept}
        found |= {v for k, v in self.substituted.items() if k != ""}
        return {c for c in found if c}

    def src_label(self) -> str:
        return str(self.src_pack.data["name"]) if self.src_pack else self.lang

    def concept(self, f: _Field, span: Span) -> None:
        known = concepts()
        assert span.concept is not None
        c = known[span.concept]
        if c.category in ("food", "good"):
            rule = self.pack.forbidden_rule(c.tags)
            if rule is not None and c.id in self.substituted:
                new_id = self.substituted[c.id]
                to = known[new_id].term(self.lang, span.plural) or span.text
                f.edits.append(_Edit(span.start, span.end, to))
                self.record(
                    f.location,
                    c.category,
                    span.text,
                    to,
                    "same substitution as above.",
                    confidence=0.9,
                )
                return
            if rule is not None:
                present = self.present_concepts()
                subs = [
                    s for s in rule["substitutes"] if known[s].term(self.lang) and s not in present
                ] or [s for s in rule["substitutes"] if known[s].term(self.lang)]
                same = [s for s in subs if known[s].measure == c.measure] or subs
                if not same:
                    self.warnings.append(
                        f"{self.id}: no substitute for {span.text!r} in {self.lang}"
                    )
                    return
                new = same[0]
                to = known[new].term(self.lang, span.plural) or span.text
                alts = tuple(known[s].term(self.lang, span.plural) or s for s in subs if s != new)
                self.substituted[c.id] = new
                f.edits.append(_Edit(span.start, span.end, to))
                self.record(
                    f.location,
                    c.category,
                    span.text,
                    to,
                    f"{span.text!r} is {rule['why']}ly unsuitable in {self.pack.data['name']}: "
                    f"{rule['note']}",
                    confidence=0.9,
                    alternatives=alts,
                    needs_review=known[new].measure != c.measure,
                )
                return
            equiv = self.pack.data.get("equivalents", {}).get(c.id)
            if equiv:
                eq_to = known[equiv].term(self.lang, span.plural)
                if eq_to:
                    to = eq_to
                    self.substituted[c.id] = equiv
                    f.edits.append(_Edit(span.start, span.end, to))
                    self.record(
                        f.location,
                        c.category,
                        span.text,
                        to,
                        f"{span.text!r} is unfamiliar to most pupils in {self.pack.data['name']}; "
                        f"{to!r} is a familiar everyday equivalent.",
                        confidence=0.6,
                        needs_review=True,
                    )
            return
        if c.category == "festival":
            own = {fe["id"] for fe in self.pack.data["festivals"]}
            if c.id in own or "universal" in c.tags:
                return  # celebrated there, or everywhere (New Year's Day)
            fest = self.pack.festival_for_role(c.role, self.lang, span.text)
            to = self.festival_name(fest, span.text)
            date_note = f"{fest['calendar']} calendar"
            if "month" in fest and "day" in fest:
                date_note += f", month {fest['month']} day {fest['day']}"
                now = self.loc.options.now
                when = (
                    calendars.next_gregorian(
                        fest["calendar"], fest["month"], fest["day"], now.date()
                    )
                    if now
                    else None
                )
                if when:
                    date_note += f"; next on {when.isoformat()}"
            elif fest.get("note"):
                date_note += f", {fest['note']}"
            f.edits.append(_Edit(span.start, span.end, to))
            self.record(
                f.location,
                "festival",
                span.text,
                to,
                f"{span.text!r} is not celebrated widely in {self.pack.data['name']}; "
                f"{to!r} plays the same role ({c.role}) there ({date_note}).",
                confidence=0.7,
                alternatives=tuple(
                    fe["names"].get(self.lang, fe["names"]["en"])
                    for fe in self.pack.data["festivals"]
                    if fe["id"] != fest["id"]
                )[:3],
                needs_review=True,
            )
            return
        if c.category == "place":
            place = self.pack.place_for_role(c.role)
            own_names = {p.get(self.lang) for p in self.pack.data["places"].values()}
            if place is None or span.text in own_names:
                return
            to = place.get(self.lang) or place["en"]
            f.edits.append(_Edit(span.start, span.end, to))
            self.record(
                f.location,
                "place",
                span.text,
                to,
                f"{span.text!r} is a place in {self.src_label()}; {to!r} is the familiar "
                f"{c.role} in {self.pack.data['name']}.",
                confidence=0.8,
            )
            return
        if c.category == "sport":
            sports = [str(s) for s in self.pack.data["sports"]]
            if c.id in sports or not sports or not c.tags:
                return  # only nationally marked sports (baseball...) are adapted
            new = sports[0]
            to = known[new].term(self.lang) or new
            f.edits.append(_Edit(span.start, span.end, to))
            self.record(
                f.location,
                "good",
                span.text,
                to,
                f"the sport {span.text!r} is little played in {self.pack.data['name']}; "
                f"{to!r} is popular there.",
                confidence=0.6,
                needs_review=True,
            )

    def festival_name(self, fest: Mapping[str, Any], source: str) -> str:
        """The festival's name in the draft's language, unless it repeats the source's name for
        a different holiday ("Independence Day"): then its local name when written in the same
        script, else the name qualified by the country."""
        names = fest["names"]
        to = str(names.get(self.lang) or names["en"])
        if not names_clash(to, source):
            return to
        local = str(names["local"])
        if not names_clash(local, source) and _same_script(local, self.lang):
            return local
        if self.lang == "zh":
            return f"{names.get('zh', to)}（{self.pack.data['name']}）"
        return f"{to} of {self.pack.data['name']}"

    def currency_word(self, f: _Field, span: Span) -> None:
        if not span.currency or span.currency == self.pack.currency:
            return
        to, review, reason = self.currency_word_target(span)
        f.edits.append(_Edit(span.start, span.end, to))
        self.record(
            f.location,
            "currency",
            span.text,
            to,
            reason,
            confidence=0.5 if review else 0.95,
            needs_review=review,
        )

    def currency_word_target(self, span: Span) -> tuple[str, bool, str]:
        """Target word for a currency word, whether a person must look, and why.

        A minor-unit word ("cents", "角") becomes the target's minor unit when pupils there count
        in one, else the major unit; when that changes what the calculation means (the amounts
        are kept, or "in cents" asks for a x100 the target has no coin for), it is flagged."""
        where = self.pack.data["name"]
        base = f"pupils in {where} count money in {self.pack.currency}"
        blocked = (
            " The amounts are kept as written because how the answer follows from them is "
            "unknown; a person must set local amounts and check the answer."
        )
        uv = _unit_value(span)
        if self.coin_minor is not None:
            return (
                self.currency_label(self.coin_minor),
                False,
                f"{base}; the question counts the adapted coins in "
                f"{self.currency_label(self.coin_minor)}.",
            )
        if uv >= 1:
            return (
                self.currency_label(False),
                self.money_blocked,
                base + "." + (blocked if self.money_blocked else ""),
            )
        minor = self.pack.minor_unit()
        same_ratio = minor is not None and Fraction(minor[0]) * uv == 1
        if self.minor_mode or (
            same_ratio and (self.money_blocked or not self.foreign_money_all_minor())
        ):
            return (
                self.currency_label(True),
                self.money_blocked,
                (
                    f"{base}; {span.text!r} is a minor unit and pupils there count in "
                    f"{self.currency_label(True)}." + (blocked if self.money_blocked else "")
                ),
            )
        if minor is not None and self.money_blocked:
            return (
                self.currency_label(True),
                True,
                (
                    f"{base}; its minor unit is {minor[0]} to the {self.currency_label(False)}, not "
                    f"{plain(1 / uv)}." + blocked
                ),
            )
        converted = self.foreign_money_all_minor() and not self.money_blocked
        reason = (
            f"{base}; {span.text!r} is a minor unit not used there, so amounts are in "
            f"{self.currency_label(False)}."
        )
        if not converted:
            reason += (
                f" The question counts in a unit worth 1/{plain(1 / uv)} of the main one: a person "
                "must rewrite the amounts and the answer in whole "
                f"{self.currency_label(False)}."
            )
        return self.currency_label(False), not converted, reason

    def foreign_money_all_minor(self) -> bool:
        """Whether every source-currency amount in the stem is written in a minor unit."""
        money = [
            s
            for s in self.fields[0].spans
            if s.kind == "money" and s.currency != self.pack.currency
        ]
        return bool(money) and all(_unit_value(s) < 1 for s in money)

    def currency_label(self, minor: bool) -> str:
        """The target currency's name (or its minor unit's) in the draft's language."""
        unit = self.pack.minor_unit()
        if minor and unit is not None:
            return unit[1].get(self.lang) or unit[1]["en"]
        return self.pack.currency_name(self.lang)

    def money_text(self, span: Span, value: Fraction, grouping: bool = True) -> str:
        """An amount in the target currency: CLDR format, or number and minor-unit word when
        the amount is counted in a minor unit ("20 pence")."""
        uv = _unit_value(span)
        minor = uv < 1 and (
            self.minor_mode or (self.money_blocked and self.pack.minor_unit() is not None)
        )
        sep = " " if self.lang == "en" else ""
        if minor or (uv < 1 and self.money_blocked):
            return f"{plain(value)}{sep}{self.currency_label(minor)}"
        text = format_money(
            value,
            self.pack.currency,
            self.pack.locale,
            bool(self.pack.data["currency"]["minor_unit_used"]),
            grouping=grouping,
        )
        if text == span.text:  # "$3" is also pesos: name the currency so the change shows
            return f"{plain(value)}{sep}{self.currency_label(False)}"
        return text

    def kept_amount(self, f: _Field, span: Span, text: str) -> None:
        """Record a currency change whose amount is kept (the answer's relation is unknown)."""
        assert span.value is not None
        src_ppp = self.src_pack.ppp if self.src_pack else _ppp_of(span.currency or "")
        ratio = self.pack.ppp / src_ppp
        value = span.value * _unit_value(span)
        alts = self.price_alternatives(value, Fraction(-1), ratio)
        self.record(
            f.location,
            "currency",
            span.text,
            text,
            f"pupils in {self.pack.data['name']} count money in {self.pack.currency}. The amount "
            "is kept as written because how the answer follows from the numbers is unknown; at "
            f"the local price level it would be about {alts[0] if alts else text}. A person must "
            "set local amounts and check the answer.",
            confidence=0.3,
            alternatives=alts,
            needs_review=True,
        )

    def coin_words(self) -> None:
        """Warn about coins named in words ("4 quarters") that were not replaced."""
        if not self.src_currency or self.src_currency == self.pack.currency:
            return
        if self.coin_minor is not None:
            return
        coins = COIN_WORDS.get(self.lang, {}).get(self.src_currency, ())
        found = sorted(
            {
                m.group(0)
                for f in self.fields
                for m in re.finditer(
                    r"\b(?:" + "|".join(coins) + r")\b", f.text, flags=re.IGNORECASE
                )
            }
            if coins
            else set()
        )
        if found:
            self.warnings.append(
                f"{self.id}: names coins of the source currency ({', '.join(found)}); a person "
                f"must replace them with coins used in {self.pack.data['name']}"
            )

    def date(self, f: _Field, span: Span) -> None:
        cal = str(self.pack.data["primary_calendar"])
        if cal == "gregorian":
            return
        m = DATE_RE[self.lang].fullmatch(span.text)
        if not m:
            return
        if self.lang == "zh":
            year_s, month, day = m.group(1), int(m.group(2)), int(m.group(3))
        else:
            year_s, month, day = m.group(3), EN_MONTHS.index(m.group(1)) + 1, int(m.group(2))
        if not year_s:
            self.warnings.append(
                f"{self.id}: date {span.text!r} has no year; not converted to the {cal} calendar"
            )
            return
        try:
            y, mo, d = calendars.convert(dt.date(int(year_s), month, day), cal)
        except ValueError:
            return
        label = calendars.CALENDAR_LABEL[cal][self.lang]
        if cal == "thai":
            to = span.text.replace(year_s, str(y)) + f" ({label})"
        else:
            to = f"{span.text} ({label} {y}-{mo:02d}-{d:02d})"
        f.edits.append(_Edit(span.start, span.end, to))
        self.record(
            f.location,
            "calendar",
            span.text,
            to,
            f"dates in {self.pack.data['name']} are read in the {cal} calendar; the Gregorian "
            "date is kept beside it so day counts in the question stay the same.",
            confidence=0.8,
            alternatives=(span.text,),
            needs_review=True,
        )

    # ---- numbers ------------------------------------------------------------------------
    def numbers(self) -> str | None:
        """Convert units and money, recompute the answer; returns the relation used (n0, n1...)."""
        stem = self.fields[0]
        nums = numbers_of(stem.spans)
        old = [s.value for s in nums if s.value is not None]
        new = list(old)
        plans: dict[str, UnitPlan | None] = {}
        skill_notes: list[str] = []

        # units: quantities and bare unit words, in every field; an item that states a
        # conversion ("1 pound = 16 ounces") teaches those units: changing one side would make
        # the statement false, so its units stay and a person decides
        coins = self.coin_item()
        if coins is not None:
            return coins
        fact = self.conversion_fact()
        definition = self.conversion_spans()
        if definition is not None:
            handled, rel = self.definition_item(*definition)
            if handled:
                return rel
            fact = None  # the target uses both units: nothing to convert
        if fact:
            self.warnings.append(
                f"{self.id}: states a unit conversion ({fact}); units left as written, a person "
                f"must decide whether the item fits {self.pack.data['name']}'s curriculum"
            )
        for f in self.fields if not fact else ():
            for span in f.spans:
                unit = span.unit if span.kind == "number" else span.concept
                if span.kind not in ("number", "unit") or unit is None:
                    continue
                if unit not in plans:
                    plans[unit] = plan_unit(unit, self.pack)
                plan = plans[unit]
                if plan is None:
                    continue
                tgt_c = concepts()[plan.target]
                if span.kind == "unit":
                    to = self.unit_term(tgt_c.id, span, f) or plan.target
                    f.edits.append(_Edit(span.start, span.end, to))
                    if not plan.keep_number:
                        self.conversions.append((f, f.edits[-1]))
                        self.conversion_keys.append(("unit", span.text, to))
                    self.record(
                        f.location,
                        "unit",
                        span.text,
                        to,
                        f"{span.text!r} is not used in {self.pack.data['name']} classrooms; "
                        f"{to!r} follows the adapted quantities.",
                        confidence=0.85,
                    )
                    continue
                assert span.value is not None
                written, exact = convert_quantity(span.value, plan)
                if f is stem and span in nums:
                    new[nums.index(span)] = written
                unit_to = self.unit_term(tgt_c.id, span, f, written) or plan.target
                sep = " " if self.lang == "en" else ""
                to_text = f"{plain(written)}{sep}{unit_to}"
                alt = f"{exact_text(exact)}{sep}{unit_to}"
                if written != span.value:
                    f.edits.append(_Edit(span.start, span.end, plain(written)))
                    self.conversions.append((f, f.edits[-1]))
                if skill_class(written) != skill_class(span.value):
                    skill_notes.append(f"{span.text} -> {plain(written)}")
                us = span.unit_span
                src_unit_text = self.field_text(f, us) if us else ""
                self.record(
                    f.location,
                    "unit",
                    f"{span.text}{sep if self.lang == 'en' else ''}{src_unit_text}",
                    to_text,
                    (
                        f"{src_unit_text!r} is not used in {self.pack.data['name']} classrooms. "
                        + (
                            "The number is kept so the calculation tests the same whole-number "
                            "skill; the exact conversion is offered as an alternative."
                            if plan.keep_number
                            else "The exact conversion is rounded to the same number of "
                            "significant digits."
                        )
                    ),
                    confidence=0.85 if plan.keep_number else 0.6,
                    alternatives=(alt,) if alt != to_text else (),
                    needs_review=not plan.keep_number,
                )
                if not plan.keep_number:
                    self.conversion_keys.append(
                        (
                            "unit",
                            f"{span.text}{sep if self.lang == 'en' else ''}{src_unit_text}",
                            to_text,
                        )
                    )

        money_changes = any(s.kind == "money" and s.currency != self.pack.currency for s in nums)
        if not money_changes and new == old:
            return None  # no number changes, so the answer cannot change
        # relation
        answer, answer_kind = self.answer()
        relation: Relation | None = None
        table = ExpressionTable(list(old)) if answer is not None else None
        template = self.item.get("template")
        var_index: dict[str, int] = {}
        if answer is not None and isinstance(template, dict) and template.get("answer"):
            relation, var_index = self.template_relation(template, old)
            self.template_spans = {id(nums[i]) for i in var_index.values()}
        if answer is not None and relation is None and table is not None:
            # first with dimensions (no yuan + kg), which settles most ambiguities; if that
            # finds nothing (a dimension misread), search without them
            dims = self.dims(stem, nums)
            inf = ExpressionTable(list(old), dims).explain(answer, self.answer_dim(stem, nums))
            if inf.relation is None and not inf.candidates:
                inf = table.explain(answer)
            constants = constants_in(stem.text, self.lang)
            if inf.relation is None and not inf.candidates and constants:
                # numbers said in words ("两人", "a week") may complete the calculation
                inf = ExpressionTable(list(old), dims, constants).explain(
                    answer, self.answer_dim(stem, nums)
                )
            relation = inf.relation
            if relation is None:
                self.revert_conversions()
                self.warnings.append(
                    f"{self.id}: cannot tell how the answer follows from the numbers "
                    f"({inf.reason}{': ' + ', '.join(inf.candidates) if inf.candidates else ''});"
                    " numbers and prices left unchanged for a person to adapt"
                )
                self.record(
                    "correct_response",
                    "answer",
                    plain(answer),
                    plain(answer),
                    f"the relation between the numbers and the answer could not be inferred "
                    f"({inf.reason}); a person must adapt the numbers and check the answer.",
                    confidence=0.0,
                    alternatives=inf.candidates,
                    needs_review=True,
                )
                self.money_blocked = True
                self.render_numbers(nums, old, old, None, answer, answer, table)
                return None

        # money
        money_idx = [i for i, s in enumerate(nums) if s.kind == "money"]
        factor = Fraction(1)
        if money_idx and any(nums[i].currency != self.pack.currency for i in money_idx):
            minor = self.pack.minor_unit()
            foreign = [i for i in money_idx if nums[i].currency != self.pack.currency]
            self.minor_mode = minor is not None and all(_unit_value(nums[i]) < 1 for i in foreign)
            if minor is not None and self.minor_mode:
                # counted in the minor unit only while amounts stay below one main unit
                # ("20 pence"); larger amounts read naturally in the main unit ("$7.50")
                scale = minor[0]
                major = {i: new[i] * _unit_value(nums[i]) * scale for i in money_idx}
                k = self.money_factor(
                    nums, old, new, major, money_idx, relation, answer, scale, commit=False
                )
                self.minor_mode = all(major[i] * k < scale for i in foreign)
            scale = minor[0] if minor is not None and self.minor_mode else 1
            major = {i: new[i] * _unit_value(nums[i]) * scale for i in money_idx}
            factor = self.money_factor(nums, old, new, major, money_idx, relation, answer, scale)
            for i in money_idx:
                new[i] = major[i] * factor

        new_answer = answer
        if relation is not None and answer is not None:
            try:
                new_answer = evaluate(relation.expression, {f"n{i}": v for i, v in enumerate(new)})
            except ExprError as exc:
                self.warnings.append(f"{self.id}: answer not recomputed: {exc}")
                new_answer = answer
        for i in money_idx:
            if skill_class(new[i]) != skill_class(old[i]):
                skill_notes.append(f"{nums[i].text} -> {plain(new[i])}")
        if answer is not None and new_answer is not None and new_answer != answer:
            diff = None
            if skill_notes:
                diff = _direction(skill_notes, old, new)
            self.record(
                "correct_response",
                "answer",
                plain(answer),
                plain(new_answer),
                f"recomputed by code from the adapted numbers: "
                f"{_show(relation.expression if relation else '', new)} = {plain(new_answer)}.",
                confidence=1.0,
                needs_review=bool(skill_notes),
                difficulty=diff,
            )
            if new_answer.denominator != 1 and answer.denominator == 1:
                self.warnings.append(f"{self.id}: adapted answer is not a whole number")
        if skill_notes:
            self.warnings.append(
                f"{self.id}: skill class changed ({'; '.join(skill_notes)}); a person must check "
                "the difficulty"
            )
        self.render_numbers(nums, old, new, relation, answer, new_answer, table)
        if template and relation is not None:
            self.update_template(template, var_index, nums, old, new, factor)
        self.set_answer(answer_kind, answer, new_answer)
        return relation.expression if relation else None

    # ---- coins and unit definitions ------------------------------------------------------
    def coin_mentions(
        self, stem: _Field
    ) -> list[tuple[Span | None, Fraction, Span | None, int, int, Fraction]]:
        """Coins counted in the stem: (count span, count, value span, start, end, value in main
        units), where start..end is the text naming the coin ("quarters", "5角硬币")."""
        out: list[tuple[Span | None, Fraction, Span | None, int, int, Fraction]] = []
        text = stem.text
        numbers = [s for s in stem.spans if s.kind in ("number", "money")]
        if self.lang == "en" and self.src_pack is not None:
            names = self.src_pack.coin_names("en")
            if not names:
                return []
            pattern = (
                r"\b("
                + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
                + r")\b"
            )
            for m in re.finditer(pattern, text, flags=re.IGNORECASE):
                before = text[: m.start()]
                count_span = next(
                    (
                        s
                        for s in numbers
                        if s.kind == "number"
                        and s.end == len(before.rstrip())
                        and before[s.end :].strip() == ""
                    ),
                    None,
                )
                if count_span is not None and count_span.value is not None:
                    out.append(
                        (
                            count_span,
                            count_span.value,
                            None,
                            m.start(),
                            m.end(),
                            names[m.group(1).lower()],
                        )
                    )
                elif re.search(r"\b(a|an|one)\s+$", before, flags=re.IGNORECASE):
                    out.append(
                        (None, Fraction(1), None, m.start(), m.end(), names[m.group(1).lower()])
                    )
        elif self.lang == "zh":
            for s in numbers:
                if s.kind != "money" or s.value is None or not text.startswith("硬币", s.end):
                    continue
                value = s.value * _unit_value(s)
                after = re.match(r"(\d+)\s*[枚个]", text[s.end + 2 :])
                counted: Span | None = None
                if after:
                    at = s.end + 2 + after.start(1)
                    counted = next((n for n in numbers if n.start == at), None)
                else:
                    lead = re.search(r"(\d+)\s*[枚个]$", text[: s.start])
                    if lead:
                        counted = next((n for n in numbers if n.start == lead.start(1)), None)
                if counted is None or counted.value is None:
                    return []
                out.append((counted, counted.value, s, s.start, s.end + 2, value))
        return out

    def coin_item(self) -> str | None:
        """Replace counted source coins by target coins and recompute the total; the relation
        ("coins"), or None when the item is not a coin count the engine can verify."""
        if not self.src_currency or self.src_currency == self.pack.currency:
            return None
        stem = self.fields[0]
        mentions = self.coin_mentions(stem)
        if not mentions:
            return None
        used = {id(m[0]) for m in mentions if m[0]} | {id(m[2]) for m in mentions if m[2]}
        nums = numbers_of(stem.spans)
        if any(id(s) not in used for s in nums) or any(
            len(f.spans) and f is not stem and numbers_of(f.spans) for f in self.fields
        ):
            return None  # other numbers take part: the general path decides
        answer, answer_kind = self.answer()
        if answer is None or answer_kind not in ("numeric", "text"):
            return None
        total = sum((m[1] * m[5] for m in mentions), Fraction(0))
        last = max(m[4] for m in mentions)
        asked = [
            _unit_value(s) for s in stem.spans if s.kind == "currency" and s.start >= last
        ] or [Fraction(1), Fraction(1, 100)]
        unit = next((u for u in asked if total / u == answer), None)
        if unit is None:
            return None  # the answer is not the coins' total: not guessed
        counts: dict[Fraction, Fraction] = {}
        for m in mentions:
            counts[m[5]] = counts.get(m[5], Fraction(0)) + m[1]
        source = sorted(counts)
        minor = self.pack.minor_unit()
        target_unit = Fraction(1, minor[0]) if unit < 1 and minor is not None else Fraction(1)
        src_ppp = self.src_pack.ppp if self.src_pack else _ppp_of(self.src_currency)
        ratio = self.pack.ppp / src_ppp
        choice = None
        if target_unit < 1:  # counted in the minor unit: coins below one main unit, as the source
            choice = choose_denominations(
                source, counts, self.pack, ratio, target_unit, Fraction(1)
            )
            if choice is None:
                target_unit = Fraction(1)  # too few small coins: the total is counted in main units
        if choice is None:
            choice = choose_denominations(source, counts, self.pack, ratio, target_unit)
        if choice is None:
            return None
        mapping = dict(zip(source, choice.values, strict=True))
        self.coin_minor = target_unit < 1
        where = self.pack.data["name"]
        for _count_span, count, _value_span, start, end, value in mentions:
            tgt = mapping[value]
            note = tgt in choice.notes
            amount = self.denomination_text(tgt)
            src_text = stem.text[start:end]
            if self.lang == "zh":
                to = amount + ("纸币" if note else "硬币")
            else:
                word = "note" if note else "coin"
                to = f"{word}{'' if count == 1 else 's'} of {amount}"
            stem.edits.append(_Edit(start, end, to))
            alternatives = tuple(
                self.denomination_text(v)
                for v in self.pack.coins()
                if v != tgt and abs(math.log(v / tgt)) < math.log(3)
            )[:3]
            self.record(
                stem.location,
                "currency",
                src_text,
                to,
                f"pupils in {where} count {self.pack.currency} coins; {to!r} is the everyday "
                + ("banknote" if note else "coin")
                + " whose value keeps the coins' ratios closest to the source ones "
                f"(source: {self.pack.data['denominations']['source']}).",
                confidence=0.7,
                alternatives=alternatives,
                needs_review=True,
                difficulty=None if note is False and _same_class(value, tgt) else "changed",
            )
        new_answer = sum((m[1] * mapping[m[5]] for m in mentions), Fraction(0)) / target_unit
        if choice.notes:
            self.warnings.append(
                f"{self.id}: {where} has too few coins in everyday use; banknotes are counted "
                "instead, a person must check the item still fits"
            )
        if new_answer.denominator != 1 and answer.denominator == 1:
            self.warnings.append(f"{self.id}: adapted answer is not a whole number")
        if new_answer != answer:
            self.record(
                "correct_response",
                "answer",
                plain(answer),
                plain(new_answer),
                "recomputed by code: the total value of the adapted coins, "
                + " + ".join(
                    f"{plain(m[1])} x {plain(mapping[m[5]] / target_unit)}" for m in mentions
                )
                + f" = {plain(new_answer)}.",
                confidence=1.0,
            )
        self.set_answer(answer_kind, answer, new_answer)
        return "coins"

    def denomination_text(self, value: Fraction) -> str:
        """A coin's or note's value in the draft: "20 pence", "Rp500", "500印尼盾"; in the
        minor unit only when the question counts in it, so the sum stays in one unit."""
        sep = " " if self.lang == "en" else ""
        minor = self.pack.minor_unit()
        if value < 1 and minor is not None and self.coin_minor is not False:
            return f"{plain(value * minor[0])}{sep}{self.currency_label(True)}"
        if self.lang != "en" or value.denominator != 1:
            return f"{plain(value)}{sep}{self.currency_label(False)}"
        text = format_money(
            value,
            self.pack.currency,
            self.pack.locale,
            bool(self.pack.data["currency"]["minor_unit_used"]),
        )
        if "$" in text and self.src_currency == "USD":  # "$5" would read as dollars
            return f"{plain(value)} {self.currency_label(False)}"
        return text

    def definition_item(self, f: _Field, a: Span, b: Span) -> tuple[bool, str | None]:
        """Move a unit definition the arithmetic uses ("1 pound = 16 ounces") to a target pair
        (1 kilogram = 1000 grams) with the item's quantities and answer. (handled, relation);
        handled is False when the target uses both units, so nothing needs converting."""
        known = concepts()
        if not (a.unit and b.unit and a.value and b.value):
            return False, None
        big, small = (a, b) if (known[a.unit].factor or 0) > (known[b.unit].factor or 0) else (b, a)
        assert big.unit is not None
        assert small.unit is not None
        assert big.value is not None
        assert small.value is not None
        factor = small.value / big.value
        statement = f.text[a.start : b.unit_span[1] if b.unit_span else b.end]
        where = self.pack.data["name"]
        if self.pack.accepts_unit(big.unit) and self.pack.accepts_unit(small.unit):
            return False, None

        def keep(why: str) -> tuple[bool, str | None]:
            self.warnings.append(
                f"{self.id}: states a unit conversion ({statement}); {why}; units left as "
                f"written, a person must decide whether the item fits {where}'s curriculum"
            )
            return True, None

        plan = plan_definition(big.unit, small.unit, factor, self.pack)
        if plan is None:
            return keep(f"{where} has no pair of units with a whole-number factor")
        stem = self.fields[0]
        if f is not stem:
            return keep("the statement is not in the stem")
        nums = numbers_of(stem.spans)
        units = {big.unit: plan.big, small.unit: plan.small}
        others = [s for s in nums if s is not a and s is not b]
        for s in others:
            if s.kind == "money" and s.currency != self.pack.currency:
                return keep("the item also counts money")
            if s.unit and s.unit not in units and plan_unit(s.unit, self.pack) is not None:
                return keep("the item uses other units that need converting")
        for g in self.fields[1:]:
            if any(s.unit in units for s in g.spans if s.kind == "number"):
                return keep("answer choices carry these units")
        answer, answer_kind = self.answer()
        if answer is None or answer_kind not in ("numeric", "text"):
            return keep("the answer is not a number the engine can recompute")
        operands = [s.value for s in others if s.value is not None] + [factor]
        if len(operands) != len(others) + 1:
            return keep("a number could not be read")
        inf = ExpressionTable(list(operands)).explain(answer)
        if inf.relation is None:
            return keep(f"the answer's relation is unknown ({inf.reason})")
        new_ops = list(operands)
        notes: list[str] = []
        for i, s in enumerate(others):
            assert s.value is not None
            if s.unit == small.unit:
                whole = s.value / factor
                if whole.denominator == 1:
                    new_ops[i] = whole * plan.factor  # 48 ounces (3 pounds) -> 3000 grams
                else:
                    notes.append(f"{s.text} {known[small.unit].term(self.lang, True)}")
        new_ops[-1] = plan.factor
        new_answer = evaluate(inf.relation.expression, {f"n{i}": v for i, v in enumerate(new_ops)})
        # write: quantities, unit words, the statement
        sep = " " if self.lang == "en" else ""
        for i, s in enumerate(others):
            if s.unit in units and s.unit_span:
                value = new_ops[i]
                term = self.unit_term(units[s.unit], s, stem, value) or units[s.unit]
                if value == s.value and term == self.field_text(stem, s.unit_span):
                    continue
                if value != s.value:
                    stem.edits.append(_Edit(s.start, s.end, plain(value)))
                stem.edits.append(_Edit(s.unit_span[0], s.unit_span[1], term))
                self.record(
                    stem.location,
                    "unit",
                    f"{s.text}{sep}{self.field_text(stem, s.unit_span)}",
                    f"{plain(value)}{sep}{term}",
                    f"{self.field_text(stem, s.unit_span)!r} is not used in {where} classrooms; the "
                    f"item's conversion becomes {plan.big} to {plan.small}.",
                    confidence=0.8,
                )
        for g in self.fields:
            for s in g.spans:
                if (
                    s.kind == "unit"
                    and s.concept in units
                    and not any(
                        n.unit_span == (s.start, s.end) for n in g.spans if n.kind == "number"
                    )
                ):
                    inside = s.start >= a.start and s.end <= (b.unit_span or (0, b.end))[1]
                    if g is f and inside:
                        continue
                    term = known[units[s.concept]].term(self.lang, s.plural) or units[s.concept]
                    if term == s.text:
                        continue
                    g.edits.append(_Edit(s.start, s.end, term))
                    self.record(
                        g.location,
                        "unit",
                        s.text,
                        term,
                        f"{s.text!r} follows the adapted conversion.",
                        confidence=0.8,
                    )
        small_value = big.value * plan.factor
        for s, target in ((big, plan.big), (small, plan.small)):
            assert s.unit_span is not None
            assert s.value is not None
            value = small_value if s is small else s.value
            if value != s.value:
                f.edits.append(_Edit(s.start, s.end, plain(value)))
            term = self.unit_term(target, s, f, value) or target
            f.edits.append(_Edit(s.unit_span[0], s.unit_span[1], term))
        new_statement = _apply(
            f.text,
            [e for e in f.edits if e.start >= a.start and e.end <= (b.unit_span or (0, b.end))[1]],
        )[a.start : a.start + 200]
        new_statement = new_statement[
            : len(new_statement) - (len(f.text) - (b.unit_span or (0, b.end))[1])
        ]
        self.record(
            f.location,
            "unit",
            statement,
            new_statement,
            f"{where} classrooms do not use {known[big.unit].term(self.lang, True)} and "
            f"{known[small.unit].term(self.lang, True)}; changing one side alone would make the "
            f"statement false, so the whole relation becomes {new_statement} and the answer is "
            "recomputed with it. A person must check the conversion is taught at this grade.",
            confidence=0.7,
            alternatives=(statement,),
            needs_review=True,
        )
        if notes:
            self.warnings.append(
                f"{self.id}: quantities not a whole number of the larger unit kept as written "
                f"({'; '.join(notes)}); a person must check them"
            )
        if new_answer.denominator != 1 and answer.denominator == 1:
            self.warnings.append(f"{self.id}: adapted answer is not a whole number")
        if new_answer != answer:
            diff = None if skill_class(new_answer) == skill_class(answer) else "changed"
            self.record(
                "correct_response",
                "answer",
                plain(answer),
                plain(new_answer),
                f"recomputed by code with the adapted conversion: "
                f"{_show(inf.relation.expression, new_ops)} = {plain(new_answer)}.",
                confidence=1.0,
                needs_review=diff is not None,
                difficulty=diff,
            )
        self.set_answer(answer_kind, answer, new_answer)
        return True, f"{inf.relation.expression} (n{len(others)} = {plain(plan.factor)})"

    def conversion_fact(self) -> str | None:
        """The first "N unit = M unit" statement in the item, if any."""
        found = self.conversion_spans()
        if found is None:
            return None
        f, a, b = found
        return f.text[a.start : b.unit_span[1] if b.unit_span else b.end]

    def conversion_spans(self) -> tuple[_Field, Span, Span] | None:
        """The two quantities of the first "N unit = M unit" statement, if any."""
        for f in self.fields:
            quantities = [s for s in f.spans if s.kind == "number" and s.unit_span]
            for a, b in itertools.pairwise(quantities):
                assert a.unit_span is not None
                if f.text[a.unit_span[1] : b.start].strip() in ("=", "＝", "等于", "equals", "is"):
                    return f, a, b
        return None

    def dims(self, stem: _Field, nums: list[Span]) -> list[Dim]:
        """Dimension of each stem number: money, money per unit, a measured quantity, a count."""
        out: list[Dim] = []
        for s in nums:
            d = [0, 0, 0, 0, 0]
            if s.kind == "money":
                d[0] = 1
                per = self.per_unit(stem, s)
                if per is not None:
                    d[_DIM_INDEX[per]] -= 1
            elif s.unit:
                dim = concepts()[s.unit].dimension
                if dim in _DIM_INDEX:
                    d[_DIM_INDEX[dim]] = 1
            elif (self.lang == "zh" and stem.text[s.end : s.end + 1] in ZH_MEASURE) or (
                self.lang == "en" and EN_COUNTED.match(stem.text[s.end : s.end + 20])
            ):
                d[4] = 1
            out.append(tuple(d))
        return out

    def per_unit(self, stem: _Field, money: Span) -> str | None:
        """Dimension of the unit a price is per ("每斤12元", "$4 per pound"), if any."""
        if self.lang == "zh":
            before = stem.text[max(0, money.start - 2) : money.start]
            if len(before) == 2 and before[0] == "每" and before[1] in ZH_MEASURE:
                return "item"
        elif re.match(r"\s+each\b", stem.text[money.end : money.end + 6]):
            return "item"
        for s in stem.spans:
            if s.kind != "unit" or not s.concept:
                continue
            dim = concepts()[s.concept].dimension
            if self.lang == "zh":
                between = stem.text[s.end : money.start]
                if between == "" and stem.text[max(0, s.start - 1) : s.start] == "每":
                    return dim
            else:
                between = stem.text[money.end : s.start]
                if re.fullmatch(r"\s*(per|a|an)\s+", between):
                    return dim
        return None

    def answer_dim(self, stem: _Field, nums: list[Span]) -> Dim | None:
        """Dimension the question asks for: the answer's unit, or "多少元" / "how many dollars"."""
        unit = self.item["interaction"].get("unit")
        spans = extract(unit, self.lang, self.src_currency) if isinstance(unit, str) else []
        last = nums[-1].end if nums else 0
        spans += [s for s in stem.spans if s.start >= last and s.kind in ("currency", "unit")]
        for s in spans:
            d = [0, 0, 0, 0, 0]
            if s.kind == "currency":
                d[0] = 1
                return tuple(d)
            if s.kind == "unit" and s.concept:
                dim = concepts()[s.concept].dimension
                if dim in _DIM_INDEX:
                    d[_DIM_INDEX[dim]] = 1
                    return tuple(d)
        return None

    def unit_term(
        self, unit: str, span: Span, f: _Field, value: Fraction | None = None
    ) -> str | None:
        """Target unit word in the same style as the source: "lb" -> "kg", "pounds" -> "kilograms",
        plural agreeing with the number it follows."""
        text = span.text if span.kind == "unit" else self.field_text(f, span.unit_span or (0, 0))
        if value is None and span.kind == "unit":
            before = [
                s for s in f.spans if s.kind == "number" and s.unit_span == (span.start, span.end)
            ]
            value = before[0].value if before else None
        plural = value != 1 if value is not None else span.plural
        forms = concepts()[unit].terms.get(self.lang, ())
        abbreviated = [x for x in forms if x.split("|")[0] in ABBREVIATIONS]
        if text in ABBREVIATIONS and abbreviated:
            return abbreviated[0].split("|")[0]
        return concepts()[unit].term(self.lang, plural)

    def revert_conversions(self) -> None:
        """Undo number-changing unit conversions (the relation to the answer is unknown)."""
        for f, edit in self.conversions:
            if edit in f.edits:
                f.edits.remove(edit)
        for f in self.fields:  # the unit words of those quantities stay as written too
            f.edits = [
                e
                for e in f.edits
                if not any(
                    e.start >= s.unit_span[0] and e.end <= s.unit_span[1]
                    for s in f.spans
                    if s.unit_span and (f, s) and self._converted(s)
                )
            ]
        for key in self.conversion_keys:
            self.changes.pop(key, None)
            self.locations.pop(key, None)

    def _converted(self, span: Span) -> bool:
        plan = plan_unit(span.unit, self.pack) if span.unit else None
        return plan is not None and not plan.keep_number

    def field_text(self, f: _Field, span: tuple[int, int]) -> str:
        return f.text[span[0] : span[1]]

    def template_relation(
        self, template: dict[str, Any], old: list[Fraction]
    ) -> tuple[Relation | None, dict[str, int]]:
        variables = template.get("variables", {})
        used: set[int] = set()
        var_index: dict[str, int] = {}
        for name, spec in variables.items():
            val = to_fraction(spec.get("value", 0))
            idx = next((i for i, v in enumerate(old) if v == val and i not in used), None)
            if idx is None:
                self.warnings.append(
                    f"{self.id}: template variable {name!r} = {plain(val)} not found in the stem"
                )
                return None, {}
            used.add(idx)
            var_index[name] = idx
        expr = str(template["answer"])
        try:
            names = names_in(expr)
        except SyntaxError:
            return None, {}
        if not names <= set(var_index):
            return None, {}
        text = expr
        for name in sorted(var_index, key=len, reverse=True):
            text = re.sub(rf"\b{re.escape(name)}\b", f"n{var_index[name]}", text)
        return Relation(text, tuple(sorted(var_index[n] for n in names))), var_index

    def answer(self) -> tuple[Fraction | None, str]:
        """The numeric answer and where it lives ("numeric", "text", "choice:<id>")."""
        inter = self.item["interaction"]
        values = self.item.get("correct_response", {}).get("values", [])
        kind = inter.get("type")
        if not values:
            return None, ""
        if kind == "numeric_entry":
            try:
                return to_fraction(values[0]), "numeric"
            except (ArithmeticError, ValueError, TypeError):
                return None, ""
        if kind == "text_entry":
            try:
                return to_fraction(str(values[0]).replace(",", "")), "text"
            except (ArithmeticError, ValueError):
                return None, ""
        if kind == "choice":
            for f in self.fields:
                if f.location == f"interaction.choices[{values[0]}]":
                    nums = numbers_of(f.spans)
                    if len(nums) == 1 and nums[0].value is not None:
                        return nums[0].value, f"choice:{values[0]}"
        return None, ""

    def money_factor(
        self,
        nums: list[Span],
        old: list[Fraction],
        base: list[Fraction],
        major: dict[int, Fraction],
        money_idx: list[int],
        relation: Relation | None,
        answer: Fraction | None,
        scale: int = 1,
        commit: bool = True,
    ) -> Fraction:
        """A scale m*10^k for every money amount: near local prices, same skill class.

        `major` holds each amount in the target's counting unit at 1:1 (its minor unit when
        `scale` is the minor units per major unit), so prices and steps are scaled alike."""
        stem = self.fields[0]
        ratios: list[float] = []
        sources: list[str] = []
        for i in money_idx:
            concept = self.priced_concept(stem, nums[i])
            if concept is None or not self.is_unit_price(stem, nums[i]):
                continue
            price = self.pack.price(concept)
            if price and old[i] > 0:
                ratios.append(price[0] * scale / float(major[i]))
                sources.append(f"{concept} {plain(to_fraction(price[0]))} {self.pack.currency}")
        if ratios:
            ratio = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
            basis = (
                f"the pack's price table ({', '.join(sources)}; "
                f"{self.pack.data['prices']['source']}, {self.pack.data['prices']['year']})"
            )
            confidence = 0.75
        else:
            src_ppp = self.src_pack.ppp if self.src_pack else 1.0
            if self.src_pack is None and nums[money_idx[0]].currency:
                src_ppp = _ppp_of(nums[money_idx[0]].currency or "")
            ratio = self.pack.ppp / src_ppp
            basis = (
                f"purchasing-power parity ({self.pack.data['ppp']['source']}, "
                f"{self.pack.data['ppp']['year']}), as no local price is listed"
            )
            confidence = 0.55
        step = to_fraction(self.pack.data["currency"]["smallest_amount"]) * scale
        best: tuple[tuple[int, float], Fraction] | None = None
        for k in candidate_factors(ratio):
            vals = list(base)
            for i in money_idx:
                vals[i] = major[i] * k
            ok_step = all(is_multiple(vals[i], step) for i in money_idx)
            ok_skill = all(skill_class(vals[i]) == skill_class(old[i]) for i in money_idx)
            ok_answer = True
            if relation is not None and answer is not None:
                try:
                    ans = evaluate(relation.expression, {f"n{i}": v for i, v in enumerate(vals)})
                    ok_answer = (ans.denominator == 1) == (answer.denominator == 1) and (
                        (ans >= 0) == (answer >= 0)
                    )
                except ExprError:
                    ok_answer = False
            penalty = (not ok_step) * 4 + (not ok_answer) * 2 + (not ok_skill)
            score = (penalty, abs(math.log10(float(k)) - math.log10(ratio)))
            if best is None or score < best[0]:
                best = (score, k)
            if penalty == 0:
                break  # candidates come nearest first: the first that keeps everything wins
        assert best is not None
        k = best[1]
        if not commit:
            return k
        for i in money_idx:
            to_val = major[i] * k
            to = self.money_text(nums[i], to_val)
            off = float(k) / ratio
            note = (
                f" This is {off:.1f} times the local price level: no closer scale keeps whole "
                "numbers with the same digits."
                if off > 2.5 or off < 0.4
                else ""
            )
            self.record(
                "stem",
                "price",
                nums[i].text,
                to,
                f"amount set at a plausible local price level from {basis}; scaled by "
                f"{plain(k)} so the digits pupils compute with keep their skill class.{note}",
                confidence=confidence if not note else min(confidence, 0.4),
                alternatives=self.price_alternatives(major[i] / scale, to_val / scale, ratio),
                needs_review=confidence < 0.7 or best[0][0] > 0 or bool(note),
            )
        first = nums[money_idx[0]]
        word = re.sub(r"[\d.,\s]+", "", first.text) or (first.currency or "")
        self.record(
            "stem",
            "currency",
            word,
            self.currency_label(self.minor_mode),
            f"pupils in {self.pack.data['name']} count money in {self.pack.currency}"
            + (" and its minor unit." if self.minor_mode else "."),
            confidence=0.95,
        )
        return k

    def price_alternatives(
        self, value: Fraction, chosen: Fraction, ratio: float
    ) -> tuple[str, ...]:
        step = to_fraction(self.pack.data["currency"]["smallest_amount"])
        alts = []
        for sig in (1, 2):
            raw = float(value) * ratio
            exp = math.floor(math.log10(raw)) - sig + 1 if raw > 0 else 0
            val = Fraction(round(raw / 10**exp)) * Fraction(10) ** exp
            val = Fraction(round(val / step)) * step if step else val
            if val > 0 and val != chosen:
                alts.append(
                    format_money(
                        val,
                        self.pack.currency,
                        self.pack.locale,
                        bool(self.pack.data["currency"]["minor_unit_used"]),
                    )
                )
        return tuple(dict.fromkeys(alts))

    def priced_concept(self, stem: _Field, money: Span) -> str | None:
        """The food or good nearest to a money amount (after substitution)."""
        best: tuple[int, str] | None = None
        for s in stem.spans:
            if s.kind == "concept" and s.concept:
                c = concepts()[s.concept]
                if c.category not in ("food", "good"):
                    continue
                dist = abs(s.start - money.start)
                cid = self.substituted.get(c.id, c.id)
                if best is None or dist < best[0]:
                    best = (dist, cid)
        return best[1] if best else None

    def is_unit_price(self, stem: _Field, money: Span) -> bool:
        before = stem.text[max(0, money.start - 12) : money.start]
        after = stem.text[money.end : money.end + 8]
        if self.lang == "zh":
            return bool(UNIT_PRICE_ZH.search(before)) or after.startswith(("一", "每"))
        return bool(UNIT_PRICE_EN.match(after)) or bool(UNIT_PRICE_EN_BEFORE.search(before))

    def render_numbers(
        self,
        nums: list[Span],
        old: list[Fraction],
        new: list[Fraction],
        relation: Relation | None,
        answer: Fraction | None,
        new_answer: Fraction | None,
        table: ExpressionTable | None,
    ) -> None:
        """Write new values into every field: stem numbers by position, others by value."""
        by_value: dict[Fraction, Fraction] = {}
        for o, n in zip(old, new, strict=True):
            by_value.setdefault(o, n)
        if answer is not None and new_answer is not None:
            by_value[answer] = new_answer
        ratio = new_answer / answer if answer and new_answer is not None else Fraction(1)
        for f in self.fields:
            for span in numbers_of(f.spans):
                assert span.value is not None
                if f is self.fields[0]:
                    value = new[nums.index(span)]
                elif span.value in by_value:
                    value = by_value[span.value]
                elif table is not None and relation is not None:
                    inf = table.explain(span.value)
                    if inf.relation is not None:
                        value = evaluate(
                            inf.relation.expression, {f"n{i}": v for i, v in enumerate(new)}
                        )
                    else:
                        value = span.value * ratio
                        if value != span.value:
                            self.record(
                                f.location,
                                "answer",
                                span.text,
                                plain(value),
                                "distractor scaled with the answer (its calculation is unknown).",
                                confidence=0.5,
                                needs_review=True,
                            )
                else:
                    value = span.value
                self.write_number(f, span, value)

    def write_number(self, f: _Field, span: Span, value: Fraction) -> None:
        if span.kind == "money" and span.currency != self.pack.currency:
            text = self.money_text(span, value, grouping=id(span) not in self.template_spans)
            f.edits.append(_Edit(span.start, span.end, text))
            if self.money_blocked:
                self.kept_amount(f, span, text)
            return
        if value != span.value:
            f.edits.append(_Edit(span.start, span.end, plain(value)))

    def update_template(
        self,
        template: dict[str, Any],
        var_index: dict[str, int],
        nums: list[Span],
        old: list[Fraction],
        new: list[Fraction],
        factor: Fraction,
    ) -> None:
        for name, idx in var_index.items():
            spec = template["variables"][name]
            spec["value"] = _num(new[idx])
            if nums[idx].kind == "money" and factor != 1:
                for key in ("min", "max", "step"):
                    if key in spec:
                        spec[key] = _num(to_fraction(spec[key]) * factor)
            if new[idx].denominator != 1:
                spec["type"] = "float"

    def set_answer(self, kind: str, old: Fraction | None, new: Fraction | None) -> None:
        if old is None or new is None or old == new:
            return
        values = self.item["correct_response"]["values"]
        if kind == "numeric":
            values[0] = _num(new)
        elif kind == "text":
            values[0] = plain(new)

    def interaction_unit(self) -> None:
        inter = self.item["interaction"]
        unit = inter.get("unit")
        if not isinstance(unit, str) or not unit:
            return
        spans = extract(unit, self.lang, self.src_currency)
        if len(spans) != 1:
            return
        span = spans[0]
        to: str | None = None
        kind = "unit"
        review = False
        if span.kind == "currency" and span.currency != self.pack.currency:
            to, review, _ = self.currency_word_target(span)
            kind = "currency"
        elif span.kind == "unit" and span.concept:
            plan = plan_unit(span.concept, self.pack)
            if plan:
                to = concepts()[plan.target].term(self.lang, span.plural)
        if to and to != unit:
            inter["unit"] = to
            self.record(
                "interaction.unit",
                kind,
                unit,
                to,
                "the answer's unit follows the adapted question.",
                confidence=0.5 if review else 0.95,
                needs_review=review,
            )

    def curriculum(self) -> None:
        grade = self.loc.options.grade
        src_grade = self.item.get("grade")
        if grade is not None and src_grade != grade:
            self.item["grade"] = grade
            self.item.pop("grade_band", None)  # the format allows one or the other
            self.record(
                "grade",
                "curriculum",
                str(src_grade),
                self.pack.grade_name(grade),
                f"placed in {self.pack.grade_name(grade)} as requested; check that the skill is "
                "taught by then in the target curriculum.",
                confidence=0.7,
                needs_review=True,
            )
        alignments = self.item.get("alignments")
        if alignments:
            new_al, al_changes, al_warn = realign(
                self.id,
                list(alignments),
                self.loc.options.crosswalk or {},
                self.loc.options.target_framework,
                self.suggest_alignments,
            )
            self.item["alignments"] = new_al
            for ch in al_changes:
                self.changes[(ch.kind, ch.from_, ch.to)] = ch
                self.locations[(ch.kind, ch.from_, ch.to)] = [ch.location]
            self.warnings.extend(al_warn)

    def suggest_alignments(self) -> list[str]:
        """Codes of the target statements most similar to the item (standards engine's BM25)."""
        statements = self.loc.options.target_statements
        if not statements:
            return []
        try:
            from edubridge.engines.standards.align import Statement, suggest_alignments
        except ImportError:  # the standards engine is optional here
            return []
        found = suggest_alignments(
            self.item,
            [
                Statement(
                    identifier=str(s["identifier"]),
                    code=s.get("code"),
                    text=str(s.get("text", "")),
                    language=s.get("language"),
                )
                for s in statements
            ],
        )
        return [s.code or s.identifier for s in found]

    def translation_task(self) -> None:
        if self.lang == self.pack.language:
            return
        self.record(
            "stem",
            "translation",
            self.lang,
            self.pack.language,
            f"TRANSLATION TASK: the draft is adapted in {self.lang}; it must be translated into "
            f"{self.pack.data['languages'][0]['name']} ({self.pack.direction}) by a translator "
            "(XLIFF export) or a configured provider, then re-checked.",
            confidence=0.0,
            needs_review=True,
        )


def _same_script(text: str, lang: str) -> bool:
    """Whether text is written in the script the draft's language uses (Latin for en, Han for zh)."""
    letters = [ch for ch in text if ch.isalpha()]
    if lang == "zh":
        return all("\u4e00" <= ch <= "\u9fff" for ch in letters)
    return all(ord(ch) < 0x250 for ch in letters)


def _same_class(a: Fraction, b: Fraction) -> bool:
    return skill_class(a) == skill_class(b)


def _unit_value(span: Span) -> Fraction:
    return to_fraction(span.extra.get("unit_value", "1"))


def _with(ch: Change, **kw: Any) -> Change:
    data = {**ch.__dict__, **kw}
    return Change(**data)


def _apply(text: str, edits: list[_Edit]) -> str:
    """Apply non-overlapping edits (later edits inside an earlier one are dropped)."""
    out = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, -e.end)):
        if e.start < pos:
            continue
        out.append(text[pos : e.start])
        out.append(e.text)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def _num(value: Fraction) -> int | float:
    return value.numerator if value.denominator == 1 else float(value)


def _show(expression: str, values: list[Fraction]) -> str:
    return re.sub(r"n(\d+)", lambda m: plain(values[int(m.group(1))]), expression)


def _direction(notes: list[str], old: list[Fraction], new: list[Fraction]) -> str:
    old_digits = sum(skill_class(v).significant_digits for v in old)
    new_digits = sum(skill_class(v).significant_digits for v in new)
    lost_decimals = any(o.denominator != 1 for o in old) and all(n.denominator == 1 for n in new)
    if new_digits < old_digits or lost_decimals:
        return "easier"
    return "harder"


def _ppp_of(currency: str) -> float:
    for locale in available_locales():
        pack = load_pack(locale)
        if pack.currency == currency:
            return pack.ppp
    return 1.0


def localize_items(items: Iterable[dict[str, Any]], options: Options) -> LocalizeResult:
    """Localize one resource (its items in order) to options.target."""
    return Localizer(options).localize(items)
