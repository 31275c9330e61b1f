"""Understanding zh and en source text."""

from __future__ import annotations

from edubridge.engines.localize.extract import extract


def _kinds(text: str, lang: str, currency: str | None = None) -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in extract(text, lang, currency)]


def test_zh_names_quantities_foods_and_money() -> None:
    spans = extract("小明买了3斤猪肉，每斤12元。", "zh")
    assert [(s.kind, s.text) for s in spans] == [
        ("name", "小明"), ("number", "3"), ("unit", "斤"), ("concept", "猪肉"),
        ("unit", "斤"), ("money", "12元"),
    ]  # fmt: skip
    assert spans[1].unit == "jin"
    assert spans[5].currency == "CNY"


def test_zh_kuai_as_a_measure_word_is_not_money() -> None:
    assert ("currency", "块") not in _kinds("小红吃了2块蛋糕，一块蛋糕很甜。", "zh")
    assert ("money", "5块") in _kinds("买一支笔要5块。", "zh")
    assert ("money", "24块") not in _kinds("一盒饼干有24块，吃了5块。", "zh")


def test_zh_teacher_family_name() -> None:
    assert ("family", "王") in _kinds("王老师买了5本书。", "zh")


def test_en_money_symbols_words_and_cents() -> None:
    spans = extract("Tom paid $4.50 and 25 cents.", "en", "USD")
    money = [s for s in spans if s.kind == "money"]
    assert [(s.text, str(s.value), s.extra.get("unit_value", "1")) for s in money] == [
        ("$4.50", "9/2", "1"), ("25 cents", "25", "0.01"),
    ]  # fmt: skip


def test_en_pounds_are_mass_in_a_us_item_and_money_in_a_british_one() -> None:
    assert extract("3 pounds of ham", "en", "USD")[0].unit == "pound_mass"
    assert extract("She has 20 pounds.", "en", "GBP")[0].kind == "money"


def test_en_bare_abbreviations_are_not_units() -> None:
    assert ("unit", "m") not in _kinds("I'm at m street", "en")


def test_dates_are_recognised_and_kept_out_of_the_numbers() -> None:
    spans = extract("2024年5月6日有8人", "zh")
    assert spans[0].kind == "date"
    assert [s.text for s in spans if s.kind == "number"] == ["8"]


def test_an_unsupported_language_yields_nothing() -> None:
    assert extract("Ali alinunua machungwa 3", "sw") == []


def test_a_surname_before_a_known_given_name_belongs_to_it() -> None:
    assert ("name", "王小明") in _kinds("王小明买了5斤猪肉。", "zh")
