"""Locale packs and the shared concept lexicon: versioned YAML data files, validated on load.

Packs are reviewed like code; a validation error names the pack, the field and the problem, so a
reviewer can fix the file without reading the engine.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from importlib import resources
from typing import Any

import jsonschema
import yaml

PACKS_PACKAGE = "edubridge.engines.localize.packs"


class PackError(ValueError):
    """A locale pack or the concept lexicon is missing or malformed."""


def _read(name: str) -> str:
    try:
        return resources.files(PACKS_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise PackError(f"no such pack file: {name}") from exc


@functools.cache
def _schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_read("pack.schema.json"))
    return data


@functools.cache
def available_locales() -> tuple[str, ...]:
    """Locale tags that have a pack, sorted."""
    names = [p.name for p in resources.files(PACKS_PACKAGE).iterdir()]
    return tuple(sorted(n[: -len(".yaml")] for n in names if n.endswith(".yaml") and "-" in n))


@dataclass(frozen=True)
class Concept:
    """A thing the engine recognises (a food, a unit, a festival...) with its surface forms."""

    id: str
    category: str
    tags: tuple[str, ...]
    terms: dict[str, tuple[str, ...]]
    measure: str | None = None
    dimension: str | None = None
    factor: float | None = None
    role: str | None = None

    def term(self, lang: str, plural: bool = False) -> str | None:
        """Preferred surface form in a language ("singular|plural" forms split)."""
        forms = self.terms.get(lang)
        if not forms:
            return None
        parts = forms[0].split("|")
        return parts[1] if plural and len(parts) > 1 else parts[0]


@functools.cache
def concepts() -> dict[str, Concept]:
    """The concept lexicon, keyed by concept id."""
    raw = yaml.safe_load(_read("concepts.yaml"))
    if not isinstance(raw, dict) or not isinstance(raw.get("concepts"), dict):
        raise PackError("concepts.yaml: expected a mapping with a 'concepts' mapping")
    out: dict[str, Concept] = {}
    for cid, c in raw["concepts"].items():
        if not isinstance(c, dict) or "category" not in c or "terms" not in c:
            raise PackError(f"concepts.yaml: concept {cid!r} needs 'category' and 'terms'")
        terms = {str(k): tuple(str(x) for x in v) for k, v in c["terms"].items()}
        out[str(cid)] = Concept(
            id=str(cid),
            category=str(c["category"]),
            tags=tuple(str(t) for t in c.get("tags", [])),
            terms=terms,
            measure=c.get("measure"),
            dimension=c.get("dimension"),
            factor=float(c["factor"]) if "factor" in c else None,
            role=c.get("role"),
        )
    return out


def concepts_version() -> int:
    """Version of the concept lexicon file."""
    raw = yaml.safe_load(_read("concepts.yaml"))
    return int(raw["version"])


def to_exact(value: float | int | str) -> Fraction:
    """A pack's decimal number as an exact value (0.1 is one tenth, not a binary float)."""
    return Fraction(Decimal(str(value)))


