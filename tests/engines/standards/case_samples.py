"""A small CASE 1.1 framework written by the project for tests (paraphrased statements)."""

from __future__ import annotations

import copy
import uuid
from typing import Any

NS = uuid.UUID("6f1c7a52-2b1e-4d8e-9a43-0c1f5e0d7a10")
WHEN = "2026-11-01T00:00:00+00:00"
BASE = "https://edubridge.invalid/case/"


def uid(name: str) -> str:
    return str(uuid.uuid5(NS, name))


def _link(name: str, title: str) -> dict[str, str]:
    return {"title": title, "identifier": uid(name), "uri": BASE + uid(name)}


def _item(name: str, code: str, statement: str, kind: str, **more: Any) -> dict[str, Any]:
    return {
        "identifier": uid(name),
        "uri": BASE + uid(name),
        "fullStatement": statement,
        "humanCodingScheme": code,
        "CFItemType": kind,
        "language": "en",
        "lastChangeDateTime": WHEN,
        **more,
    }


def _assoc(
    name: str,
    kind: str,
    origin: dict[str, str],
    destination: dict[str, str],
    seq: int | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "identifier": uid(name),
        "associationType": kind,
        "uri": BASE + uid(name),
        "originNodeURI": origin,
        "destinationNodeURI": destination,
        "lastChangeDateTime": WHEN,
    }
    if seq is not None:
        out["sequenceNumber"] = seq
    return out


DOC = _link("doc", "Demo mathematics, grades 3-4")
DOMAIN = _link("oa", "Operations")
S1 = _link("oa1", "3.OA.1")
S2 = _link("oa2", "3.OA.2")
S3 = _link("oa3", "4.OA.1")
FOREIGN = {
    "title": "4.1.2",
    "identifier": uid("cn-4-1-2"),
    "uri": BASE + "cn/" + uid("cn-4-1-2"),
    "targetType": "CASE",
}

PACKAGE: dict[str, Any] = {
    "CFDocument": {
        "identifier": uid("doc"),
        "uri": DOC["uri"],
        "creator": "EduBridge demo",
        "title": DOC["title"],
        "lastChangeDateTime": WHEN,
        "language": "en",
        "subject": ["mathematics"],
        "adoptionStatus": "Draft",
        "caseVersion": "1.1",
        "notes": "Written for tests.",
    },
    "CFItems": [
        _item("oa", "OA", "Operations and algebraic thinking", "Domain"),
        _item(
            "oa3",
            "4.OA.1",
            "Read a multiplication equation as a comparison of quantities.",
            "Standard",
            educationLevel=["04"],
        ),
        _item(
            "oa1",
            "3.OA.1",
            "Interpret products of whole numbers as equal groups of objects.",
            "Standard",
            educationLevel=["03"],
            conceptKeywords=["multiplication"],
        ),
        _item(
            "oa2",
            "3.OA.2",
            "Interpret whole-number quotients as equal sharing of objects.",
            "Standard",
            educationLevel=["03"],
        ),
    ],
    "CFAssociations": [
        _assoc("a-oa", "isChildOf", DOMAIN, DOC, 1),
        _assoc("a-oa2", "isChildOf", S2, DOMAIN, 2),
        _assoc("a-oa1", "isChildOf", S1, DOMAIN, 1),
        _assoc("a-oa3", "isChildOf", S3, DOMAIN, 3),
        _assoc("x-prec", "precedes", S1, S3),
        _assoc("x-match", "exactMatchOf", S1, FOREIGN),
        _assoc("x-rel", "isRelatedTo", S2, FOREIGN),
        _assoc("x-peer", "isPeerOf", S3, FOREIGN),
    ],
    "CFDefinitions": {
        "CFItemTypes": [
            {
                "identifier": uid("type-standard"),
                "uri": BASE + uid("type-standard"),
                "title": "Standard",
                "description": "A statement learners should meet.",
                "hierarchyCode": "2",
                "lastChangeDateTime": WHEN,
            }
        ]
    },
}


def package() -> dict[str, Any]:
    return copy.deepcopy(PACKAGE)


def case_1_0_package() -> dict[str, Any]:
    """The same framework as a CASE 1.0 producer writes it (1.0-only reference fields)."""
    data = package()
    del data["CFDocument"]["caseVersion"]
    data["CFDocument"]["CFPackageURI"] = {
        "title": "pkg",
        "identifier": uid("doc"),
        "uri": DOC["uri"],
    }
    for item in data["CFItems"]:
        item["CFDocumentURI"] = {"title": DOC["title"], "identifier": uid("doc"), "uri": DOC["uri"]}
    return data
