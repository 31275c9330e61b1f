"""Locale packs: present, valid, and rejected with clear errors when malformed."""

from __future__ import annotations

import copy
import datetime as dt
from fractions import Fraction

import pytest
import yaml

from edubridge.engines.localize import calendars
from edubridge.engines.localize.numbers import format_money, format_number
from edubridge.engines.localize.pack import (
    PackError,
    available_locales,
    load_pack,
    validate_pack_data,
)

REQUIRED = ("zh-CN", "id-ID", "en-US", "en-GB", "hi-IN", "ar-EG", "ar-SA", "fa-IR", "am-ET",
            "th-TH", "sw-KE", "fr-SN", "es-MX", "pt-BR")  # fmt: skip


@pytest.mark.parametrize("locale", REQUIRED)
def test_every_required_locale_has_a_valid_pack(locale: str) -> None:
    pack = load_pack(locale)
    assert pack.locale == locale
    assert pack.version >= 1
    assert pack.names("male")
    assert pack.names("female")
    assert pack.names("family")


@pytest.mark.parametrize("locale", REQUIRED)
def test_every_price_table_says_its_source_and_year(locale: str) -> None:
    prices = load_pack(locale).data["prices"]
    assert len(prices["source"]) > 10
    assert 2020 <= prices["year"] <= 2030


def test_rtl_scripts_are_marked() -> None:
    assert [loc for loc in available_locales() if load_pack(loc).direction == "rtl"] == [
        "ar-EG", "ar-SA", "fa-IR",
    ]  # fmt: skip


def test_weekends_differ_by_country() -> None:
    assert load_pack("ar-SA").data["weekend"] == ["fri", "sat"]
    assert load_pack("fa-IR").data["weekend"] == ["fri"]
    assert load_pack("id-ID").data["weekend"] == ["sat", "sun"]


def test_unknown_locale_is_a_pack_error_listing_known_ones() -> None:
    with pytest.raises(PackError, match=r"unknown locale 'xx-XX'.*id-ID"):
        load_pack("xx-XX")


def test_validation_names_the_field_and_the_problem() -> None:
    data = copy.deepcopy(load_pack("id-ID").data)
    data["currency"]["code"] = "rupiah"
    del data["weekend"]
    problems = validate_pack_data(data, "id-ID.yaml")
    assert any(p.startswith("id-ID.yaml: currency/code:") for p in problems)
    assert any("'weekend' is a required property" in p for p in problems)


def test_validation_rejects_a_substitute_that_is_not_a_concept() -> None:
    data = copy.deepcopy(load_pack("id-ID").data)
    data["forbidden"][0]["substitutes"] = ["tofu-burger"]
    assert validate_pack_data(data, "x") == [
        "x: forbidden/0/substitutes: unknown concept 'tofu-burger'"
    ]


def test_packs_are_plain_yaml_reviewed_like_code() -> None:
    from importlib import resources

    text = resources.files("edubridge.engines.localize.packs").joinpath("fa-IR.yaml").read_text()
    assert yaml.safe_load(text)["locale"] == "fa-IR"


def test_indian_grouping_uses_lakh_and_crore() -> None:
    assert format_number(Fraction(12345678), "hi-IN") == "1,23,45,678"
    assert format_money(Fraction(120000), "INR", "hi-IN", False) == "₹1,20,000"


def test_indonesian_rupiah_has_no_decimals_and_dot_grouping() -> None:
    assert format_money(Fraction(36000), "IDR", "id-ID", False) == "Rp36.000"


@pytest.mark.parametrize(
    ("calendar", "day", "expected"),
    [
        ("persian", dt.date(2024, 3, 20), (1403, 1, 1)),  # Nowruz 1403
        ("ethiopian", dt.date(2023, 9, 12), (2016, 1, 1)),  # Enkutatash 2016
        ("ethiopian", dt.date(2024, 1, 7), (2016, 4, 28)),  # Genna 2016
        ("hijri", dt.date(2024, 4, 10), (1445, 10, 1)),  # Eid al-Fitr 1445 (Umm al-Qura)
        ("thai", dt.date(2024, 5, 6), (2567, 5, 6)),
    ],
)
def test_calendar_conversions_match_known_dates(
    calendar: str, day: dt.date, expected: tuple[int, int, int]
) -> None:
    assert calendars.convert(day, calendar) == expected


def test_tabular_hijri_fallback_is_within_a_day_of_umm_al_qura() -> None:
    day = dt.date(2024, 4, 10)
    y, m, d = calendars._tabular_hijri(calendars.to_jdn(day))
    assert (y, m) in ((1445, 10), (1445, 9))
    assert d <= 2 or d >= 29


def test_grade_names_follow_each_school_system() -> None:
    assert load_pack("id-ID").grade_name(4) == "Kelas 4"
    assert load_pack("en-GB").grade_name(4) == "Year 5"
    assert load_pack("fr-SN").grade_name(4) == "CE2"
    assert load_pack("zh-CN").grade_name(4) == "4年级"
