"""CASE frameworks in and out, tree and crosswalks; alignment suggestions and their accuracy."""

from __future__ import annotations

import json

import pytest

from edubridge.catalogue import selectors, services
from edubridge.catalogue.demo_data import frameworks
from edubridge.catalogue.models import Alignment, Bank, Framework, FrameworkItem
from tests.engines.standards.case_samples import case_1_0_package, package

from .helpers import import_json, publisher

pytestmark = pytest.mark.usefixtures("demo_network")


def test_a_case_1_1_package_imports_as_a_tree_and_exports_back() -> None:
    data = package()
    framework = services.framework_import(
        by=publisher(), filename="case.json", content=json.dumps(data).encode()
    )
    nodes = selectors.framework_nodes(framework)
    assert len(nodes) == len(data["CFItems"])
    assert any(n.parent_id for n in nodes)
    exported = services.framework_export(framework)
    assert exported["CFDocument"]["identifier"] == data["CFDocument"]["identifier"]
    assert {i["identifier"] for i in exported["CFItems"]} == {
        i["identifier"] for i in data["CFItems"]
    }
    again = services.framework_import(by=publisher(), filename="again.json", content=exported)
    assert again.pk == framework.pk
    assert again.items.count() == len(nodes)


def test_case_1_0_is_accepted() -> None:
    framework = services.framework_import(
        by=publisher(), filename="old.json", content=json.dumps(case_1_0_package()).encode()
    )
    assert framework.source_version == "1.0"


def test_a_bad_case_file_names_the_path_and_stores_nothing() -> None:
    data = package()
    del data["CFItems"][1]["fullStatement"]
    before = Framework.objects.count(), FrameworkItem.objects.count()
    with pytest.raises(services.CatalogueError) as caught:
        services.framework_import(
            by=publisher(), filename="bad.json", content=json.dumps(data).encode()
        )
    assert "bad.json" in str(caught.value)
    assert "$.CFItems[1]" in str(caught.value)
    with pytest.raises(services.CatalogueError, match="line 1"):
        services.framework_import(by=publisher(), filename="x.json", content=b"{oops")
    assert (Framework.objects.count(), FrameworkItem.objects.count()) == before


def test_demo_crosswalks_join_the_three_frameworks() -> None:
    cn = Framework.objects.get(identifier=frameworks.identifier("cn-math-2022"))
    walks = selectors.crosswalks(cn)
    mult = walks[frameworks.identifier("cn-2-na-2")]
    assert any(w.association_type == "exactMatchOf" and w.other_label == "4.NBT.B.5" for w in mult)
    types = {w.association_type for ws in walks.values() for w in ws}
    assert {"isRelatedTo", "exactMatchOf", "isPeerOf", "precedes"} <= types
    us = Framework.objects.get(identifier=frameworks.identifier("us-ccss-math-3-5"))
    incoming = selectors.crosswalks(us)[frameworks.identifier("us-4-nbt-b-5")]
    assert any(not w.outgoing and w.other_label == "2.NA.2" for w in incoming)


def test_demo_banks_are_aligned_by_hand_to_their_frameworks() -> None:
    zh = Bank.objects.get(slug="zh-math-g3-5-everyday")
    en = Bank.objects.get(slug="en-math-g3-5-everyday")
    assert zh.items.count() >= 80
    assert en.items.count() >= 30
    assert zh.items.filter(language="zh-CN").count() == zh.items.count()
    for bank in (zh, en):
        assert not bank.items.filter(alignments__isnull=True).exists()


def test_the_top_3_hit_rate_is_measured_over_every_demo_item(
    capsys: pytest.CaptureFixture[str],
) -> None:
    figures = []
    for slug, key in (
        ("zh-math-g3-5-everyday", "cn-math-2022"),
        ("en-math-g3-5-everyday", "us-ccss-math-3-5"),
    ):
        bank = Bank.objects.get(slug=slug)
        framework = Framework.objects.get(identifier=frameworks.identifier(key))
        hits, total = selectors.top3_hit_rate(bank=bank, framework=framework)
        assert total == bank.items.count()  # computed over all items
        figures.append(f"{slug}: top-3 hit rate {hits}/{total} = {hits / total:.1%}")
    with capsys.disabled():
        print("\n" + "\n".join(figures))


def test_suggestions_have_scores_and_words_and_can_be_accepted_or_rejected() -> None:
    bank = import_json("t-align", ("numeric_entry",))
    item = bank.items.get()
    cn = Framework.objects.get(identifier=frameworks.identifier("cn-math-2022"))
    suggestions = selectors.alignment_suggestions(item=item, framework=cn, top=3)
    assert suggestions
    assert suggestions[0].score > 0
    assert suggestions[0].matched
    first, second = suggestions[0].framework_item, suggestions[1].framework_item
    accepted = services.suggestion_accept(item=item, framework_item=first)
    assert accepted.source == "suggested"
    assert accepted.score == suggestions[0].score
    services.suggestion_reject(item=item, framework_item=second)
    remaining = selectors.alignment_suggestions(
        item=item, framework=cn, top=3, exclude_decided=True
    )
    assert first not in [s.framework_item for s in remaining]
    assert second not in [s.framework_item for s in remaining]
    document = selectors.item_document(item)
    assert {"framework": cn.identifier, "item": first.identifier, "code": first.code} in document[
        "alignments"
    ]
    assert second.identifier not in json.dumps(document)
    services.unalign(item=item, framework_item=first)
    assert not Alignment.objects.filter(item=item, rejected=False).exists()
