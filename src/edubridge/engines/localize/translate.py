"""Translation of adapted drafts: providers, and the checks every provider's output must pass.

The engine never trusts a translation: numbers, amounts and names are replaced by placeholders
before a provider sees the text and must all come back exactly once; no new digits may appear;
glossary terms must be used; terms for goods forbidden in the target locale must not appear.
Providers: a translation memory with glossary (plain data), an OpenAI-compatible chat-completions
endpoint (asked for JSON), and XLIFF 2.1 files for human translators (see xliff.py).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from .adapt import _text_fields
from .model import Change, LocalizeResult
from .numbers import format_number, to_fraction
from .pack import LocalePack, concepts

PLACEHOLDER = re.compile(r"\{ph(\d+)\}")
# Digits with the grouping and decimal marks of any pack (1,20,000 / 36.000 / 4,50 / 120 000).
NUMBER_TOKEN = re.compile(r"\d(?:[\d.,\u00a0\u202f\u066b\u066c]*\d)?")
DIGITS = re.compile(r"\d")


@dataclass
class Segment:
    """One text field of one item, with protected tokens replaced by {ph1}, {ph2}..."""

    id: str
    item: str
    location: str
    source: str
    tokens: dict[str, str] = field(default_factory=dict)

    def restore(self, text: str, numbers: Mapping[str, str] | None = None) -> str:
        """Put protected tokens back; `numbers` overrides plain numbers (target formatting)."""

        def put(m: re.Match[str]) -> str:
            key = f"ph{m.group(1)}"
            if numbers and key in numbers:
                return numbers[key]
            return self.tokens.get(key, m.group(0))

        return PLACEHOLDER.sub(put, text)

    def plain_numbers(self) -> dict[str, str]:
        """Placeholders that hold a bare number written the source way ("1200", "3.5")."""
        return {k: v for k, v in self.tokens.items() if re.fullmatch(r"\d+(?:\.\d+)?", v)}


def make_segments(item: dict[str, Any], protected: Sequence[str] = ()) -> list[Segment]:
    """Segments for every text field of an item; names, amounts (as the engine wrote them, e.g.
    "Rp36.000") and any other numbers become placeholders."""
    segments = []
    names = sorted({n for n in protected if n}, key=len, reverse=True)
    name_re = re.compile("|".join(re.escape(n) for n in names)) if names else None
    for location, text, _ in _text_fields(item):
        tokens: dict[str, str] = {}

        def repl(m: re.Match[str], tokens: dict[str, str] = tokens) -> str:
            key = f"ph{len(tokens) + 1}"
            tokens[key] = m.group(0)
            return "{" + key + "}"

        masked = name_re.sub(repl, text) if name_re else text
        parts = re.split(r"(\{ph\d+\})", masked)
        masked = "".join(p if PLACEHOLDER.fullmatch(p) else _mask_numbers(p, repl) for p in parts)
        segments.append(
            Segment(f"{item['id']}/{location}", str(item["id"]), location, masked, tokens)
        )
    return segments


def _mask_numbers(text: str, repl: Any) -> str:
    return NUMBER_TOKEN.sub(repl, text)


class Provider(Protocol):
    """Translates masked segments; None for a segment it cannot translate."""

    name: str
    machine: bool

    def translate(
        self, segments: Sequence[Segment], source_lang: str, target_lang: str
    ) -> list[str | None]: ...


@dataclass
class MemoryProvider:
    """Exact-match translation memory (masked source -> masked target) per language pair."""

    memory: Mapping[tuple[str, str], Mapping[str, str]]
    name: str = "translation-memory"
    machine: bool = False

    def translate(
        self, segments: Sequence[Segment], source_lang: str, target_lang: str
    ) -> list[str | None]:
        table = self.memory.get((source_lang, target_lang), {})
        return [table.get(s.source) for s in segments]


@dataclass
class ChatProvider:
    """An OpenAI-compatible chat-completions endpoint, asked for a JSON object of translations."""

    url: str
    model: str
    api_key: str | None = None
    timeout: float = 60.0
    glossary: Mapping[str, str] = field(default_factory=dict)
    name: str = "chat-completions"
    machine: bool = True

    def translate(
        self, segments: Sequence[Segment], source_lang: str, target_lang: str
    ) -> list[str | None]:
        if not segments:
            return []
        instructions = (
            f"Translate school exercise text from {source_lang} to {target_lang} for pupils. "
            "Keep every placeholder like {ph1} exactly once and unchanged; write no digits. "
            'Answer with a JSON object {"translations": [...]} with one string per input, in order.'
        )
        if self.glossary:
            instructions += " Use this glossary: " + json.dumps(self.glossary, ensure_ascii=False)
        body = {
            "model": self.model,
            "messages": [
                {"role": "system", "content": instructions},
                {
                    "role": "user",
                    "content": json.dumps([s.source for s in segments], ensure_ascii=False),
                },
            ],
            "response_format": {"type": "json_object"},
            "temperature": 0,
        }
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        if not self.url.startswith(("http://", "https://")):
            raise TranslationError(f"endpoint must be http(s): {self.url}")
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            self.url.rstrip("/") + "/chat/completions",
            data=json.dumps(body).encode(),
            headers=headers,
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as resp:  # noqa: S310
                payload = json.loads(resp.read().decode("utf-8"))
            content = payload["choices"][0]["message"]["content"]
            parsed = json.loads(content)
            out = parsed["translations"] if isinstance(parsed, dict) else parsed
        except (urllib.error.URLError, OSError, KeyError, IndexError, TypeError, ValueError) as exc:
            raise TranslationError(f"chat endpoint failed: {exc}") from exc
        if not isinstance(out, list) or len(out) != len(segments):
            raise TranslationError("chat endpoint returned the wrong number of translations")
        return [x if isinstance(x, str) else None for x in out]


class TranslationError(RuntimeError):
    """A provider failed as a whole (network, protocol)."""


def forbidden_terms(pack: LocalePack, lang: str) -> list[str]:
    """Surface forms, in `lang`, of every concept the pack forbids."""
    terms: list[str] = []
    for concept in concepts().values():
        if concept.category in ("food", "good") and pack.forbidden_rule(concept.tags):
            for form in concept.terms.get(lang, ()):
                terms.extend(form.split("|"))
    return terms


def check_translation(
    segment: Segment,
    translated: str,
    glossary: Mapping[str, str],
    forbidden: Sequence[str],
) -> list[str]:
    """Problems with a provider's translation of one segment (empty when acceptable)."""
    problems = []
    want = sorted(segment.tokens)
    got = sorted(f"ph{n}" for n in PLACEHOLDER.findall(translated))
    if want != got:
        problems.append(f"placeholders changed (expected {want}, got {got})")
    bare = PLACEHOLDER.sub("", translated)
    if DIGITS.search(bare):
        problems.append("numbers appear outside placeholders")
    lowered = bare.lower()
    for term in forbidden:
        if term and term.lower() in lowered:
            problems.append(f"forbidden term {term!r}")
    for src, tgt in glossary.items():
        if src in segment.source and tgt.lower() not in lowered:
            problems.append(f"glossary term {src!r} should be {tgt!r}")
    return problems


