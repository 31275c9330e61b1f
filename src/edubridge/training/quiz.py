"""Scoring catalogue items (edubridge-item/1) as a quiz: plain data in, points and reasons out.

Responses come from one HTML form as lists of strings (a radio button gives one value, check
boxes several, an order or match question one value per position or source). A missing or
malformed answer is not scored as wrong: it raises ResponseError so the page can say which
question needs attention and keep every other answer.

Scoring follows the item's `scoring` (defaults from engines.standards.items.scoring_of):
`match_correct` gives max_score for a fully correct response and 0 otherwise; `map_response`
adds the mapped points of the chosen values, bounded by 0 and max_score. Extended-text items
are scored by a person and cannot be part of a quiz.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from edubridge.engines.standards.items import scoring_of

QUIZ_KINDS = frozenset(
    {"choice", "multiple_response", "text_entry", "numeric_entry", "order", "match"}
)
MAX_RESPONSE = 500


class ResponseError(ValueError):
    """The response to one question is missing or malformed; the message says what to fix."""


@dataclass(frozen=True)
class ItemScore:
    points: float
    max_points: float
    correct: bool


def not_quizzable(item: Mapping[str, Any]) -> str | None:
    """Why an item cannot be auto-scored in a quiz, or None when it can."""
    kind = item.get("interaction", {}).get("type")
    if kind not in QUIZ_KINDS:
        return _("%(kind)s items are scored by a person; assess them with the rubric instead.") % {
            "kind": kind
        }
    if scoring_of(item).get("method") == "human":
        return _("this item is scored by a person; assess it with the rubric instead.")
    return None


def _ids(interaction: Mapping[str, Any], key: str) -> list[str]:
    return [str(c["id"]) for c in interaction.get(key, [])]


def _number(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", "").replace(" ", "").replace("\u00a0", ""))
    except InvalidOperation:
        raise ResponseError(_("enter a number, for example 24 or 3.5")) from None


def normalized_response(item: Mapping[str, Any], given: Sequence[str]) -> list[str]:
    """The response as the list of values scoring compares; ResponseError when unusable."""
    interaction = item["interaction"]
    kind = interaction["type"]
    values = [v.strip() for v in given]
    if any(len(v) > MAX_RESPONSE for v in values):
        raise ResponseError(_("that answer is too long"))
    if kind in ("choice", "text_entry", "numeric_entry"):
        values = [v for v in values if v][:1]
        if not values:
            raise ResponseError(_("give an answer"))
        if kind == "choice" and values[0] not in _ids(interaction, "choices"):
            raise ResponseError(_("choose one of the options"))
        if kind == "numeric_entry":
            _number(values[0])
        return values
    if kind == "multiple_response":
        chosen = [v for v in values if v]
        if not chosen:
            raise ResponseError(_("choose at least one option"))
        if not set(chosen) <= set(_ids(interaction, "choices")):
            raise ResponseError(_("choose among the options shown"))
        return sorted(set(chosen))
    if kind == "order":
        ids = _ids(interaction, "choices")
        if len(values) != len(ids) or sorted(values) != sorted(ids):
            raise ResponseError(_("put every option in exactly one position"))
        return values
    if kind == "match":
        sources, targets = _ids(interaction, "source"), set(_ids(interaction, "target"))
        if len(values) != len(sources) or not all(values):
            raise ResponseError(_("match every item on the left"))
        if not set(values) <= targets:
            raise ResponseError(_("choose among the options shown"))
        return sorted(f"{s} {t}" for s, t in zip(sources, values, strict=True))
    raise ResponseError(_("this kind of question cannot be answered here"))


def _correct(item: Mapping[str, Any], response: list[str]) -> bool:
    interaction = item["interaction"]
    kind = interaction["type"]
    expected = [str(v) for v in item.get("correct_response", {}).get("values", [])]
    if kind == "numeric_entry":
        tolerance = Decimal(str(interaction.get("tolerance") or 0))
        given = _number(response[0])
        return any(abs(given - Decimal(v)) <= tolerance for v in expected)
    if kind == "text_entry":
        if interaction.get("case_sensitive", True):
            return response[0] in expected
        return response[0].casefold() in {v.casefold() for v in expected}
    if kind == "order":
        return response == expected
    return sorted(set(response)) == sorted(set(expected)) and len(response) == len(expected)


def score_item(item: Mapping[str, Any], given: Sequence[str]) -> ItemScore:
    """Points for one response (ResponseError when the response must be fixed first)."""
    response = normalized_response(item, given)
    scoring = scoring_of(item)
    top = float(scoring.get("max_score", 1))
    correct = _correct(item, response)
    if scoring.get("method") == "map_response":
        mapping = {str(k): float(v) for k, v in (scoring.get("mapping") or {}).items()}
        keys = response if item["interaction"]["type"] != "numeric_entry" else response[:1]
        points = min(top, max(0.0, sum(mapping.get(k, 0.0) for k in keys)))
        return ItemScore(points, top, correct or points >= top)
    return ItemScore(top if correct else 0.0, top, correct)


def correct_text(item: Mapping[str, Any]) -> str:
    """The expected answer as people read it (choice texts, not ids)."""
    interaction = item["interaction"]
    values = [str(v) for v in item.get("correct_response", {}).get("values", [])]
    labels = {
        str(c["id"]): str(c["text"])
        for key in ("choices", "source", "target")
        for c in interaction.get(key, [])
    }
    if interaction["type"] == "match":
        return "; ".join(
            " → ".join(labels.get(part, part) for part in pair.split(" ")) for pair in values
        )
    unit = interaction.get("unit") or ""
    shown = ", ".join(labels.get(v, v) for v in values)
    return f"{shown} {unit}".strip()
