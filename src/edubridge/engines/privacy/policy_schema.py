"""JSON Schema (draft 2020-12) for export policy files, kept beside the code that reads them."""

from __future__ import annotations

from typing import Any

DATA_CLASSES = ("public", "internal", "personal", "sensitive", "minor-sensitive", "secret")
APPROVALS = ("none", "data-steward", "data-protection-officer", "authority")

_NAME = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}
_COUNTRY = {"type": "string", "pattern": "^[A-Z]{2}$|^EU$"}
_DESTINATION = {"type": "string", "pattern": r"^\*$|^@[a-z][a-z0-9-]*$|^[A-Z]{2}$|^EU$"}

_PROTECTION: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "minProperties": 1,
    "properties": {
        "pseudonymized": {"const": True},
        "k_anonymity": {
            "type": "object",
            "additionalProperties": False,
            "required": ["k"],
            "properties": {
                "k": {"type": "integer", "minimum": 2},
                "l": {"type": "integer", "minimum": 2},
            },
        },
        "differential_privacy": {
            "type": "object",
            "additionalProperties": False,
            "required": ["max_epsilon"],
            "properties": {"max_epsilon": {"type": "number", "exclusiveMinimum": 0}},
        },
    },
}

POLICY_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "EduBridge export policy",
    "type": "object",
    "additionalProperties": False,
    "required": [
        "schema",
        "id",
        "version",
        "title",
        "jurisdiction",
        "home",
        "example",
        "disclaimer",
        "rules",
    ],
    "properties": {
        "schema": {"const": "edubridge-export-policy/1"},
        "id": _NAME,
        "version": {"type": "string", "minLength": 1},
        "title": {"type": "string", "minLength": 1},
        "jurisdiction": _COUNTRY,
        "source": {"type": "string"},
        "home": {"type": "array", "items": _COUNTRY, "minItems": 1, "uniqueItems": True},
        "example": {"type": "boolean"},
        "disclaimer": {"type": "string", "minLength": 1},
        "destination_groups": {
            "type": "object",
            "propertyNames": {"pattern": "^[a-z][a-z0-9-]*$", "not": {"enum": ["home", "abroad"]}},
            "additionalProperties": {"type": "array", "items": _COUNTRY, "uniqueItems": True},
        },
        "rules": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "id",
                    "effect",
                    "description",
                    "cites",
                    "data_classes",
                    "destinations",
                    "purposes",
                ],
                "properties": {
                    "id": _NAME,
                    "effect": {"enum": ["allow", "deny"]},
                    "description": {"type": "string", "minLength": 1},
                    "cites": {"type": "string", "minLength": 1},
                    "data_classes": {
                        "type": "array",
                        "minItems": 1,
                        "uniqueItems": True,
                        "items": {"enum": list(DATA_CLASSES)},
                    },
                    "destinations": {
                        "type": "array",
                        "minItems": 1,
                        "uniqueItems": True,
                        "items": _DESTINATION,
                    },
                    "purposes": {
                        "type": "array",
                        "minItems": 1,
                        "uniqueItems": True,
                        "items": {"type": "string", "pattern": r"^\*$|^[a-z][a-z0-9-]*$"},
                    },
                    "protections_any_of": {"type": "array", "items": _PROTECTION},
                    "unless_any_of": {"type": "array", "minItems": 1, "items": _PROTECTION},
                    "approval": {"enum": list(APPROVALS)},
                    "conditions": {"type": "array", "items": {"type": "string", "minLength": 1}},
                },
                "allOf": [
                    {
                        "if": {"properties": {"effect": {"const": "allow"}}},
                        "then": {
                            "required": ["approval"],
                            "not": {"required": ["unless_any_of"]},
                        },
                        "else": {
                            "not": {
                                "anyOf": [
                                    {"required": ["protections_any_of"]},
                                    {"required": ["approval"]},
                                ]
                            }
                        },
                    }
                ],
            },
        },
    },
}
