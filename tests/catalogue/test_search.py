"""Search: one contract on SQLite FTS5 and PostgreSQL full text (this file runs on both)."""

from __future__ import annotations

import json

import pytest

from edubridge.catalogue import search, services
from edubridge.catalogue.demo_data import frameworks
from edubridge.catalogue.selectors import item_search

from .helpers import publisher

pytestmark = pytest.mark.usefixtures("demo_network")


def _item(
    id_: str, language: str, stem: str, grade: int = 4, licence: str = "CC-BY-4.0"
) -> dict[str, object]:
    return {
        "id": id_,
        "format": "edubridge-item/1",
        "language": language,
        "stem": stem,
        "interaction": {"type": "text_entry"},
        "correct_response": {"values": ["x"]},
        "grade": grade,
        "subject": "mathematics",
        "licence": licence,
    }


@pytest.fixture
def mixed_bank(db: None) -> None:
    items = [
        _item("ar1", "ar-EG", "اشترى أحمد الكُتُب من المكتبة"),
        _item("ar2", "ar-EG", "ذهبت فاطمة إلى السوق", grade=3),
        _item("zh1", "zh-CN", "小明去超市买苹果和香蕉", licence="CC-BY-SA-4.0"),
        _item("en1", "en-US", "Maya buys apples at the market", grade=5),
        _item("id1", "id-ID", "Budi membeli apel di pasar"),
    ]
    bank = services.bank_import(
        by=publisher(),
        filename="mixed.json",
        content=json.dumps({"format": "edubridge-bank/1", "id": "mixed", "items": items}).encode(),
    ).bank
    services.bank_publish(by=None, bank=bank)


def _ids(query: str, **filters: object) -> list[str]:
    return [r.identifier for r in item_search(query=query, filters={"bank": "mixed", **filters})]


def test_the_analyzer_makes_chinese_bigrams_and_normalizes_arabic() -> None:
    assert search.query_terms("买苹果") == [("买苹", False), ("苹果", False)]
    assert "苹果" in search.index_terms("小明买苹果")
    assert search.index_terms("الكُتُب") == search.index_terms("الكتب")
    assert search.index_terms("أحمد") == search.index_terms("احمد")


@pytest.mark.usefixtures("mixed_bank")
def test_chinese_words_are_found_without_segmentation() -> None:
    assert _ids("苹果") == ["zh1"]
    assert _ids("超市") == ["zh1"]


@pytest.mark.usefixtures("mixed_bank")
def test_arabic_is_found_whatever_the_diacritics_and_alef_forms() -> None:
    assert _ids("الكتب") == ["ar1"]
    assert _ids("احمد") == ["ar1"]


@pytest.mark.usefixtures("mixed_bank")
def test_results_are_ranked_and_filtered() -> None:
    results = item_search(query="apples market", filters={"bank": "mixed"})
    assert [r.identifier for r in results] == ["en1"]
    assert results[0].score > 0
    assert _ids("apel pasar", language="id") == ["id1"]
    assert _ids("apel pasar", language="en") == []
    assert set(_ids("", grade=4)) == {"ar1", "zh1", "id1"}
    assert _ids("", licence="CC-BY-SA-4.0") == ["zh1"]


def test_the_demo_bank_is_searchable_by_framework_node() -> None:
    stage = frameworks.identifier("cn-s3")  # grade-5 part of the Chinese framework
    results = item_search(query="", filters={"framework_item": stage}, limit=500)
    assert results
    assert all(r.grade_min == 5 for r in results)
    volume = frameworks.identifier("cn-3-gm-1")
    hits = item_search(query="鱼缸", filters={"framework_item": volume})
    assert hits
    assert all("鱼缸" in r.stem for r in hits)


def test_drafts_are_not_in_search() -> None:
    items = [_item("d1", "en-US", "zebra crossing problem")]
    services.bank_import(
        by=publisher(),
        filename="d.json",
        content=json.dumps({"format": "edubridge-bank/1", "id": "draft", "items": items}).encode(),
    )
    assert item_search(query="zebra") == []
    assert [
        r.identifier for r in item_search(query="zebra", filters={"published_only": False})
    ] == ["d1"]


def test_deleted_banks_leave_the_index() -> None:
    items = [_item("q1", "en-US", "quokka count")]
    bank = services.bank_import(
        by=publisher(),
        filename="q.json",
        content=json.dumps({"format": "edubridge-bank/1", "id": "quokka", "items": items}).encode(),
    ).bank
    services.bank_delete(by=None, bank=bank)
    assert item_search(query="quokka", filters={"published_only": False}) == []
