"""Thin Common Cartridge 1.3 export and LRMI JSON-LD metadata."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

from edubridge.engines.standards.cartridge import (
    CC,
    Course,
    Section,
    read_thin_cartridge_outline,
    write_thin_cartridge,
)
from edubridge.engines.standards.errors import PackageError
from edubridge.engines.standards.lrmi import bank_lrmi, item_lrmi

from .samples import ALL, sample

COURSE = Course(
    identifier="course-1",
    title="四年级数学练习",
    language="zh-CN",
    sections=(
        Section("购物", ("zh-math-g4-0001", "en-g3-choice-1")),
        Section("时间", ("en-g3-order-1",)),
    ),
    item_titles={"zh-math-g4-0001": "买猪肉"},
    item_url="https://node.example/items/{id}",
)


def test_thin_cartridge_lists_sections_and_item_links_in_order() -> None:
    outline = read_thin_cartridge_outline(write_thin_cartridge(COURSE))
    assert outline == [
        (
            "购物",
            [
                "https://node.example/items/zh-math-g4-0001",
                "https://node.example/items/en-g3-choice-1",
            ],
        ),
        ("时间", ["https://node.example/items/en-g3-order-1"]),
    ]


def test_thin_cartridge_declares_cc_1_3_thin_schema() -> None:
    data = write_thin_cartridge(COURSE)
    manifest = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("imsmanifest.xml"))
    assert manifest.findtext(f"{{{CC}}}metadata/{{{CC}}}schema") == "IMS Thin Common Cartridge"
    assert manifest.findtext(f"{{{CC}}}metadata/{{{CC}}}schemaversion") == "1.3.0"
    assert {r.get("type") for r in manifest.iter(f"{{{CC}}}resource")} == {"imswl_xmlv1p3"}


def test_thin_cartridge_uses_lti_links_when_a_launch_url_is_given() -> None:
    course = Course(**{**COURSE.__dict__, "lti_launch_url": "https://node.example/lti/launch"})
    data = write_thin_cartridge(course)
    manifest = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("imsmanifest.xml"))
    assert {r.get("type") for r in manifest.iter(f"{{{CC}}}resource")} == {"imsbasiclti_xmlv1p3"}
    assert read_thin_cartridge_outline(data)[1] == ("时间", ["en-g3-order-1"])


def test_thin_cartridge_is_reproducible() -> None:
    assert write_thin_cartridge(COURSE) == write_thin_cartridge(COURSE)


def test_a_course_without_sections_is_refused() -> None:
    with pytest.raises(PackageError, match="at least one section"):
        write_thin_cartridge(Course("c", "t", "en", ()))


def test_item_lrmi_carries_language_level_licence_and_alignment() -> None:
    doc = item_lrmi(sample("numeric_entry"), base_url="https://node.example/items/")
    assert doc["@context"] == "https://schema.org/"
    assert doc["@id"] == "https://node.example/items/zh-math-g4-0001"
    assert doc["inLanguage"] == "zh-CN"
    assert doc["educationalLevel"] == "Grade 4"
    assert doc["license"] == "https://spdx.org/licenses/CC-BY-4.0.html"
    assert doc["educationalAlignment"] == [
        {
            "@type": "AlignmentObject",
            "alignmentType": "teaches",
            "educationalFramework": "cn-math-2022",
            "targetUrl": "cn-4-nbt-mul",
            "targetName": "4.1.2",
            "targetDescription": "乘法",
        }
    ]


def test_item_lrmi_links_a_derivative_to_its_source() -> None:
    item = sample("choice")
    item["provenance"] = {
        "derived_from": {"item": "src-1", "version": 3},
        "by": "x",
        "at": "2026-11-22T10:00:00Z",
    }
    doc = item_lrmi(item, base_url="https://node.example/items")
    assert doc["isBasedOn"] == {
        "@id": "https://node.example/items/src-1",
        "identifier": "src-1",
        "version": "3",
    }


def test_bank_lrmi_lists_every_item_as_a_part() -> None:
    items = [sample(k) for k in sorted(ALL)]
    doc = bank_lrmi(
        identifier="b1",
        title="Demo",
        language="en-US",
        items=items,
        base_url="https://n/items",
        licence="CC-BY-4.0",
    )
    assert doc["collectionSize"] == len(items)
    assert [p["identifier"] for p in doc["hasPart"]] == [i["id"] for i in items]
    assert all("@context" not in p for p in doc["hasPart"])
