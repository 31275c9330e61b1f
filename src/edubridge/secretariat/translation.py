"""Machine translation of bulletins through the localization engine's translation provider.

The provider is the node's one translation endpoint,
``edubridge.localization.services.translation_provider`` (settings EDUBRIDGE_TRANSLATION_URL,
_MODEL, _API_KEY, _TIMEOUT; no URL means no machine translation).

The engine's checks apply: numbers are replaced by placeholders before the provider sees the
text and must all come back unchanged, and no new digits may appear; a draft that fails them is
refused with the reason, so a machine cannot silently change a date or an amount.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from edubridge.engines.localize.translate import (
    NUMBER_TOKEN,
    PLACEHOLDER,
    ChatProvider,
    Segment,
    TranslationError,
    check_translation,
)

PARAGRAPH = re.compile(r"\n\s*\n")


def provider_label(provider: ChatProvider) -> str:
    return f"{provider.name} ({provider.model})"


def _segment(number: int, text: str) -> Segment:
    tokens: dict[str, str] = {}

    def mask(match: re.Match[str]) -> str:
        key = f"ph{len(tokens) + 1}"
        tokens[key] = match.group(0)
        return "{" + key + "}"

    if PLACEHOLDER.search(text):
        raise TranslationError(_("the text contains {phN} markers, which translation reserves"))
    return Segment(
        f"bulletin/{number}", "bulletin", f"part {number}", NUMBER_TOKEN.sub(mask, text), tokens
    )


@dataclass(frozen=True)
class Translated:
    title: str
    body: str


def translate_bulletin(
    provider: ChatProvider, *, title: str, body: str, source: str, target: str
) -> Translated:
    """Title and each paragraph translated as segments; TranslationError names what failed."""
    parts = [title, *[p.strip() for p in PARAGRAPH.split(body) if p.strip()]]
    segments = [_segment(n, text) for n, text in enumerate(parts)]
    outs = provider.translate(segments, source.split("-")[0], target.split("-")[0])
    results: list[str] = []
    for segment, out in zip(segments, outs, strict=True):
        if out is None or not out.strip():
            raise TranslationError(_("%(where)s came back empty") % {"where": segment.location})
        problems = check_translation(segment, out, {}, [])
        if problems:
            raise TranslationError(
                _("%(where)s: %(problems)s")
                % {"where": segment.location, "problems": "; ".join(problems)}
            )
        results.append(segment.restore(out.strip()))
    return Translated(title=results[0][:200], body="\n\n".join(results[1:]))