@dataclass(frozen=True)
class LocalePack:
    """A validated locale pack; `data` keeps the reviewed file's structure as is."""

    locale: str
    version: int
    data: dict[str, Any]

    @property
    def ref(self) -> str:
        """Reference written into provenance, e.g. "id-ID@3"."""
        return f"{self.locale}@{self.version}"

    @property
    def language(self) -> str:
        """Primary language subtag of the classroom language."""
        return str(self.data["languages"][0]["tag"])

    @property
    def direction(self) -> str:
        return str(self.data["languages"][0]["direction"])

    @property
    def currency(self) -> str:
        return str(self.data["currency"]["code"])

    def names(self, gender: str) -> list[str]:
        """Given names of one gender ("male"/"female"), or family names ("family")."""
        return [str(n) for n in self.data["names"][gender]]

    def currency_name(self, lang: str) -> str:
        names: dict[str, str] = self.data["currency"]["names"]
        return names.get(lang) or names["en"]

    def price(self, concept: str) -> tuple[float, str] | None:
        """(amount, per) from the price table, or None when the good is not listed."""
        entry = self.data["prices"]["items"].get(concept)
        if entry is None:
            return None
        return float(entry[0]), str(entry[1])

    @property
    def ppp(self) -> float:
        return float(self.data["ppp"]["lcu_per_intl_dollar"])

    def forbidden_rule(self, tags: tuple[str, ...]) -> dict[str, Any] | None:
        """The first forbidden-goods rule matching any of the tags."""
        for rule in self.data["forbidden"]:
            if set(rule["tags"]) & set(tags):
                return dict(rule)
        return None

    def accepts_unit(self, unit: str) -> bool:
        return unit in self.data["measurement"]["units"]

    def preferred_unit(self, dimension: str) -> str | None:
        pref: dict[str, str] = self.data["measurement"]["preferred"]
        return pref.get(dimension)

    def festival_for_role(
        self, role: str | None, lang: str | None = None, avoid: str | None = None
    ) -> dict[str, Any]:
        """The pack's festival filling the same role, else its first (main) festival.

        With `avoid` (the source text's festival name), a festival whose name in `lang` repeats
        it is taken only when no other festival fills the role: "Independence Day" adapted to
        India becomes "Republic Day", not a name a reader would take for the same holiday.
        """
        same_role = [f for f in self.data["festivals"] if role and role in f["roles"]]
        if avoid and lang:
            clear = [f for f in same_role if not names_clash(f["names"].get(lang, ""), avoid)]
            same_role = clear or same_role
        if same_role:
            return dict(same_role[0])
        return dict(self.data["festivals"][0])

    def minor_unit(self) -> tuple[int, dict[str, str]] | None:
        """(minor units per major unit, names) when pupils count in a minor unit, else None."""
        cur = self.data["currency"]
        minor = cur.get("minor")
        if not cur["minor_unit_used"] or not minor:
            return None
        return int(minor["per_major"]), dict(minor["names"])

    def coins(self) -> tuple[Fraction, ...]:
        """Values of the coins in everyday use, in main units, smallest first."""
        return tuple(sorted(to_exact(v) for v in self.data["denominations"]["coins"]))

    def notes(self) -> tuple[Fraction, ...]:
        """Values of the banknotes in everyday use, in main units, smallest first."""
        return tuple(sorted(to_exact(v) for v in self.data["denominations"]["notes"]))

    def coin_names(self, lang: str) -> dict[str, Fraction]:
        """Coins known by a name rather than by their value ("quarter": 0.25), in `lang`."""
        names = self.data["denominations"].get("names", {}).get(lang, {})
        return {str(k): to_exact(v) for k, v in names.items()}

    def place_for_role(self, role: str | None) -> dict[str, str] | None:
        places: dict[str, dict[str, str]] = self.data["places"]
        if role and role in places:
            return places[role]
        return None

    def grade_name(self, grade: int) -> str:
        """Local name of an (age-based, US-style) school grade: "Kelas 4", "Year 5", "CE2"."""
        school = self.data["school_year"]
        named = school.get("grade_names", {}).get(str(grade))
        if named:
            return str(named)
        return str(school["grade_name"]).replace("{n}", str(grade + school.get("grade_offset", 0)))


def validate_pack_data(data: Any, origin: str = "pack") -> list[str]:
    """Every problem with a pack's data, as "origin: path: message" lines (empty when valid)."""
    validator = jsonschema.Draft202012Validator(_schema())
    problems = []
    for err in sorted(validator.iter_errors(data), key=lambda e: list(e.path)):
        path = "/".join(str(p) for p in err.path) or "(top)"
        problems.append(f"{origin}: {path}: {err.message}")
    if problems or not isinstance(data, dict):
        return problems
    known = concepts()
    for key in data["prices"]["items"]:
        if key not in known:
            problems.append(f"{origin}: prices/items/{key}: unknown concept")
    for i, rule in enumerate(data["forbidden"]):
        for sub in rule["substitutes"]:
            if sub not in known:
                problems.append(f"{origin}: forbidden/{i}/substitutes: unknown concept {sub!r}")
    for unit in data["measurement"]["units"]:
        if unit not in known or known[unit].category != "unit":
            problems.append(f"{origin}: measurement/units: unknown unit {unit!r}")
    for src, dst in data.get("equivalents", {}).items():
        if src not in known or dst not in known:
            problems.append(f"{origin}: equivalents/{src}: unknown concept")
    return problems


@functools.cache
def load_pack(locale: str) -> LocalePack:
    """Load and validate the pack for a locale tag such as "id-ID"; PackError when unknown/bad."""
    if locale not in available_locales():
        raise PackError(
            f"unknown locale {locale!r}; packs exist for: {', '.join(available_locales())}"
        )
    origin = f"{locale}.yaml"
    try:
        data = yaml.safe_load(_read(origin))
    except yaml.YAMLError as exc:
        raise PackError(f"{origin}: not valid YAML: {exc}") from exc
    problems = validate_pack_data(data, origin)
    if problems:
        raise PackError("; ".join(problems[:5]))
    if data["locale"] != locale:
        raise PackError(f"{origin}: locale field says {data['locale']!r}")
    return LocalePack(locale=locale, version=int(data["version"]), data=data)


def names_clash(name: str, source: str) -> bool:
    """Whether a target festival's name would read as the source's ("Saudi National Day" and
    "National Day"): one contains the other, ignoring case and a leading "the"."""
    a = re.sub(r"^the\s+", "", name.strip().lower())
    b = re.sub(r"^the\s+", "", source.strip().lower())
    if not a or not b:
        return False
    return bool(re.search(rf"\b{re.escape(b)}\b", a) or re.search(rf"\b{re.escape(a)}\b", b))
