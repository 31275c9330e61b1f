"""CASE 1.1 (and 1.0) packages: parse, validate, tree, crosswalks, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft201909Validator

from edubridge.engines.standards.case.codec import export_package, parse_package
from edubridge.engines.standards.case.tree import build_tree
from edubridge.engines.standards.errors import CaseError

from .case_samples import FOREIGN, case_1_0_package, package, uid


def test_parses_document_items_and_associations(standards_dir: Path) -> None:
    parsed = parse_package(package(), standards_dir=standards_dir)
    assert parsed.document.title == "Demo mathematics, grades 3-4"
    assert [i.code for i in parsed.items] == ["OA", "4.OA.1", "3.OA.1", "3.OA.2"]
    assert parsed.item(uid("oa1")).concept_keywords == ("multiplication",)
    assert parsed.source_version == "1.1"


def test_export_validates_against_the_official_schema(standards_dir: Path) -> None:
    exported = export_package(parse_package(package(), standards_dir=standards_dir))
    schema = json.loads((standards_dir / "case/case_v1p1_cfpackage_schema.json").read_text())
    assert list(Draft201909Validator(schema).iter_errors(exported)) == []


def test_export_gives_back_the_imported_json(standards_dir: Path) -> None:
    exported = export_package(
        parse_package(package(), standards_dir=standards_dir), standards_dir=standards_dir
    )
    assert exported == package()


def test_crosswalk_associations_to_other_frameworks_are_kept(standards_dir: Path) -> None:
    parsed = parse_package(package(), standards_dir=standards_dir)
    kinds = sorted(a.association_type for a in parsed.crosswalks())
    assert kinds == ["exactMatchOf", "isPeerOf", "isRelatedTo", "precedes"]
    match = next(a for a in parsed.associations if a.association_type == "exactMatchOf")
    assert match.destination.identifier == FOREIGN["identifier"]
    assert match.destination.target_type == "CASE"
    assert parsed.item(match.destination.identifier) is None


def test_tree_follows_is_child_of_in_sequence_order(standards_dir: Path) -> None:
    tree = build_tree(parse_package(package(), standards_dir=standards_dir))
    assert [(depth, node.code) for depth, node in tree.root.walk()] == [
        (0, None),
        (1, "OA"),
        (2, "3.OA.1"),
        (2, "3.OA.2"),
        (2, "4.OA.1"),
    ]
    assert tree.orphans == []


def test_items_without_a_parent_are_listed_as_orphans(standards_dir: Path) -> None:
    data = package()
    data["CFAssociations"] = [a for a in data["CFAssociations"] if a["identifier"] != uid("a-oa3")]
    tree = build_tree(parse_package(data, standards_dir=standards_dir))
    assert [n.code for n in tree.orphans] == ["4.OA.1"]


def test_case_1_0_packages_are_accepted_and_upgraded(standards_dir: Path) -> None:
    parsed = parse_package(case_1_0_package(), standards_dir=standards_dir)
    assert parsed.source_version == "1.0"
    assert any("CFDocumentURI from 4 record(s)" in note for note in parsed.notes)
    assert export_package(parsed, standards_dir=standards_dir)["CFDocument"]["caseVersion"] == "1.1"


def test_schema_errors_name_the_json_path(standards_dir: Path) -> None:
    data = package()
    del data["CFItems"][2]["fullStatement"]
    with pytest.raises(CaseError) as caught:
        parse_package(data, standards_dir=standards_dir, file="fw.json")
    assert str(caught.value) == "fw.json: $.CFItems[2]: 'fullStatement' is a required property"


def test_identifiers_must_be_uuids(standards_dir: Path) -> None:
    data = package()
    data["CFItems"][0]["identifier"] = "not-a-uuid"
    with pytest.raises(CaseError, match=r"\$.CFItems\[0\].identifier"):
        parse_package(data, standards_dir=standards_dir)


def test_unknown_association_types_are_refused(standards_dir: Path) -> None:
    data = package()
    data["CFAssociations"][4]["associationType"] = "isFriendOf"
    with pytest.raises(CaseError, match=r"\$.CFAssociations\[4\].associationType"):
        parse_package(data, standards_dir=standards_dir)


def test_duplicate_item_identifiers_are_refused(standards_dir: Path) -> None:
    data = package()
    data["CFItems"][1]["identifier"] = data["CFItems"][0]["identifier"]
    with pytest.raises(CaseError, match="used twice"):
        parse_package(data, standards_dir=standards_dir)


def test_hierarchy_links_outside_the_package_are_refused(standards_dir: Path) -> None:
    data = package()
    data["CFAssociations"][1]["destinationNodeURI"] = dict(FOREIGN)
    data["CFAssociations"][1]["destinationNodeURI"].pop("targetType")
    with pytest.raises(CaseError, match="isChildOf points to"):
        parse_package(data, standards_dir=standards_dir)


def test_a_package_must_be_an_object(standards_dir: Path) -> None:
    with pytest.raises(CaseError, match="a CFPackage is a JSON object"):
        parse_package([], standards_dir=standards_dir)
