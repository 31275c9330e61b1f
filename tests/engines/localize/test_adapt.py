"""Adaptation rules beyond the issue's example."""

from __future__ import annotations

from typing import Any

import pytest

from edubridge.engines.localize import Options, localize_items

from .conftest import make_item


def _changes(out: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [c for c in out["changes"] if c["kind"] == kind]


def test_names_stay_consistent_across_a_resource() -> None:
    items = [
        make_item("小明有5个苹果，又买了7个苹果，现在有多少个？", 12, item_id="a"),
        make_item("小红有3本书，小明有4本书，一共几本？", 7, item_id="b"),
    ]
    out = localize_items(items, Options(target="ar-EG")).to_dict()
    targets = {c["to"] for c in _changes(out, "name") if c["from"] == "小明"}
    assert len(targets) == 1
    name = targets.pop()
    assert name in out["items"][0]["stem"]
    assert name in out["items"][1]["stem"]
    others = {c["to"] for c in _changes(out, "name") if c["from"] == "小红"}
    assert name not in others  # two people keep two names


def test_names_depend_on_the_seed_only() -> None:
    item = make_item("小明有5个苹果，又买了7个苹果，现在有多少个？", 12)
    a = localize_items([item], Options(target="id-ID", seed=1)).to_dict()
    b = localize_items([item], Options(target="id-ID", seed=1)).to_dict()
    assert a == b


def test_beef_is_replaced_in_india_and_kept_in_indonesia() -> None:
    item = make_item("妈妈买了2斤牛肉，每斤35元，付了100元，应找回多少元？", 30, unit="元")
    india = localize_items([item], Options(target="hi-IN")).to_dict()
    indonesia = localize_items([item], Options(target="id-ID")).to_dict()
    assert _changes(india, "food")[0]["from"] == "牛肉"
    assert "Hindu" in _changes(india, "food")[0]["reason"]
    assert not _changes(indonesia, "food")


def test_two_forbidden_foods_get_two_different_substitutes() -> None:
    item = make_item("猪肉每斤14元，牛肉每斤38元，每斤牛肉比猪肉贵多少元？", 24, unit="元")
    out = localize_items([item], Options(target="hi-IN")).to_dict()
    assert len({c["to"] for c in _changes(out, "food")}) == 2


def test_alcohol_is_replaced_by_juice() -> None:
    item = make_item("Dad bought 6 cans of beer for $2 each. How many dollars did he spend?", 12,
                     language="en-US")  # fmt: skip
    out = localize_items([item], Options(target="es-MX")).to_dict()
    assert _changes(out, "food")[0]["to"] == "juice"


def test_festival_moves_to_the_local_festival_of_the_same_role() -> None:
    item = make_item("春节期间，小明家包了48个饺子，平均分给6个人，每人分到几个？", 8)
    out = localize_items([item], Options(target="fa-IR")).to_dict()
    fest = _changes(out, "festival")[0]
    assert fest["to"] == "诺鲁孜节"
    assert fest["needs_review"]


def test_a_large_unit_gap_converts_and_flags_the_number() -> None:
    item = make_item("Grace drinks 8 ounces of milk each day. How many ounces does she drink in "
                     "7 days?", 56, language="en-US")  # fmt: skip
    out = localize_items([item], Options(target="id-ID")).to_dict()
    unit = next(c for c in _changes(out, "unit") if c["from"].startswith("8"))
    assert unit["to"] == "200 grams"
    assert unit["needs_review"]
    assert out["items"][0]["correct_response"]["values"] == [1400]


def test_unknown_relation_keeps_amounts_converts_the_currency_and_flags_the_item() -> None:
    item = make_item(
        "小丽用10元买了3支笔，每支2元，还剩多少元？", 4, unit="元"
    )  # 10-3*2 or (10+2)/3?
    item["stem"] = "小丽有10元，3支笔加2元，问多少元？"
    out = localize_items([item], Options(target="id-ID")).to_dict()
    stem = out["items"][0]["stem"]
    assert out["items"][0]["correct_response"]["values"] == [4]
    assert "Rp10" in stem
    assert "Rp2" in stem
    assert "元" not in stem
    assert any("cannot tell" in w for w in out["warnings"])
    assert any(c["kind"] == "answer" and c["needs_review"] for c in out["changes"])
    kept = [c for c in out["changes"] if c["kind"] == "currency" and c["from"] == "10元"]
    assert kept
    assert kept[0]["needs_review"]
    assert kept[0]["alternatives"]
    assert "kept as written" in kept[0]["reason"]


def test_cents_become_the_target_minor_unit_where_pupils_count_in_one() -> None:
    item = make_item("Harry buys 4 apples at 30 cents each. How many cents does he spend?", 120)
    item["language"] = "en-US"
    gb = localize_items([item], Options(target="en-GB")).to_dict()
    stem = gb["items"][0]["stem"]
    assert "cents" not in stem
    assert stem.count("pence") == 2
    price = int(stem.split(" at ")[1].split(" pence")[0])
    assert gb["items"][0]["correct_response"]["values"] == [4 * price]
    # Indonesia uses no sen: the amounts are written in whole rupiah and the answer follows
    idr = localize_items([item], Options(target="id-ID")).to_dict()
    stem = idr["items"][0]["stem"]
    assert "cent" not in stem
    assert "sen" not in stem
    assert "rupiah" in stem
    amount = int(stem.split("Rp")[1].split(" ")[0].replace(".", ""))
    assert amount % 500 == 0
    assert idr["items"][0]["correct_response"]["values"] == [4 * amount]


def test_minor_units_the_target_does_not_use_are_flagged_when_the_question_counts_in_them() -> None:
    item = make_item("Ella bought a dozen eggs for $3. How much did each egg cost in cents?", 25)
    item["language"] = "en-US"
    out = localize_items([item], Options(target="id-ID")).to_dict()
    stem = out["items"][0]["stem"]
    assert "$" not in stem
    assert "cents" not in stem
    word = [c for c in out["changes"] if c["kind"] == "currency" and c["from"] == "cents"]
    assert word
    assert word[0]["to"] == "rupiah"
    assert word[0]["needs_review"]


def test_a_festival_name_that_repeats_the_source_name_is_told_apart() -> None:
    item = make_item("Tom ate 3 apples and 2 bananas on Independence Day. How many fruits?", 5)
    item["language"] = "en-US"
    for target, expected in (
        ("id-ID", "Hari Kemerdekaan"),  # same English name: the local name, same script
        ("hi-IN", "Republic Day"),  # another national day whose name cannot be confused
        ("ar-SA", "Saudi National Day"),
    ):
        out = localize_items([item], Options(target=target)).to_dict()
        assert expected in out["items"][0]["stem"]
        assert "Independence Day" not in out["items"][0]["stem"]


def test_an_unlisted_name_is_recognised_from_the_sentence_and_its_pronouns() -> None:
    item = make_item("Zara bought 3 apples. She ate 1. How many apples are left?", 2)
    item["language"] = "en-US"
    out = localize_items([item], Options(target="id-ID")).to_dict()
    name = [c for c in out["changes"] if c["kind"] == "name"]
    assert name
    assert name[0]["from"] == "Zara"
    assert name[0]["to"] in ("Siti", "Ayu", "Dewi", "Putri", "Rina", "Wulan", "Sari", "Intan",
                             "Nur", "Lestari")  # fmt: skip


def test_choice_distractors_follow_their_own_calculation() -> None:
    item = make_item("王老师买了4个篮球，每个65元，一共花了多少元？", "A")
    item["interaction"] = {"type": "choice", "shuffle": False, "choices": [
        {"id": "A", "text": "260元"}, {"id": "B", "text": "69元"}]}  # fmt: skip
    out = localize_items([item], Options(target="en-US")).to_dict()
    texts = [c["text"] for c in out["items"][0]["interaction"]["choices"]]
    price = int(out["items"][0]["stem"].split("每个$")[1].split("，")[0])
    assert texts == [f"${4 * price}", f"${4 + price}"]  # 4 x price, and the 4 + price slip


def test_template_values_follow_the_adapted_numbers() -> None:
    item = make_item("小丽买了4本笔记本，每本6元，一共多少元？", 24, unit="元")
    item["template"] = {"variables": {"a": {"type": "integer", "value": 4},
                                      "b": {"type": "integer", "value": 6}}, "answer": "a*b"}  # fmt: skip
    out = localize_items([item], Options(target="id-ID")).to_dict()
    variables = out["items"][0]["template"]["variables"]
    assert (
        variables["a"]["value"] * variables["b"]["value"]
        == out["items"][0]["correct_response"]["values"][0]
    )


def test_item_without_cultural_content_only_gets_a_translation_task() -> None:
    item = make_item("计算：25×4=？", 100)
    out = localize_items([item], Options(target="th-TH")).to_dict()
    assert [c["kind"] for c in out["changes"]] == ["translation"]
    assert out["items"][0]["stem"] == item["stem"]


def test_english_to_english_needs_no_translation() -> None:
    item = make_item("Sam had 20 dollars. He spent 8 dollars. How many dollars are left?", 12,
                     language="en-US")  # fmt: skip
    out = localize_items([item], Options(target="en-GB")).to_dict()
    assert not _changes(out, "translation")
    assert "£" in out["items"][0]["stem"]
    assert "dollars" not in out["items"][0]["stem"]


def test_a_date_is_shown_in_the_persian_calendar() -> None:
    item = make_item("小明的生日是2024年3月20日。他有8个苹果，吃了2个，还剩几个？", 6)
    out = localize_items([item], Options(target="fa-IR")).to_dict()
    assert "1403-01-01" in out["items"][0]["stem"]
    assert _changes(out, "calendar")[0]["needs_review"]


def test_crosswalk_moves_alignments_and_flags_missing_ones() -> None:
    item = make_item("计算：25×4=？", 100, alignments=[
        {"framework": "cn", "item": "cn-4-1", "code": "4.1"},
        {"framework": "cn", "item": "cn-4-2", "code": "4.2"}])  # fmt: skip
    crosswalk = {"cn-4-1": [{"item": "id-4-7", "type": "exactMatchOf", "framework": "id",
                             "code": "4.7"}]}  # fmt: skip
    out = localize_items([item], Options(target="id-ID", crosswalk=crosswalk,
                                         target_framework="id")).to_dict()  # fmt: skip
    codes = [a["code"] for a in out["items"][0]["alignments"]]
    assert codes == ["4.7", "4.2"]
    cur = _changes(out, "curriculum")
    assert any(c["to"] == "4.7" and not c["needs_review"] for c in cur)
    assert any(c["from"] == "4.2" and c["needs_review"] for c in cur)


def test_grade_change_is_a_curriculum_change() -> None:
    item = make_item("计算：25×4=？", 100)
    out = localize_items([item], Options(target="id-ID", grade=5)).to_dict()
    cur = _changes(out, "curriculum")[0]
    assert cur["to"] == "Kelas 5"
    assert out["items"][0]["grade"] == 5


def test_a_reviewers_edit_is_rechecked() -> None:
    from edubridge.engines.localize import load_pack
    from edubridge.engines.localize.verify import recheck

    item = make_item("小明买了3斤猪肉，每斤12元。他一共花了多少元？", 36, unit="元")
    out = localize_items([item], Options(target="id-ID")).to_dict()["items"][0]
    pack = load_pack("id-ID")
    assert recheck(out, pack) == []
    edited = dict(out, stem=out["stem"].replace("Rp36.000", "Rp35.000"))
    assert "no longer follows" in recheck(edited, pack)[0]
    edited = dict(out, stem=out["stem"].replace("鸡肉", "猪肉"))
    assert recheck(edited, pack) == ["'猪肉' is not suitable in Indonesia"]


def test_missing_association_suggests_target_statements() -> None:
    pytest.importorskip("edubridge.engines.standards.align")
    item = make_item("小红买了4支铅笔，每支2元，一共多少元？", 8, unit="元",
                     alignments=[{"framework": "cn", "item": "cn-4-9", "code": "4.9"}])  # fmt: skip
    statements = [
        {"identifier": "id-1", "code": "3.1", "text": "Membaca jam dan waktu", "language": "id"},
        {"identifier": "id-2", "code": "4.2", "text": "Perkalian: harga pensil 铅笔 一共多少元",
         "language": "id"},
    ]  # fmt: skip
    out = localize_items([item], Options(target="id-ID", target_statements=statements)).to_dict()
    cur = next(c for c in out["changes"] if c["kind"] == "curriculum")
    assert cur["needs_review"]
    assert cur["alternatives"]
    assert cur["alternatives"][0] == "4.2"


def test_festival_reason_gives_its_next_date_from_the_clock() -> None:
    import datetime as dt

    item = make_item("春节期间，小明家包了48个饺子，平均分给6个人，每人分到几个？", 8)
    now = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    out = localize_items([item], Options(target="id-ID", now=now)).to_dict()
    fest = _changes(out, "festival")[0]
    assert fest["to"] == "开斋节"
    assert "next on 2024-04-10" in fest["reason"]  # 1 Syawal 1445


def test_full_name_and_given_name_of_one_child_get_one_target() -> None:
    item = make_item("王小明有5个苹果，小明又买了7个，现在有多少个？", 12)
    out = localize_items([item], Options(target="id-ID")).to_dict()
    assert len({c["to"] for c in _changes(out, "name")}) == 1
    assert "王" not in out["items"][0]["stem"]


def _numeric(stem: str, answer: int, lang: str = "en-US") -> dict[str, Any]:
    return {
        "id": "c1",
        "format": "edubridge-item/1",
        "language": lang,
        "stem": stem,
        "grade": 4,
        "subject": "mathematics",
        "interaction": {"type": "numeric_entry", "tolerance": 0, "unit": None},
        "correct_response": {"values": [answer]},
    }


def test_counted_coins_become_the_targets_coins_and_the_total_is_recomputed() -> None:
    item = _numeric("Ryan has 3 quarters, 2 dimes and 4 pennies. How many cents does he have?", 99)
    out = localize_items([item], Options(target="en-GB")).to_dict()
    stem = out["items"][0]["stem"]
    assert "3 coins of 20 pence, 2 coins of 10 pence and 4 coins of 1 pence" in stem
    assert "How many pence" in stem
    assert out["items"][0]["correct_response"]["values"] == [3 * 20 + 2 * 10 + 4]
    coin_changes = [c for c in out["changes"] if c["kind"] == "currency" and "coin" in c["to"]]
    assert len(coin_changes) == 3
    assert all(c["needs_review"] for c in coin_changes)


def test_without_coins_in_use_banknotes_are_counted_and_flagged() -> None:
    item = _numeric("Ryan has 3 quarters and 2 dimes. How many cents does he have?", 95)
    out = localize_items([item], Options(target="fa-IR")).to_dict()
    assert "notes of" in out["items"][0]["stem"]
    assert any("banknotes" in w for w in out["warnings"])


def test_a_unit_definition_moves_whole_with_the_answer() -> None:
    item = _numeric(
        "A bag of flour weighs 5 pounds. How many ounces is that? (1 pound = 16 ounces)", 80
    )
    out = localize_items([item], Options(target="id-ID")).to_dict()
    stem = out["items"][0]["stem"]
    assert "(1 kilogram = 1000 grams)" in stem
    assert "pound" not in stem
    assert "ounce" not in stem
    assert out["items"][0]["correct_response"]["values"] == [5000]


def test_a_quantity_in_the_small_unit_is_rechosen_so_the_answer_stays() -> None:
    item = _numeric(
        "A box holds 48 ounces of rice. How many pounds is that? (1 pound = 16 ounces)", 3
    )
    out = localize_items([item], Options(target="hi-IN")).to_dict()
    assert "3000 grams" in out["items"][0]["stem"]
    assert out["items"][0]["correct_response"]["values"] == [3]
