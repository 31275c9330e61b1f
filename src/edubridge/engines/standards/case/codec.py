"""Parse, validate and export CASE CFPackage JSON.

Input is validated against the official CASE 1.1 CFPackage JSON Schema read from the standards
directory at run time. CASE 1.0 packages are accepted: their 1.0-only reference fields
(``CFPackageURI``, ``CFDocumentURI``) are dropped, with a note, before validation. Export always
writes CASE 1.1 (``caseVersion: "1.1"``) and validates the result before returning it.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft201909Validator, FormatChecker

from edubridge.engines.standards.case.model import (
    CFAssociation,
    CFDocument,
    CFItem,
    CFPackage,
    Link,
)
from edubridge.engines.standards.errors import CaseError, Problem
from edubridge.engines.standards.items import json_path

CASE_SCHEMA = "case/case_v1p1_cfpackage_schema.json"
_LEGACY_KEYS = ("CFPackageURI", "CFDocumentURI")
_DOC_FIELDS = {
    "identifier",
    "uri",
    "title",
    "creator",
    "lastChangeDateTime",
    "language",
    "subject",
    "version",
    "adoptionStatus",
}
_ITEM_FIELDS = {
    "identifier",
    "uri",
    "fullStatement",
    "lastChangeDateTime",
    "humanCodingScheme",
    "abbreviatedStatement",
    "CFItemType",
    "language",
    "educationLevel",
    "conceptKeywords",
    "listEnumeration",
}
_ASSOC_FIELDS = {
    "identifier",
    "uri",
    "associationType",
    "originNodeURI",
    "destinationNodeURI",
    "lastChangeDateTime",
    "sequenceNumber",
}


@cache
def _validator(schema_path: Path) -> Draft201909Validator:
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    return Draft201909Validator(schema, format_checker=FormatChecker())


def case_schema_validator(standards_dir: Path) -> Draft201909Validator:
    """The CASE 1.1 CFPackage validator from ``standards_dir`` (raises if the file is missing)."""
    path = standards_dir / CASE_SCHEMA
    if not path.is_file():
        raise CaseError(Problem("", f"CASE schema not found at {path}"))
    return _validator(path)


def schema_problems(data: object, standards_dir: Path) -> list[Problem]:
    """Every schema violation, each with its JSON path (``$.CFItems[3].fullStatement``)."""
    validator = case_schema_validator(standards_dir)
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        best = error
        while best.context:
            best = min(best.context, key=lambda e: -len(e.path))
        problems.append(Problem(json_path(best.absolute_path), best.message))
    return problems


def _upgrade_legacy(data: dict[str, Any]) -> tuple[dict[str, Any], str, list[str]]:
    """Drop CASE 1.0-only fields; return the upgraded copy, the detected version and notes."""
    upgraded = copy.deepcopy(data)
    dropped: dict[str, int] = {}

    def strip(obj: object) -> None:
        if isinstance(obj, dict):
            for key in _LEGACY_KEYS:
                if key in obj:
                    del obj[key]
                    dropped[key] = dropped.get(key, 0) + 1

    strip(upgraded.get("CFDocument"))
    for key in ("CFItems", "CFAssociations"):
        for entry in upgraded.get(key) or []:
            strip(entry)
    document = upgraded.get("CFDocument")
    declared = document.get("caseVersion") if isinstance(document, dict) else None
    if dropped:
        version = "1.0"
    elif declared == "1.1":
        version = "1.1"
    else:
        version = "1.0 or 1.1 (caseVersion not given)"
    notes = [
        f"dropped CASE 1.0 field {key} from {count} record(s); CASE 1.1 has no such field"
        for key, count in sorted(dropped.items())
    ]
    return upgraded, version, notes


def _link(data: dict[str, Any]) -> Link:
    return Link(data["identifier"], data["uri"], data["title"], data.get("targetType"))


def _rest(data: dict[str, Any], modelled: set[str]) -> dict[str, Any]:
    return {k: copy.deepcopy(v) for k, v in data.items() if k not in modelled}


def parse_package(data: object, *, standards_dir: Path, file: str | None = None) -> CFPackage:
    """Parse CFPackage JSON (already decoded) into dataclasses; raise :class:`CaseError`."""
    if not isinstance(data, dict):
        raise CaseError(Problem("$", "a CFPackage is a JSON object"), file=file)
    upgraded, version, notes = _upgrade_legacy(data)
    problems = schema_problems(upgraded, standards_dir)
    if problems:
        raise CaseError(problems, file=file)
    doc = upgraded["CFDocument"]
    document = CFDocument(
        identifier=doc["identifier"],
        uri=doc["uri"],
        title=doc["title"],
        creator=doc["creator"],
        last_change=doc["lastChangeDateTime"],
        language=doc.get("language"),
        subject=tuple(doc.get("subject", ())),
        version=doc.get("version"),
        adoption_status=doc.get("adoptionStatus"),
        extra=_rest(doc, _DOC_FIELDS),
    )
    items = tuple(
        CFItem(
            identifier=i["identifier"],
            uri=i["uri"],
            full_statement=i["fullStatement"],
            last_change=i["lastChangeDateTime"],
            code=i.get("humanCodingScheme"),
            abbreviated_statement=i.get("abbreviatedStatement"),
            item_type=i.get("CFItemType"),
            language=i.get("language"),
            education_level=tuple(i.get("educationLevel", ())),
            concept_keywords=tuple(i.get("conceptKeywords", ())),
            list_enumeration=i.get("listEnumeration"),
            extra=_rest(i, _ITEM_FIELDS),
        )
        for i in upgraded.get("CFItems", [])
    )
    associations = tuple(
        CFAssociation(
            identifier=a["identifier"],
            uri=a["uri"],
            association_type=a["associationType"],
            origin=_link(a["originNodeURI"]),
            destination=_link(a["destinationNodeURI"]),
            last_change=a["lastChangeDateTime"],
            sequence_number=a.get("sequenceNumber"),
            extra=_rest(a, _ASSOC_FIELDS),
        )
        for a in upgraded.get("CFAssociations", [])
    )
    package = CFPackage(
        document=document,
        items=items,
        associations=associations,
        definitions=copy.deepcopy(upgraded.get("CFDefinitions", {})),
        rubrics=tuple(copy.deepcopy(upgraded.get("CFRubrics", []))),
        extensions=copy.deepcopy(upgraded.get("extensions")),
        source_version=version,
        notes=tuple(notes),
    )
    reference = reference_problems(package)
    if reference:
        raise CaseError(reference, file=file)
    return package


def reference_problems(package: CFPackage) -> list[Problem]:
    """Duplicate identifiers, and hierarchy (isChildOf) links to nodes outside the package."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(package.items):
        if item.identifier in seen or item.identifier == package.document.identifier:
            problems.append(
                Problem(
                    f"$.CFItems[{index}].identifier", f"identifier {item.identifier!r} used twice"
                )
            )
        seen[item.identifier] = index
    inside = set(seen) | {package.document.identifier}
    for index, assoc in enumerate(package.associations):
        if assoc.association_type != "isChildOf":
            continue
        for end, link in (
            ("originNodeURI", assoc.origin),
            ("destinationNodeURI", assoc.destination),
        ):
            if link.identifier not in inside:
                problems.append(
                    Problem(
                        f"$.CFAssociations[{index}].{end}",
                        f"isChildOf points to {link.identifier!r}, which is not in this framework",
                    )
                )
    return problems


