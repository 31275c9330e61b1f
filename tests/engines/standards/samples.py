"""Hand-written sample items, one per interaction type (written by the project)."""

from __future__ import annotations

import copy
from typing import Any

PORK = {
    "id": "zh-math-g4-0001",
    "format": "edubridge-item/1",
    "language": "zh-CN",
    "title": "买猪肉",
    "stem": "小明买了3斤猪肉，每斤12元。他一共花了多少元？",
    "interaction": {"type": "numeric_entry", "unit": "元", "tolerance": 0},
    "correct_response": {"values": [36]},
    "template": {
        "variables": {
            "a": {"type": "integer", "value": 3, "min": 2, "max": 9},
            "b": {"type": "integer", "value": 12, "min": 5, "max": 20},
        },
        "answer": "a*b",
    },
    "feedback": {"correct": "对！3×12=36。", "incorrect": "想一想：3斤，每斤12元。"},
    "hints": ["一共买了几斤？", "用乘法：斤数 × 每斤的价钱。"],
    "grade": 4,
    "subject": "mathematics",
    "licence": "CC-BY-4.0",
    "author_organization": "EduBridge demo",
    "alignments": [
        {"framework": "cn-math-2022", "item": "cn-4-nbt-mul", "code": "4.1.2", "label": "乘法"}
    ],
}

CHOICE = {
    "id": "en-g3-choice-1",
    "format": "edubridge-item/1",
    "language": "en-US",
    "stem": "Which number is even?",
    "interaction": {
        "type": "choice",
        "shuffle": True,
        "prompt": "Pick one.",
        "choices": [{"id": "A", "text": "7"}, {"id": "B", "text": "12"}, {"id": "C", "text": "9"}],
    },
    "correct_response": {"values": ["B"]},
}

MULTI = {
    "id": "en-g3-multi-1",
    "format": "edubridge-item/1",
    "language": "en-US",
    "stem": "Which shapes have four sides?",
    "interaction": {
        "type": "multiple_response",
        "max_choices": 0,
        "choices": [
            {"id": "sq", "text": "square"},
            {"id": "tr", "text": "triangle"},
            {"id": "re", "text": "rectangle"},
        ],
    },
    "correct_response": {"values": ["sq", "re"]},
    "scoring": {"method": "map_response", "max_score": 2, "mapping": {"sq": 1, "re": 1, "tr": -1}},
}

TEXT = {
    "id": "id-g4-text-1",
    "format": "edubridge-item/1",
    "language": "id-ID",
    "stem": "Hari sesudah Senin adalah hari apa?",
    "interaction": {"type": "text_entry", "case_sensitive": False, "expected_length": 8},
    "correct_response": {"values": ["Selasa", "hari Selasa"]},
}

ESSAY = {
    "id": "en-g5-essay-1",
    "format": "edubridge-item/1",
    "language": "en-US",
    "stem": "Explain how you would share 3 pizzas among 4 friends.",
    "interaction": {"type": "extended_text", "expected_lines": 5, "prompt": "Use a drawing."},
    "correct_response": {"values": []},
    "scoring": {"method": "human", "max_score": 4},
}

ORDER = {
    "id": "en-g3-order-1",
    "format": "edubridge-item/1",
    "language": "en-US",
    "stem": "Put the numbers in order from smallest to largest.",
    "interaction": {
        "type": "order",
        "choices": [
            {"id": "n1", "text": "305"},
            {"id": "n2", "text": "350"},
            {"id": "n3", "text": "53"},
        ],
    },
    "correct_response": {"values": ["n3", "n1", "n2"]},
}

MATCH = {
    "id": "ar-g4-match-1",
    "format": "edubridge-item/1",
    "language": "ar-EG",
    "stem": "صِل كل عملية بناتجها.",
    "interaction": {
        "type": "match",
        "max_associations": 2,
        "source": [{"id": "p", "text": "3 × 4"}, {"id": "q", "text": "10 + 5"}],
        "target": [{"id": "x", "text": "12"}, {"id": "y", "text": "15"}],
    },
    "correct_response": {"values": ["p x", "q y"]},
}

ALL = {
    "numeric_entry": PORK,
    "choice": CHOICE,
    "multiple_response": MULTI,
    "text_entry": TEXT,
    "extended_text": ESSAY,
    "order": ORDER,
    "match": MATCH,
}


def sample(kind: str) -> dict[str, Any]:
    """A fresh deep copy of the sample item of an interaction type."""
    return copy.deepcopy(ALL[kind])
