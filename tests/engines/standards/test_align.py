"""Alignment suggestions: multilingual lexical ranking with matched words."""

from __future__ import annotations

from pathlib import Path

from edubridge.engines.standards.align import (
    AlignmentIndex,
    Statement,
    item_text,
    statements_from_case,
    suggest_alignments,
)
from edubridge.engines.standards.case.codec import parse_package
from edubridge.engines.standards.text import normalize_arabic, stem_en, stem_id, terms

from .case_samples import package, uid
from .samples import sample

ZH = [
    Statement("zh-mul", "4.1.2", "能计算两位数乘一位数的乘法，解决购物中的简单实际问题", "zh-CN"),
    Statement("zh-time", "3.2.1", "认识年、月、日，了解时间单位之间的关系", "zh-CN"),
    Statement("zh-len", "3.3.1", "认识长度单位米和厘米，进行简单的测量", "zh-CN"),
]
EN = [
    Statement(
        "en-mul",
        "3.OA.1",
        "Interpret products of whole numbers as groups of objects; multiplication",
        "en",
    ),
    Statement(
        "en-time",
        "3.MD.1",
        "Tell and write time to the nearest minute; measure time intervals",
        "en",
    ),
]


def test_chinese_matches_by_character_bigrams() -> None:
    best = AlignmentIndex(ZH).suggest("超市里每支笔5元，买3支笔要付多少元？用乘法计算。", "zh-CN")[
        0
    ]
    assert best.identifier == "zh-mul"
    assert "乘法" in best.matched


def test_template_answer_adds_the_operation_words() -> None:
    item = sample("numeric_entry")
    assert "乘法" in item_text(item)
    assert suggest_alignments(item, ZH)[0].identifier == "zh-mul"


def test_english_matches_through_light_stemming() -> None:
    best = AlignmentIndex(EN).suggest(
        "How many minutes until the bus leaves? Tell the time.", "en-US"
    )[0]
    assert best.identifier == "en-time"
    assert set(best.matched) >= {"minutes", "time"}


def test_stemming_meets_word_forms() -> None:
    assert stem_en("multiplying") == stem_en("multiplication") == stem_en("multiply")
    assert stem_id("perkalian") == stem_id("dikalikan") == "kali"


def test_stopwords_and_numbers_never_match() -> None:
    assert [t.key for t in terms("The 12 apples and the pears", "en")] == ["appl", "pear"]


def test_arabic_is_normalized_before_matching() -> None:
    assert normalize_arabic("أَحْمَد") == "احمد"
    index = AlignmentIndex([Statement("ar", "1", "الضرب في الأعداد الكلية", "ar")])
    # Matched words are shown as normalized (diacritics removed).
    assert index.suggest("مسألة ضَرْب", "ar-EG")[0].matched == ("ضرب",)


def test_suggestions_have_scores_in_descending_order_and_a_reason() -> None:
    suggestions = AlignmentIndex(EN + ZH).suggest("multiplication of groups 乘法", None, top=5)
    assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)
    assert all(s.reason.startswith(f"{len(s.matched)} shared term(s)") for s in suggestions)


def test_no_shared_terms_gives_no_suggestions() -> None:
    assert AlignmentIndex(EN).suggest("zebra xylophone", "en") == []


def test_statements_come_straight_from_a_case_package(standards_dir: Path) -> None:
    statements = statements_from_case(parse_package(package(), standards_dir=standards_dir))
    best = AlignmentIndex(statements).suggest("Share 12 sweets equally among 3 friends", "en")[0]
    assert best.identifier == uid("oa2")


def test_indonesian_matches_through_affix_stripping() -> None:
    index = AlignmentIndex(
        [
            Statement(
                "id-mul", "B.1", "Melakukan operasi perkalian dan pembagian bilangan cacah", "id"
            ),
            Statement("id-len", "B.2", "Mengukur panjang benda dengan satuan baku", "id"),
        ]
    )
    best = index.suggest("Ibu membeli 6 kotak kue. Setiap kotak berisi 7 kue. Kalikan!", "id-ID")[0]
    assert best.identifier == "id-mul"
    assert best.matched == ("Kalikan",)
