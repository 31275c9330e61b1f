"""Plain data the engine returns: change records, localized items, results.

Every change says what, where and why, so a reviewer can accept, edit or reject it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CHANGE_KINDS = (
    "name",
    "food",
    "good",
    "unit",
    "currency",
    "price",
    "number-format",
    "date",
    "calendar",
    "festival",
    "place",
    "curriculum",
    "answer",
    "translation",
)

# W3C ITS 2.0 localization-quality issue types that fit each change kind.
ITS_ISSUE_TYPE: dict[str, str] = {
    "name": "locale-specific-content",
    "food": "locale-specific-content",
    "good": "locale-specific-content",
    "festival": "locale-specific-content",
    "place": "locale-specific-content",
    "unit": "locale-convention",
    "currency": "locale-convention",
    "price": "locale-specific-content",
    "number-format": "locale-convention",
    "date": "locale-convention",
    "calendar": "locale-convention",
    "curriculum": "locale-specific-content",
    "answer": "mistranslation",
    "translation": "untranslated",
}


@dataclass(frozen=True)
class Change:
    """One proposed edit to one item, with its reason and the choices a reviewer has."""

    item: str
    kind: str
    location: str
    from_: str
    to: str
    reason: str
    confidence: float
    alternatives: tuple[str, ...] = ()
    needs_review: bool = False
    its_type: str | None = None
    difficulty: str | None = None  # "easier" | "harder" | None

    def to_dict(self) -> dict[str, Any]:
        """JSON shape used by the command and the review pages."""
        out: dict[str, Any] = {
            "item": self.item,
            "kind": self.kind,
            "location": self.location,
            "from": self.from_,
            "to": self.to,
            "reason": self.reason,
            "confidence": round(self.confidence, 3),
            "alternatives": list(self.alternatives),
            "needs_review": self.needs_review,
            "its_type": self.its_type if self.its_type else ITS_ISSUE_TYPE.get(self.kind),
        }
        if self.difficulty:
            out["difficulty"] = self.difficulty
        return out


@dataclass
class ItemResult:
    """A localized item with its changes and warnings."""

    item: dict[str, Any]
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class LocalizeResult:
    """The localized resource: items, all changes and warnings, in input order."""

    items: list[dict[str, Any]]
    changes: list[Change]
    warnings: list[str]

    def to_dict(self) -> dict[str, Any]:
        """The command's output object."""
        return {
            "items": self.items,
            "changes": [c.to_dict() for c in self.changes],
            "warnings": list(self.warnings),
        }
