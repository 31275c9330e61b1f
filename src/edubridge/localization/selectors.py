"""Reads of the localization app: jobs, items with their changes, highlighted texts, packs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from edubridge.catalogue.models import Bank, BankStatus
from edubridge.engines.localize import available_locales, load_pack
from edubridge.localization.models import Decision, DraftItem, LocalizationJob
from edubridge.localization.services import _flexible


def jobs() -> QuerySet[LocalizationJob]:
    return LocalizationJob.objects.select_related("bank", "created_by", "derivative")


def sources() -> QuerySet[Bank]:
    """Resources a localizer may start from: published banks."""
    return Bank.objects.filter(status=BankStatus.PUBLISHED).order_by("title")


def job_items(job: LocalizationJob) -> QuerySet[DraftItem]:
    return job.items.annotate(
        pending=Count("changes", filter=Q(changes__decision=Decision.PENDING)),
        change_count=Count("changes"),
    ).order_by("position")


def review_counts(job: LocalizationJob) -> dict[str, int]:
    counts = {d.value: 0 for d in Decision}
    for row in job.items.values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def highlight(text: str, needles: list[str]) -> SafeString:
    """The text escaped, with every needle wrapped in <mark>."""
    needles = sorted({n for n in needles if n and n.strip()}, key=len, reverse=True)
    if not needles:
        return mark_safe(escape(text))  # noqa: S308 - escaped above
    pattern = re.compile("|".join(_flexible(n).pattern for n in needles))
    out: list[str] = []
    last = 0
    for m in pattern.finditer(text):
        out.append(escape(text[last : m.start()]))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        last = m.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped


@dataclass(frozen=True)
class Field:
    label: str
    source: SafeString
    draft: SafeString


def side_by_side(item: DraftItem) -> list[Field]:
    """Text fields of the source and the reviewed draft, changed spans highlighted."""
    changes = list(item.changes.all())
    froms = [c.from_value for c in changes if c.kind not in ("translation", "curriculum")]
    tos = [
        c.edited_value
        if c.decision == Decision.EDITED
        else (c.from_value if c.decision == Decision.REJECTED else c.to_value)
        for c in changes
        if c.kind not in ("translation", "curriculum")
    ]
    src, rev = item.source, item.reviewed
    out = [Field("stem", highlight(str(src["stem"]), froms), highlight(str(rev["stem"]), tos))]
    si, ri = src.get("interaction", {}), rev.get("interaction", {})
    if si.get("prompt"):
        out.append(
            Field(
                "interaction.prompt",
                highlight(str(si["prompt"]), froms),
                highlight(str(ri.get("prompt", "")), tos),
            )
        )
    for s, r in zip(si.get("choices", []) or [], ri.get("choices", []) or [], strict=False):
        out.append(
            Field(
                f"choice {s.get('id', '')}",
                highlight(str(s.get("text", "")), froms),
                highlight(str(r.get("text", "")), tos),
            )
        )
    if si.get("unit") or ri.get("unit"):
        out.append(
            Field(
                "unit",
                highlight(str(si.get("unit", "")), froms),
                highlight(str(ri.get("unit", "")), tos),
            )
        )
    out.append(Field("answer", highlight(_answer(src), []), highlight(_answer(rev), [])))
    return out


def _answer(data: dict[str, Any]) -> str:
    return ", ".join(str(v) for v in data.get("correct_response", {}).get("values", []))


def packs() -> list[dict[str, Any]]:
    out = []
    for locale in available_locales():
        pack = load_pack(locale)
        out.append(
            {
                "locale": locale,
                "version": pack.version,
                "name": pack.data.get("name", locale),
                "language": pack.language,
                "direction": pack.direction,
                "currency": pack.currency,
                "derivatives": derivatives_of(pack.ref).count(),
            }
        )
    return out


def derivatives_of(pack_ref: str) -> QuerySet[LocalizationJob]:
    """Published derivatives drafted with a pack version: what a pack change would affect."""
    locale = pack_ref.split("@")[0]
    return jobs().filter(target_locale=locale, derivative__isnull=False).order_by("-published_at")
