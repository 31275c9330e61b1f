"""LRMI (schema.org) JSON-LD metadata for an item or a bank, for harvesters and search engines."""

from __future__ import annotations

from typing import Any

SCHEMA_ORG = "https://schema.org/"


def _licence_url(spdx: str) -> str:
    return f"https://spdx.org/licenses/{spdx}.html"


def _alignment(alignment: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "@type": "AlignmentObject",
        "alignmentType": "teaches",
        "educationalFramework": alignment["framework"],
        "targetUrl": alignment["item"],
    }
    if alignment.get("code"):
        out["targetName"] = alignment["code"]
    if alignment.get("label"):
        out["targetDescription"] = alignment["label"]
    return out


def item_lrmi(item: dict[str, Any], *, base_url: str) -> dict[str, Any]:
    """JSON-LD for one item; ``base_url`` is where the node serves items (``.../items/``)."""
    doc: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": ["LearningResource", "Quiz"],
        "@id": f"{base_url.rstrip('/')}/{item['id']}",
        "identifier": item["id"],
        "name": item.get("title") or item["stem"][:80],
        "description": item["stem"],
        "inLanguage": item["language"],
        "learningResourceType": "assessment item",
        "educationalUse": "assessment",
        "interactivityType": "active",
        "isAccessibleForFree": True,
    }
    if item.get("subject"):
        doc["about"] = {"@type": "Thing", "name": item["subject"]}
    if "grade" in item:
        doc["educationalLevel"] = f"Grade {item['grade']}"
    elif "grade_band" in item:
        band = item["grade_band"]
        doc["educationalLevel"] = [f"Grade {g}" for g in range(band["min"], band["max"] + 1)]
    if item.get("licence"):
        doc["license"] = _licence_url(item["licence"])
    if item.get("author_organization"):
        doc["author"] = {"@type": "Organization", "name": item["author_organization"]}
    if item.get("alignments"):
        doc["educationalAlignment"] = [_alignment(a) for a in item["alignments"]]
    provenance = item.get("provenance") or {}
    derived = provenance.get("derived_from")
    if derived:
        doc["isBasedOn"] = {
            "@id": f"{base_url.rstrip('/')}/{derived['item']}",
            "identifier": derived["item"],
        }
        if "version" in derived:
            doc["isBasedOn"]["version"] = str(derived["version"])
    if provenance.get("at"):
        doc["dateCreated"] = provenance["at"]
    return doc


def bank_lrmi(
    *,
    identifier: str,
    title: str,
    language: str,
    items: list[dict[str, Any]],
    base_url: str,
    licence: str | None = None,
    publisher: str | None = None,
) -> dict[str, Any]:
    """JSON-LD for a bank: a LearningResource whose parts are its items (each in full)."""
    doc: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": ["LearningResource", "Collection"],
        "@id": f"{base_url.rstrip('/')}/banks/{identifier}",
        "identifier": identifier,
        "name": title,
        "inLanguage": language,
        "learningResourceType": "item bank",
        "educationalUse": "assessment",
        "collectionSize": len(items),
        "hasPart": [
            {k: v for k, v in item_lrmi(i, base_url=base_url).items() if k != "@context"}
            for i in items
        ],
    }
    levels = sorted({i["grade"] for i in items if "grade" in i})
    if levels:
        doc["educationalLevel"] = [f"Grade {g}" for g in levels]
    subjects = sorted({i["subject"] for i in items if i.get("subject")})
    if subjects:
        doc["about"] = [{"@type": "Thing", "name": s} for s in subjects]
    if licence:
        doc["license"] = _licence_url(licence)
    if publisher:
        doc["publisher"] = {"@type": "Organization", "name": publisher}
    return doc
