"""QTI 3 content packages: safe reading, clear refusals, XSD-valid writing, round trips."""

from __future__ import annotations

import io
import re
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from edubridge.engines.standards.errors import (
    PackageError,
    QtiError,
    StandardsError,
    XmlSafetyError,
)
from edubridge.engines.standards.items import normalize_item
from edubridge.engines.standards.qti.manifest import (
    StandardsConfig,
    build_manifest,
    manifest_problems,
    manifest_schema,
)
from edubridge.engines.standards.qti.package import PackageLimits, read_package, write_package
from edubridge.engines.standards.qti.writer import write_item_xml

from .samples import ALL, sample
from .strategies import items

MANIFEST_NS = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _manifest(*hrefs: str) -> bytes:
    resources = "".join(
        f'<resource identifier="R{i}" type="imsqti_item_xmlv3p0" href="{h}"><file href="{h}"/></resource>'
        for i, h in enumerate(hrefs)
    )
    return (
        f'<manifest xmlns="{MANIFEST_NS}" identifier="pkg"><metadata><schema>QTI Package</schema>'
        f"<schemaversion>3.0.0</schemaversion></metadata><organizations/>"
        f"<resources>{resources}</resources></manifest>"
    ).encode()


def _good_package() -> dict[str, bytes]:
    return {
        "imsmanifest.xml": _manifest("items/choice.xml"),
        "items/choice.xml": write_item_xml(sample("choice")),
    }


def test_a_written_bank_reads_back_the_same_items(config: StandardsConfig) -> None:
    bank = [sample(kind) for kind in sorted(ALL)]
    contents = read_package(write_package(bank, identifier="demo", config=config), config=config)
    assert contents.items == [normalize_item(i) for i in bank]
    assert contents.skipped == []
    assert contents.manifest_validation == "xsd"


def test_written_manifest_is_valid_against_the_official_xsd(config: StandardsConfig) -> None:
    data = write_package([sample("numeric_entry")], identifier="demo", config=config)
    manifest = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("imsmanifest.xml"))
    schema = manifest_schema(config)
    assert schema is not None
    assert schema.validate(manifest), schema.error_log


def test_alignments_are_written_as_curriculum_standards_metadata(config: StandardsConfig) -> None:
    data = write_package([sample("numeric_entry")], identifier="demo", config=config)
    manifest = zipfile.ZipFile(io.BytesIO(data)).read("imsmanifest.xml")
    assert b"<csm:GUID>cn-4-nbt-mul</csm:GUID>" in manifest
    assert b"<csm:label>4.1.2</csm:label>" in manifest


def test_packages_are_byte_for_byte_reproducible(config: StandardsConfig) -> None:
    bank = [sample("choice"), sample("match")]
    assert write_package(bank, identifier="b", config=config) == write_package(
        bank, identifier="b", config=config
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(items(), min_size=1, max_size=4, unique_by=lambda i: i["id"].lower()))
def test_export_then_import_gives_the_same_items(bank: list[dict[str, Any]]) -> None:
    data = write_package(bank, identifier="prop", config=StandardsConfig())
    assert read_package(data).items == [normalize_item(i) for i in bank]


def test_the_1edtech_beginners_guide_package_imports(
    examples: Path, config: StandardsConfig
) -> None:
    folder = examples / "QTI3_BeginnersGuide_Examples"
    entries = {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }
    # The upstream example names media files it does not ship; stand-ins keep the manifest honest.
    for name in ("crows.jpg", "crow_movie.mp4", "crow_movie.ogg", "subtitles_en.vtt"):
        entries[f"items/resources/{name}"] = b"stand-in"
    contents = read_package(_zip(entries), file="bg.zip", config=config)
    assert [i["id"] for i in contents.items] == [
        "firstexample",
        "beginnersguide007",
        "beginnersguide008",
        "beginnersguide009",
        "beginnersguide010",
        "beginnersguide011",
    ]
    assert [s.file for s in contents.skipped] == ["BGtest.xml"]


def test_the_1edtech_package_as_shipped_is_refused_for_its_missing_media(
    examples: Path, config: StandardsConfig
) -> None:
    folder = examples / "QTI3_BeginnersGuide_Examples"
    entries = {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }
    with pytest.raises(PackageError) as caught:
        read_package(_zip(entries), file="bg.zip", config=config)
    assert str(caught.value).startswith(
        "bg.zip!imsmanifest.xml: line 35: resource 'image_resource_1' names 'items/resources/crows.jpg', "
        "which is not in the package"
    )


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("../evil.xml", "climbs out of the package"),
        ("items/../../evil.xml", "climbs out of the package"),
        ("/etc/passwd", "absolute path"),
        ("C:/windows/evil.xml", "absolute path"),
        ("items\\..\\evil.xml", "backslash"),
    ],
)
def test_zip_slip_paths_are_refused(name: str, why: str) -> None:
    entries = _good_package()
    entries[name] = b"x"
    with pytest.raises(PackageError, match=why) as caught:
        read_package(_zip(entries), file="bad.zip")
    assert f"bad.zip!{name}" in str(caught.value)


def test_symlinks_are_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in _good_package().items():
            archive.writestr(name, content)
        link = zipfile.ZipInfo("items/link.xml")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    with pytest.raises(PackageError, match="symbolic links"):
        read_package(buffer.getvalue())


