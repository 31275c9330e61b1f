"""Scoring of the three interaction types practice supports; malformed answers are refused."""

from __future__ import annotations

import pytest

from edubridge.adaptive.services import AdaptiveError, check_response, correct_text
from edubridge.catalogue.models import Item


def _item(interaction: dict[str, object], values: list[object]) -> Item:
    return Item(
        identifier="t",
        data={"stem": "?", "interaction": interaction, "correct_response": {"values": values}},
    )


def test_numeric_entry_accepts_equal_numbers_within_tolerance() -> None:
    item = _item({"type": "numeric_entry", "tolerance": 0.05, "unit": "m"}, [3.5])
    assert check_response(item, " 3.5 ")
    assert check_response(item, "3.54")
    assert not check_response(item, "3.6")
    assert check_response(_item({"type": "numeric_entry"}, [1200]), "1,200")
    assert correct_text(item) == "3.5 m"
    with pytest.raises(AdaptiveError, match="number"):
        check_response(item, "three")


def test_choice_needs_one_of_the_options() -> None:
    choices = [{"id": "a", "text": "Four"}, {"id": "b", "text": "Five"}]
    item = _item({"type": "choice", "choices": choices}, ["b"])
    assert check_response(item, "b")
    assert not check_response(item, "a")
    assert correct_text(item) == "Five"
    with pytest.raises(AdaptiveError, match="options"):
        check_response(item, "z")


def test_text_entry_respects_case_sensitivity_and_refuses_empty_answers() -> None:
    assert check_response(
        _item({"type": "text_entry", "case_sensitive": False}, ["Paris"]), "paris"
    )
    assert not check_response(_item({"type": "text_entry"}, ["Paris"]), "paris")
    with pytest.raises(AdaptiveError):
        check_response(_item({"type": "text_entry"}, ["Paris"]), "  ")