def _link_json(link: Link) -> dict[str, Any]:
    out: dict[str, Any] = {"title": link.title, "identifier": link.identifier, "uri": link.uri}
    if link.target_type is not None:
        out["targetType"] = link.target_type
    return out


def _put(out: dict[str, Any], key: str, value: object) -> None:
    if value is not None and value != ():
        out[key] = list(value) if isinstance(value, tuple) else value


def export_package(package: CFPackage, *, standards_dir: Path | None = None) -> dict[str, Any]:
    """CASE 1.1 CFPackage JSON for ``package``; validated when ``standards_dir`` is given."""
    d = package.document
    document: dict[str, Any] = {
        "identifier": d.identifier,
        "uri": d.uri,
        "creator": d.creator,
        "title": d.title,
        "lastChangeDateTime": d.last_change,
    }
    _put(document, "language", d.language)
    _put(document, "subject", d.subject)
    _put(document, "version", d.version)
    _put(document, "adoptionStatus", d.adoption_status)
    document.update(copy.deepcopy(d.extra))
    document["caseVersion"] = "1.1"
    items = []
    for i in package.items:
        item: dict[str, Any] = {
            "identifier": i.identifier,
            "uri": i.uri,
            "fullStatement": i.full_statement,
            "lastChangeDateTime": i.last_change,
        }
        _put(item, "humanCodingScheme", i.code)
        _put(item, "abbreviatedStatement", i.abbreviated_statement)
        _put(item, "CFItemType", i.item_type)
        _put(item, "language", i.language)
        _put(item, "educationLevel", i.education_level)
        _put(item, "conceptKeywords", i.concept_keywords)
        _put(item, "listEnumeration", i.list_enumeration)
        item.update(copy.deepcopy(i.extra))
        items.append(item)
    associations = []
    for a in package.associations:
        assoc: dict[str, Any] = {
            "identifier": a.identifier,
            "associationType": a.association_type,
            "uri": a.uri,
            "originNodeURI": _link_json(a.origin),
            "destinationNodeURI": _link_json(a.destination),
            "lastChangeDateTime": a.last_change,
        }
        _put(assoc, "sequenceNumber", a.sequence_number)
        assoc.update(copy.deepcopy(a.extra))
        associations.append(assoc)
    out: dict[str, Any] = {"CFDocument": document, "CFItems": items, "CFAssociations": associations}
    if package.definitions:
        out["CFDefinitions"] = copy.deepcopy(package.definitions)
    if package.rubrics:
        out["CFRubrics"] = [copy.deepcopy(r) for r in package.rubrics]
    if package.extensions is not None:
        out["extensions"] = copy.deepcopy(package.extensions)
    if standards_dir is not None:
        problems = schema_problems(out, standards_dir)
        if problems:
            raise CaseError(problems, file="export")
    return out
