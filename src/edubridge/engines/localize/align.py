"""Re-alignment of curriculum alignments through a crosswalk (plain data passed in)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .model import Change

PREFERRED_ASSOCIATIONS = ("exactMatchOf", "isRelatedTo", "isPartOf", "precedes")


def realign(
    item_id: str,
    alignments: list[dict[str, Any]],
    crosswalk: Mapping[str, Sequence[Mapping[str, str]]],
    target_framework: str | None,
    suggest: Callable[[], list[str]] | None = None,
) -> tuple[list[dict[str, Any]], list[Change], list[str]]:
    """Move each alignment to the target framework.

    crosswalk maps a source CFItem identifier to associations
    [{"item": target CFItem id, "type": CASE association type, "framework": ..., "code": ...}].
    An exact match moves the alignment; weaker associations are offered as candidates and flagged;
    none leaves the alignment in place, flagged for a person, with `suggest()`'s candidate codes
    (statements of the target framework ranked by text similarity) as alternatives.
    """
    out: list[dict[str, Any]] = []
    changes: list[Change] = []
    warnings: list[str] = []
    for al in alignments:
        src = str(al.get("item", ""))
        assocs = [
            a
            for a in crosswalk.get(src, [])
            if target_framework is None or a.get("framework") in (None, target_framework)
        ]
        assocs.sort(
            key=lambda a: (
                PREFERRED_ASSOCIATIONS.index(a.get("type", "isRelatedTo"))
                if a.get("type") in PREFERRED_ASSOCIATIONS
                else len(PREFERRED_ASSOCIATIONS)
            )
        )
        if not assocs:
            candidates = tuple(suggest()) if suggest else ()
            out.append(dict(al))
            warnings.append(
                f"{item_id}: no crosswalk association for alignment {al.get('code') or src}; "
                "a person must choose the target standard"
            )
            changes.append(
                Change(
                    item=item_id,
                    kind="curriculum",
                    location="alignments",
                    from_=str(al.get("code") or src),
                    to="",
                    reason="no crosswalk association to the target framework; alignment kept "
                    "for a person to re-align"
                    + ("; candidates ranked by text similarity." if candidates else "."),
                    confidence=0.0,
                    alternatives=candidates,
                    needs_review=True,
                )
            )
            continue
        best = assocs[0]
        new = {
            "framework": best.get("framework") or target_framework or al.get("framework"),
            "item": best["item"],
            "code": best.get("code", best["item"]),
        }
        if best.get("label"):
            new["label"] = best["label"]
        out.append(new)
        exact = best.get("type") == "exactMatchOf"
        changes.append(
            Change(
                item=item_id,
                kind="curriculum",
                location="alignments",
                from_=str(al.get("code") or src),
                to=str(new["code"]),
                reason=f"crosswalk association {best.get('type', 'isRelatedTo')} from "
                f"{al.get('code') or src} to {new['code']}.",
                confidence=0.9 if exact else 0.5,
                alternatives=tuple(str(a.get("code", a["item"])) for a in assocs[1:4]),
                needs_review=not exact,
            )
        )
    return out, changes, warnings
