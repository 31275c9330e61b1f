"""The issue's example, zh-CN grade 4 -> id-ID grade 4, change by change."""

from __future__ import annotations

from typing import Any

from edubridge.engines.localize import Options, localize_items


def _run(item: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    out = localize_items([item], Options(target="id-ID", grade=4)).to_dict()
    by_kind = {}
    for ch in out["changes"]:
        by_kind.setdefault(ch["kind"], ch)
    return out["items"][0], by_kind


def test_name_becomes_an_indonesian_name(pork_item: dict[str, Any]) -> None:
    item, ch = _run(pork_item)
    assert ch["name"]["from"] == "小明"
    assert ch["name"]["to"] in item["stem"]
    assert "小明" not in item["stem"]


def test_pork_becomes_a_halal_food_with_its_reason(pork_item: dict[str, Any]) -> None:
    item, ch = _run(pork_item)
    assert (ch["food"]["from"], ch["food"]["to"]) == ("猪肉", "鸡肉")
    assert "haram" in ch["food"]["reason"]
    assert "猪肉" not in item["stem"]
    assert ch["food"]["alternatives"]


def test_jin_becomes_kilograms_keeping_the_whole_number(pork_item: dict[str, Any]) -> None:
    item, ch = _run(pork_item)
    assert ch["unit"]["to"] == "3公斤"
    assert "1.5公斤" in ch["unit"]["alternatives"]
    assert "3公斤" in item["stem"]


def test_yuan_becomes_a_plausible_rupiah_price_in_indonesian_format(
    pork_item: dict[str, Any],
) -> None:
    item, ch = _run(pork_item)
    assert ch["price"]["from"] == "12元"
    assert ch["price"]["to"] == "Rp36.000"  # 12 x 3000, near the pack's Rp38.000 per kg
    assert "Rp36.000" in item["stem"]
    assert ch["currency"]["to"] == "印尼盾"
    assert item["interaction"]["unit"] == "印尼盾"


def test_answer_is_recomputed_by_code(pork_item: dict[str, Any]) -> None:
    item, ch = _run(pork_item)
    assert item["correct_response"]["values"] == [108000]
    assert (ch["answer"]["from"], ch["answer"]["to"]) == ("36", "108000")
    assert ch["answer"]["confidence"] == 1.0
    assert item["metadata"]["localize"]["relation"] in ("n0*n1", "n1*n0")


def test_skill_class_is_kept_and_no_difficulty_flag(pork_item: dict[str, Any]) -> None:
    _, ch = _run(pork_item)
    assert "difficulty" not in ch["answer"]
    assert not ch["answer"]["needs_review"]


def test_every_change_has_the_record_fields(pork_item: dict[str, Any]) -> None:
    out = localize_items([pork_item], Options(target="id-ID")).to_dict()
    for change in out["changes"]:
        assert {"item", "kind", "location", "from", "to", "reason", "confidence",
                "alternatives", "needs_review", "its_type"} <= set(change)  # fmt: skip
        assert change["reason"]


def test_its_issue_types_are_used(pork_item: dict[str, Any]) -> None:
    _, ch = _run(pork_item)
    assert ch["unit"]["its_type"] == "locale-convention"
    assert ch["food"]["its_type"] == "locale-specific-content"


def test_translation_is_left_as_a_marked_task(pork_item: dict[str, Any]) -> None:
    item, ch = _run(pork_item)
    assert ch["translation"]["needs_review"]
    assert "TRANSLATION TASK" in ch["translation"]["reason"]
    assert item["metadata"]["localize"]["translation"] == "pending"
    assert item["language"] == "zh-CN"


def test_same_locale_produces_no_change(pork_item: dict[str, Any]) -> None:
    out = localize_items([pork_item], Options(target="zh-CN")).to_dict()
    assert out["changes"] == []
    assert out["items"] == [pork_item]


def test_provenance_names_the_pack_version(pork_item: dict[str, Any]) -> None:
    item, _ = _run(pork_item)
    assert item["provenance"]["locale_pack"] == "id-ID@3"
    assert item["provenance"]["derived_from"]["item"] == "zh-0001"
