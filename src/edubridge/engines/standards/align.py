"""Alignment suggestions: rank a framework's statements for an item by a lexical BM25 score.

Plain data in (statements, item text), plain data out: each suggestion carries its score, the
words that matched (as written in the item) and a one-line reason. Deterministic and fast: an
index of a few thousand statements builds in milliseconds and a query touches only the
statements that share a term with the item.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from edubridge.engines.standards.case.model import CFPackage
from edubridge.engines.standards.text import base_language, terms

# Words for the operation an answer expression uses, so "a*b" meets "multiplication".
OPERATION_WORDS: dict[str, dict[str, str]] = {
    "*": {
        "zh": "乘法 乘",
        "en": "multiply multiplication product",
        "id": "perkalian kali",
        "ar": "ضرب",
    },
    "/": {"zh": "除法 除", "en": "divide division quotient", "id": "pembagian bagi", "ar": "قسمة"},
    "//": {
        "zh": "除法 除 余数",
        "en": "divide division remainder",
        "id": "pembagian sisa",
        "ar": "قسمة",
    },
    "%": {"zh": "余数 除法", "en": "remainder division", "id": "sisa pembagian", "ar": "باقي"},
    "+": {"zh": "加法 加", "en": "add addition sum", "id": "penjumlahan tambah", "ar": "جمع"},
    "-": {
        "zh": "减法 减",
        "en": "subtract subtraction difference",
        "id": "pengurangan kurang",
        "ar": "طرح",
    },
}


@dataclass(frozen=True)
class Statement:
    """A framework statement to align to."""

    identifier: str
    code: str | None
    text: str
    language: str | None = None


@dataclass(frozen=True)
class Suggestion:
    """One ranked statement: score (BM25, higher is better), matched words and why."""

    identifier: str
    code: str | None
    score: float
    matched: tuple[str, ...]
    reason: str


def statements_from_case(package: CFPackage) -> list[Statement]:
    """Statements of a CASE package (statement, abbreviation, keywords and code as text)."""
    out = []
    for item in package.items:
        parts = [
            item.full_statement,
            item.abbreviated_statement or "",
            " ".join(item.concept_keywords),
        ]
        out.append(
            Statement(
                item.identifier,
                item.code,
                " ".join(p for p in parts if p),
                item.language or package.document.language,
            )
        )
    return out


def item_text(item: dict[str, Any]) -> str:
    """The words of an item worth matching: stem, prompt, choices, and the answer's operations."""
    parts = [item.get("title", ""), item["stem"], item["interaction"].get("prompt", "")]
    for key in ("choices", "source", "target"):
        parts.extend(c["text"] for c in item["interaction"].get(key, []))
    template = item.get("template")
    if template:
        lang = base_language(item.get("language"))
        answer = template["answer"]
        for op in ("//", "*", "/", "%", "+", "-"):
            if op in answer:
                parts.append(OPERATION_WORDS[op].get(lang, OPERATION_WORDS[op]["en"]))
                answer = answer.replace(op, " ")
    return "\n".join(p for p in parts if p)


class AlignmentIndex:
    """A BM25 index over a framework's statements."""

    def __init__(
        self, statements: Iterable[Statement], *, k1: float = 1.2, b: float = 0.75
    ) -> None:
        self.statements = list(statements)
        self.k1, self.b = k1, b
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.lengths: list[int] = []
        for index, statement in enumerate(self.statements):
            counts = Counter(t.key for t in terms(statement.text, statement.language))
            counts.update(t.key for t in terms(statement.code or "", "en"))
            self.lengths.append(sum(counts.values()))
            for key, count in counts.items():
                self.postings[key].append((index, count))
        self.average = (sum(self.lengths) / len(self.lengths)) if self.lengths else 1.0
        n = len(self.statements)
        self.idf = {
            key: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5))
            for key, p in self.postings.items()
        }

    def suggest(self, text: str, language: str | None = None, *, top: int = 5) -> list[Suggestion]:
        """The ``top`` statements for ``text``, best first (ties broken by code, then id)."""
        query = terms(text, language)
        surfaces: dict[str, str] = {}
        for term in query:
            surfaces.setdefault(term.key, term.surface)
        scores: dict[int, float] = defaultdict(float)
        contributions: dict[int, dict[str, float]] = defaultdict(dict)
        for key in surfaces:
            for index, count in self.postings.get(key, []):
                norm = self.k1 * (1 - self.b + self.b * self.lengths[index] / (self.average or 1.0))
                gain = self.idf[key] * count * (self.k1 + 1) / (count + norm)
                scores[index] += gain
                contributions[index][key] = gain
        ranked = sorted(
            scores,
            key=lambda i: (
                -scores[i],
                self.statements[i].code or "",
                self.statements[i].identifier,
            ),
        )[:top]
        out = []
        for index in ranked:
            statement = self.statements[index]
            matched = tuple(
                surfaces[k] for k, _ in sorted(contributions[index].items(), key=lambda kv: -kv[1])
            )
            shown = (
                "、".join(matched[:5])
                if base_language(language) == "zh"
                else ", ".join(matched[:5])
            )
            out.append(
                Suggestion(
                    statement.identifier,
                    statement.code,
                    round(scores[index], 4),
                    matched,
                    f"{len(matched)} shared term(s), strongest: {shown}",
                )
            )
        return out


def suggest_alignments(
    item: dict[str, Any], statements: Iterable[Statement], *, top: int = 3
) -> list[Suggestion]:
    """Convenience: build an index and rank ``statements`` for a JSON item."""
    return AlignmentIndex(statements).suggest(item_text(item), item.get("language"), top=top)
