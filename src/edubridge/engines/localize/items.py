"""Reading the command's input: one JSON item, a JSON array or bank of items, or a QTI 3 item.

Validation uses the standards engine's item schema when that package is present (the agreed
contract); otherwise a minimal check of the keys this engine needs, so localization works on JSON
items alone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REQUIRED = ("id", "format", "language", "stem", "interaction", "correct_response")
INTERACTIONS = (
    "choice",
    "multiple_response",
    "text_entry",
    "numeric_entry",
    "extended_text",
    "order",
    "match",
)


class InputError(ValueError):
    """The source cannot be read or is not a valid item, bank or QTI item."""


def _minimal_problems(item: Any, where: str) -> list[str]:
    if not isinstance(item, dict):
        return [f"{where}: an item must be a JSON object"]
    problems = [f"{where}.{key}: missing" for key in REQUIRED if key not in item]
    if problems:
        return problems
    if item["format"] != "edubridge-item/1":
        problems.append(f"{where}.format: expected 'edubridge-item/1'")
    if not isinstance(item["stem"], str):
        problems.append(f"{where}.stem: must be a string")
    inter = item["interaction"]
    if not isinstance(inter, dict) or inter.get("type") not in INTERACTIONS:
        problems.append(f"{where}.interaction.type: must be one of {', '.join(INTERACTIONS)}")
    cr = item["correct_response"]
    if not isinstance(cr, dict) or not isinstance(cr.get("values"), list):
        problems.append(f"{where}.correct_response.values: must be a list")
    return problems


def item_problems(item: Any, where: str = "$") -> list[str]:
    """Problems with one item (standards schema when available, else the minimal check)."""
    try:
        from edubridge.engines.standards.items import item_problems as std_problems
    except ImportError:  # the standards engine is optional for this one
        return _minimal_problems(item, where)
    return [str(p) for p in std_problems(item, root=where)]


def items_from_json(data: Any) -> list[dict[str, Any]]:
    """Items of a single item, an array, or an edubridge-bank/1 object; InputError if invalid."""
    if isinstance(data, dict) and data.get("format") == "edubridge-bank/1":
        raw, root = data.get("items"), "$.items"
    elif isinstance(data, list):
        raw, root = data, "$"
    else:
        raw, root = [data], ""
    if not isinstance(raw, list) or not raw:
        raise InputError("no items found")
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        where = f"{root}[{i}]" if root else "$"
        problems = item_problems(item, where)
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise InputError(f"invalid item: {problems[0]}{more}")
        if item["id"] in seen:
            raise InputError(f"{where}.id: duplicate id {item['id']!r}")
        seen.add(item["id"])
        items.append(item)
    return items


def read_source(path: str) -> list[dict[str, Any]]:
    """Items from a JSON file or a QTI 3 XML item file."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    head = data.lstrip()[:1]
    if head == b"<":
        return [_read_qti(data, path)]
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not valid JSON ({exc})") from exc
    return items_from_json(parsed)


def _read_qti(data: bytes, path: str) -> dict[str, Any]:
    try:
        from edubridge.engines.standards.errors import StandardsError
        from edubridge.engines.standards.qti.reader import read_item_xml
    except ImportError as exc:
        raise InputError(f"{path}: QTI input needs the standards engine") from exc
    try:
        return read_item_xml(data, file=Path(path).name)
    except StandardsError as exc:
        raise InputError(str(exc)) from exc
