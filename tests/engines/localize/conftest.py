"""Shared helpers for the localization engine tests (no database needed)."""

from __future__ import annotations

from typing import Any

import pytest


def make_item(stem: str, answer: Any, *, language: str = "zh-CN", unit: str | None = None,
              item_id: str = "i1", **extra: Any) -> dict[str, Any]:  # fmt: skip
    item: dict[str, Any] = {
        "id": item_id,
        "format": "edubridge-item/1",
        "language": language,
        "stem": stem,
        "interaction": {"type": "numeric_entry", "tolerance": 0, "unit": unit},
        "correct_response": {"values": [answer]},
        "grade": 4,
    }
    item.update(extra)
    return item


@pytest.fixture
def pork_item() -> dict[str, Any]:
    """The issue's example: 3 jin of pork at 12 yuan per jin, answer 36."""
    return make_item(
        "小明买了3斤猪肉，每斤12元。他一共花了多少元？", 36, unit="元", item_id="zh-0001"
    )
