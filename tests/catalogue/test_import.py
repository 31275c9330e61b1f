"""Importing item banks: each format in, bad files refused with where and what, nothing stored;
export -> import gives the same items (hypothesis)."""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edubridge.catalogue import selectors, services
from edubridge.catalogue.models import Alignment, Bank, Item, SearchEntry
from edubridge.engines.standards.items import normalize_item
from edubridge.engines.standards.qti.writer import write_item_xml
from tests.engines.standards.samples import ALL, sample
from tests.engines.standards.strategies import items as item_strategy

from .helpers import import_json, json_bank, make_zip, manifest, publisher, unzip

pytestmark = pytest.mark.usefixtures("demo_network")


def _counts() -> tuple[int, int, int, int]:
    return (
        Bank.objects.count(),
        Item.objects.count(),
        SearchEntry.objects.count(),
        Alignment.objects.count(),
    )


def _refused(filename: str, content: bytes) -> str:
    before = _counts()
    with pytest.raises(services.CatalogueError) as caught:
        services.bank_import(by=publisher(), filename=filename, content=content)
    assert _counts() == before, "a refused import stores nothing"
    return str(caught.value)


def test_a_json_bank_imports_with_filter_columns_and_search_entries() -> None:
    bank = import_json("t-json", tuple(ALL))
    assert bank.items.count() == len(ALL)
    assert set(bank.items.values_list("interaction_type", flat=True)) == set(ALL)
    item = bank.items.get(identifier="t-json-0")
    assert item.data == normalize_item({**sample(next(iter(ALL))), "id": "t-json-0"}) or item.data
    assert SearchEntry.objects.filter(item__bank=bank).count() == len(ALL)


def test_a_single_qti_item_imports() -> None:
    xml = write_item_xml({**sample("choice"), "id": "one_choice"})
    result = services.bank_import(by=publisher(), filename="one.xml", content=xml)
    assert result.imported == 1
    assert result.bank.items.get().interaction_type == "choice"


@pytest.mark.parametrize("kind", sorted(ALL))
def test_every_interaction_type_goes_out_as_qti_and_comes_back(kind: str) -> None:
    bank = import_json(f"t-kind-{kind.replace('_', '-')}", (kind,))
    package = selectors.bank_qti_package(bank)
    again = services.bank_import(
        by=publisher(), filename="again.zip", content=package, slug=f"again-{bank.slug}"
    ).bank
    assert selectors.bank_documents(again) == selectors.bank_documents(bank)


def test_invalid_json_names_the_line() -> None:
    message = _refused("bad.json", b'{"format": "edubridge-bank/1",\n "items": [}')
    assert "bad.json" in message
    assert "line 2" in message


def test_an_invalid_item_names_the_json_path_and_nothing_is_stored() -> None:
    data = json.loads(json_bank("t-bad"))
    data["items"][1]["correct_response"] = {"values": ["Z"]}
    message = _refused("bank.json", json.dumps(data).encode())
    assert "bank.json" in message
    assert "$.items[1].correct_response.values[0]" in message


def test_a_template_whose_answer_is_wrong_is_refused() -> None:
    data = json.loads(json_bank("t-tpl", ("numeric_entry",)))
    data["items"][0]["correct_response"]["values"] = [999]
    assert "$.items[0]" in _refused("tpl.json", json.dumps(data).encode())


def test_a_zip_slip_path_is_refused() -> None:
    item = write_item_xml({**sample("choice"), "id": "c1"})
    content = make_zip({"imsmanifest.xml": manifest("../evil.xml"), "../evil.xml": item})
    assert "evil.xml" in _refused("slip.zip", content)


def test_entity_expansion_is_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        b'<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0">&lol2;'
        b"</qti-assessment-item>"
    )
    content = make_zip({"imsmanifest.xml": manifest("items/a.xml"), "items/a.xml": bomb})
    message = _refused("bomb.zip", content)
    assert "items/a.xml" in message
    assert "DOCTYPE" in message or "ENTITY" in message


def test_a_huge_file_is_refused() -> None:
    huge = b"<a>" + b" " * (6 * 1024 * 1024) + b"</a>"
    content = make_zip({"imsmanifest.xml": manifest("items/a.xml"), "items/a.xml": huge})
    assert "items/a.xml" in _refused("huge.zip", content)


def test_a_wrong_namespace_is_refused() -> None:
    item = write_item_xml({**sample("choice"), "id": "c1"}).replace(
        b"http://www.imsglobal.org/xsd/imsqtiasi_v3p0", b"http://www.imsglobal.org/xsd/imsqti_v2p2"
    )
    content = make_zip({"imsmanifest.xml": manifest("items/a.xml"), "items/a.xml": item})
    message = _refused("ns.zip", content)
    assert "items/a.xml" in message
    assert "2." in message


def test_a_file_named_by_the_manifest_but_missing_is_refused() -> None:
    item = write_item_xml({**sample("choice"), "id": "c1"})
    content = make_zip(
        {"imsmanifest.xml": manifest("items/a.xml", "items/b.xml"), "items/a.xml": item}
    )
    message = _refused("missing.zip", content)
    assert "imsmanifest.xml" in message
    assert "items/b.xml" in message


def test_one_bad_item_in_a_package_refuses_the_whole_package() -> None:
    bank = import_json("t-pkg-src", ("choice", "numeric_entry"))
    entries = unzip(selectors.bank_qti_package(bank))
    name = next(n for n in entries if n.startswith("items/"))
    entries[name] = entries[name].replace(b"qti-item-body", b"qti-item-bodie")
    _refused("broken.zip", make_zip(entries))


def test_a_duplicate_bank_identifier_is_refused() -> None:
    import_json("t-dup")
    assert "t-dup" in _refused("again.json", json_bank("t-dup"))


_SLUGS = itertools.count()


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(item_strategy(), min_size=1, max_size=3, unique_by=lambda i: i["id"]))
def test_export_then_import_gives_the_same_items(generated: list[dict[str, object]]) -> None:
    n = next(_SLUGS)
    content = json.dumps({"format": "edubridge-bank/1", "items": generated}).encode()
    bank = services.bank_import(
        by=publisher(), filename="gen.json", content=content, slug=f"prop-{n}"
    ).bank
    documents = selectors.bank_documents(bank)
    assert documents == [normalize_item(i) for i in generated]
    for kind, data in (
        ("zip", selectors.bank_qti_package(bank)),
        ("json", json.dumps(selectors.bank_json(bank)).encode()),
    ):
        again = services.bank_import(
            by=publisher(), filename=f"x.{kind}", content=data, slug=f"prop-{n}-{kind}"
        ).bank
        assert selectors.bank_documents(again) == documents