def test_entity_expansion_in_an_item_is_refused_naming_the_file() -> None:
    entries = _good_package()
    entries["items/choice.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<x>&b;</x>"
    )
    with pytest.raises(XmlSafetyError, match=r"bad.zip!items/choice.xml: line 1: DOCTYPE"):
        read_package(_zip(entries), file="bad.zip")


def test_entity_expansion_in_the_manifest_is_refused() -> None:
    entries = _good_package()
    entries["imsmanifest.xml"] = b'<!DOCTYPE m [<!ENTITY a "x">]>' + _manifest("items/choice.xml")
    with pytest.raises(XmlSafetyError, match=re.escape("imsmanifest.xml")):
        read_package(_zip(entries))


def test_a_huge_file_is_refused_by_its_inflated_size() -> None:
    entries = _good_package()
    entries["items/huge.bin"] = b"\0" * 2_000_000
    limits = PackageLimits(max_file_bytes=1_000_000)
    with pytest.raises(PackageError, match=r"items/huge.bin: .*over the 1000000-byte file limit"):
        read_package(_zip(entries), limits=limits)


def test_a_zip_bomb_is_refused_by_its_total_size() -> None:
    entries = _good_package()
    for index in range(5):
        entries[f"pad/{index}.bin"] = b"\0" * 900_000
    limits = PackageLimits(max_file_bytes=1_000_000, max_total_bytes=3_000_000)
    with pytest.raises(PackageError, match="inflates past the 3000000-byte limit"):
        read_package(_zip(entries), limits=limits)


def test_too_many_entries_are_refused() -> None:
    entries = _good_package()
    entries.update({f"pad/{i}.txt": b"" for i in range(20)})
    with pytest.raises(PackageError, match="entries is over the 10 limit"):
        read_package(_zip(entries), limits=PackageLimits(max_entries=10))


def test_not_a_zip_is_refused() -> None:
    with pytest.raises(PackageError, match=re.escape("upload.zip: not a zip file")):
        read_package(b"hello", file="upload.zip")


def test_a_package_without_a_manifest_is_refused() -> None:
    with pytest.raises(PackageError, match=re.escape("no imsmanifest.xml")):
        read_package(_zip({"items/choice.xml": write_item_xml(sample("choice"))}))


def test_a_file_named_by_the_manifest_but_missing_is_refused() -> None:
    entries = {
        "imsmanifest.xml": _manifest("items/choice.xml", "items/ghost.xml"),
        "items/choice.xml": b"x",
    }
    entries["items/choice.xml"] = write_item_xml(sample("choice"))
    with pytest.raises(
        PackageError, match=re.escape("names 'items/ghost.xml', which is not in the package")
    ):
        read_package(_zip(entries), file="p.zip")


def test_a_manifest_in_the_qti_2_namespace_is_refused() -> None:
    entries = _good_package()
    entries["imsmanifest.xml"] = entries["imsmanifest.xml"].replace(
        MANIFEST_NS.encode(), b"http://www.imsglobal.org/xsd/imscp_v1p1"
    )
    with pytest.raises(PackageError, match=re.escape("QTI 2.x / generic IMS CP")):
        read_package(_zip(entries))


def test_an_item_in_the_wrong_namespace_is_refused_naming_the_file() -> None:
    entries = _good_package()
    entries["items/choice.xml"] = entries["items/choice.xml"].replace(
        b"http://www.imsglobal.org/xsd/imsqtiasi_v3p0", b"http://www.imsglobal.org/xsd/imsqti_v2p1"
    )
    with pytest.raises(QtiError, match=r"p.zip!items/choice.xml: line 1: this is a QTI 2.x item"):
        read_package(_zip(entries), file="p.zip")


def test_manifest_breaking_the_xsd_is_refused_with_its_line(config: StandardsConfig) -> None:
    entries = _good_package()
    entries["imsmanifest.xml"] = entries["imsmanifest.xml"].replace(
        b'<file href="items/choice.xml"/>', b""
    )
    with pytest.raises(PackageError, match=r"imsmanifest.xml: line 1: .*resource.*file"):
        read_package(_zip(entries), config=config)


def test_without_the_standards_directory_manifests_get_structural_checks_only() -> None:
    contents = read_package(_zip(_good_package()), config=StandardsConfig(None))
    assert contents.manifest_validation == "structural"


def test_duplicate_item_ids_in_a_package_are_refused() -> None:
    entries = {
        "imsmanifest.xml": _manifest("items/a.xml", "items/b.xml"),
        "items/a.xml": write_item_xml(sample("choice")),
        "items/b.xml": write_item_xml(sample("choice")),
    }
    with pytest.raises(StandardsError, match="duplicate id"):
        read_package(_zip(entries))


def test_schemaversion_3_0_1_manifests_are_checked_as_3_0_0(config: StandardsConfig) -> None:
    root = build_manifest("x", [("items/a.xml", sample("choice"))])
    root.find(f"{{{MANIFEST_NS}}}metadata/{{{MANIFEST_NS}}}schemaversion").text = "3.0.1"
    assert manifest_problems(root, config) == ([], "xsd")


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_corrupted_packages_fail_only_with_standards_errors(data: st.DataObject) -> None:
    package = bytearray(_zip(_good_package()))
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(package) - 1))
        package[position] = data.draw(st.integers(0, 255))
    problems: list[object] = []
    try:
        contents = read_package(bytes(package), file="c.zip")
    except StandardsError as exc:
        problems = list(exc.problems)
    else:
        assert len(contents.items) <= 1
        return
    assert problems