def translate_result(
    result: LocalizeResult,
    provider: Provider,
    pack: LocalePack,
    glossary: Mapping[tuple[str, str], Mapping[str, str]] | None = None,
) -> LocalizeResult:
    """Translate every pending item; failed checks keep the draft and flag the task."""
    items: list[dict[str, Any]] = []
    changes = [c for c in result.changes if c.kind != "translation"]
    pending = {c.item: c for c in result.changes if c.kind == "translation"}
    warnings = list(result.warnings)
    protected: dict[str, list[str]] = {}
    for c in result.changes:
        if c.kind in ("name", "price", "festival", "place"):
            protected.setdefault(c.item, []).append(c.to)
    target_lang = pack.language
    for item in result.items:
        meta = item.get("metadata", {}).get("localize", {})
        if meta.get("translation") != "pending":
            items.append(item)
            continue
        source_lang = str(item["language"]).split("-")[0]
        gl = (glossary or {}).get((source_lang, target_lang), {})
        segments = make_segments(item, protected.get(str(item["id"]), []))
        try:
            outs = provider.translate(segments, source_lang, target_lang)
        except TranslationError as exc:
            warnings.append(f"{item['id']}: translation failed: {exc}")
            items.append(item)
            if item["id"] in pending:
                changes.append(pending[item["id"]])
            continue
        forbidden = forbidden_terms(pack, target_lang)
        problems: list[str] = []
        for seg, out in zip(segments, outs, strict=True):
            if out is None:
                problems.append(f"{seg.location}: no translation")
                continue
            problems.extend(
                f"{seg.location}: {p}" for p in check_translation(seg, out, gl, forbidden)
            )
        if problems:
            warnings.append(f"{item['id']}: translation rejected: {'; '.join(problems[:3])}")
            items.append(item)
            if item["id"] in pending:
                changes.append(pending[item["id"]])
            continue
        fields = {loc: setter for loc, _, setter in _text_fields(item)}
        for seg, out in zip(segments, outs, strict=True):
            assert out is not None
            numbers = {
                k: format_number(to_fraction(v), pack.locale)
                for k, v in seg.plain_numbers().items()
            }
            for key, text in numbers.items():
                if text != seg.tokens[key]:
                    changes.append(
                        Change(
                            item=str(item["id"]),
                            kind="number-format",
                            location=seg.location,
                            from_=seg.tokens[key],
                            to=text,
                            reason=f"numbers are written the {pack.data['name']} way (CLDR "
                            f"{pack.locale}).",
                            confidence=0.95,
                        )
                    )
            fields[seg.location](seg.restore(out, numbers))
            changes.append(
                Change(
                    item=str(item["id"]),
                    kind="translation",
                    location=seg.location,
                    from_=seg.restore(seg.source),
                    to=seg.restore(out, numbers),
                    reason=f"translated by {provider.name}; placeholders, numbers, glossary and "
                    "forbidden terms checked by the engine.",
                    confidence=0.7 if provider.machine else 0.95,
                    needs_review=provider.machine,
                )
            )
        inter = item["interaction"]
        if inter.get("unit") and inter["unit"] == pack.currency_name(source_lang):
            inter["unit"] = pack.data["currency"]["names"]["local"]
        item["language"] = pack.locale
        meta["translation"] = "done"
        items.append(item)
    return LocalizeResult(items, changes, warnings)
