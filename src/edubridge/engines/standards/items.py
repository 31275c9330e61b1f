"""The EduBridge JSON item format (``edubridge-item/1``): schema, validation, answer checks.

The JSON Schema ships inside the package (``schemas/item.schema.json``) and is the contract other
engines read; the checks here add what a schema cannot say (correct responses that name real
choices, template answers that compute the correct response, unique ids in a bank). Every problem
names its JSON path (``$.interaction.choices[1].id``) and what is wrong.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from edubridge.engines.standards.errors import ExpressionError, ItemFormatError, Problem
from edubridge.engines.standards.expression import (
    evaluate_exact,
    exact,
    expression_names,
)

ITEM_FORMAT = "edubridge-item/1"
BANK_FORMAT = "edubridge-bank/1"
INTERACTION_TYPES = (
    "choice",
    "multiple_response",
    "text_entry",
    "numeric_entry",
    "extended_text",
    "order",
    "match",
)
_NUMBER_IN_TEXT = re.compile(r"(?<![0-9.])[0-9]+(?:\.[0-9]+)?(?![0-9])")
RESERVED_VARIABLES = frozenset({"RESPONSE", "SCORE", "MAXSCORE", "FEEDBACK", "HINT"})

JsonObject = dict[str, Any]


@cache
def item_schema() -> JsonObject:
    """The item JSON Schema (draft 2020-12) shipped with the package."""
    text = (
        resources.files("edubridge.engines.standards")
        .joinpath("schemas/item.schema.json")
        .read_text(encoding="utf-8")
    )
    schema: JsonObject = json.loads(text)
    return schema


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(item_schema())


def _inline(node: Any, defs: Mapping[str, Any]) -> Any:
    """Replace local ``#/$defs/...`` references by their content (the schema has no cycles)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/") and len(node) == 1:
            return _inline(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline(v, defs) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


@cache
def _typed_validator(kind: str) -> Draft202012Validator:
    """The published schema specialised to one interaction type, with references inlined.

    It accepts exactly what the published schema accepts for items of that type, but skips the
    if/then dispatch and reference lookups, which made validation about three times slower.
    """
    schema = copy.deepcopy(item_schema())
    defs = schema.pop("$defs")
    schema["properties"]["interaction"] = defs[f"interaction_{kind}"]
    return Draft202012Validator(_inline(schema, defs))


def _validator_for(data: object) -> Draft202012Validator:
    if isinstance(data, dict):
        interaction = data.get("interaction")
        if isinstance(interaction, dict) and interaction.get("type") in INTERACTION_TYPES:
            return _typed_validator(str(interaction["type"]))
    return _validator()


def json_path(parts: Iterable[str | int], root: str = "$") -> str:
    """``["interaction", "choices", 1]`` -> ``$.interaction.choices[1]``."""
    out = root
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _schema_problem(error: ValidationError, root: str) -> Problem:
    # Descend into the most specific sub-error so "additionalProperties" inside an if/then
    # points at the offending key rather than at the whole interaction.
    best = error
    while best.context:
        best = min(best.context, key=lambda e: (-len(e.path), str(e.message)))
    where = json_path(best.absolute_path, root)
    message = best.message
    if best.validator == "additionalProperties":
        message = message.replace("Additional properties are not allowed", "unknown key(s)")
    elif best.validator == "not" and list(best.path) == []:
        message = "use either 'grade' or 'grade_band', not both"
    return Problem(where, message)


def item_problems(data: object, *, root: str = "$") -> list[Problem]:
    """Every problem with one item, each naming its JSON path; empty when the item is valid."""
    errors = sorted(_validator_for(data).iter_errors(data), key=lambda e: list(map(str, e.path)))
    problems = [_schema_problem(e, root) for e in errors]
    if problems or not isinstance(data, dict):
        return problems
    return _semantic_problems(data, root)


def validate_item(data: object, *, file: str | None = None) -> JsonObject:
    """Return ``data`` when it is a valid item, else raise :class:`ItemFormatError`."""
    problems = item_problems(data)
    if problems:
        raise ItemFormatError(problems, file=file)
    assert isinstance(data, dict)
    return data


def bank_items(data: object) -> tuple[list[object], str]:
    """The item list of a bank (array or ``edubridge-bank/1`` envelope) and its JSON path root."""
    if isinstance(data, list):
        return data, "$"
    if isinstance(data, dict) and data.get("format") == BANK_FORMAT:
        items = data.get("items")
        if not isinstance(items, list):
            raise ItemFormatError(Problem("$.items", "a bank needs an 'items' array"))
        return items, "$.items"
    if isinstance(data, dict) and data.get("format") == ITEM_FORMAT:
        return [data], ""
    raise ItemFormatError(
        Problem("$", f"expected an item, an array of items or a {BANK_FORMAT!r} object")
    )


def bank_problems(data: object) -> list[Problem]:
    """Every problem in a bank: item problems (paths like ``$.items[3].stem``) and duplicate ids."""
    try:
        items, root = bank_items(data)
    except ItemFormatError as exc:
        return exc.problems
    problems: list[Problem] = []
    if isinstance(data, dict) and root == "$.items":
        allowed = {"format", "id", "title", "language", "items", "description", "licence"}
        for key in sorted(set(data) - allowed):
            problems.append(Problem(f"$.{key}", "unknown key in bank"))
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        where = f"{root}[{index}]" if root else "$"
        problems.extend(item_problems(item, root=where))
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            if item["id"] in seen:
                problems.append(
                    Problem(
                        f"{where}.id",
                        f"duplicate id {item['id']!r} (first at index {seen[item['id']]})",
                    )
                )
            else:
                seen[item["id"]] = index
    return problems


def validate_bank(data: object, *, file: str | None = None) -> list[JsonObject]:
    """The items of a valid bank; raises :class:`ItemFormatError` listing every problem."""
    problems = bank_problems(data)
    if problems:
        raise ItemFormatError(problems, file=file)
    items, _ = bank_items(data)
    return [item for item in items if isinstance(item, dict)]


_INTERACTION_DEFAULTS: dict[str, dict[str, Any]] = {
    "choice": {"shuffle": False},
    "order": {"shuffle": False},
    "multiple_response": {"shuffle": False, "max_choices": 0},
    "match": {"shuffle": False, "max_associations": 0},
    "numeric_entry": {"tolerance": 0, "unit": None},
    "text_entry": {"case_sensitive": True},
    "extended_text": {},
}


def normalize_item(item: Mapping[str, Any]) -> JsonObject:
    """The canonical form of a valid item: defaults written out, empty optional parts dropped.

    Two items that mean the same thing have equal canonical forms; the QTI reader returns this
    form, so ``read(write(item)) == normalize_item(item)``.
    """
    out: JsonObject = copy.deepcopy(dict(item))
    interaction = out["interaction"]
    for key, value in _INTERACTION_DEFAULTS[interaction["type"]].items():
        interaction.setdefault(key, value)
    if not interaction.get("prompt"):
        interaction.pop("prompt", None)
    out["scoring"] = scoring_of(out)
    for key in ("feedback", "hints", "alignments", "metadata"):
        if key in out and not out[key]:
            del out[key]
    return out


def scoring_of(item: Mapping[str, Any]) -> JsonObject:
    """The item's scoring with defaults filled in (extended text defaults to ``human``)."""
    scoring = dict(item.get("scoring") or {})
    default = "human" if item["interaction"]["type"] == "extended_text" else "match_correct"
    scoring.setdefault("method", default)
    scoring.setdefault("max_score", 1)
    return scoring


# ---------------------------------------------------------------- semantic checks


def _semantic_problems(item: JsonObject, root: str) -> list[Problem]:
    problems: list[Problem] = []
    interaction = item["interaction"]
    kind = interaction["type"]
    values = item["correct_response"]["values"]
    vpath = f"{root}.correct_response.values"

    def add(where: str, message: str) -> None:
        problems.append(Problem(where, message))

    for key in ("choices", "source", "target"):
        ids = [c["id"] for c in interaction.get(key, [])]
        for index, cid in enumerate(ids):
            if cid in ids[:index]:
                add(f"{root}.interaction.{key}[{index}].id", f"duplicate choice id {cid!r}")
    if kind == "match":
        both = {c["id"] for c in interaction["source"]} & {c["id"] for c in interaction["target"]}
        if both:
            add(f"{root}.interaction", f"ids used in both source and target: {sorted(both)}")

    choice_ids = {c["id"] for c in interaction.get("choices", [])}
    if kind in ("choice", "multiple_response", "order"):
        for index, value in enumerate(values):
            if value not in choice_ids:
                add(f"{vpath}[{index}]", f"{value!r} is not one of the choice ids")
        if len(set(map(str, values))) != len(values):
            add(vpath, "a choice id is listed twice")
    if kind == "choice" and len(values) != 1:
        add(vpath, f"a choice item has exactly one correct choice, found {len(values)}")
    if kind == "multiple_response":
        if not values:
            add(vpath, "a multiple-response item needs at least one correct choice")
        limit = interaction.get("max_choices", 0)
        if limit and len(values) > limit:
            add(vpath, f"{len(values)} correct choices but max_choices is {limit}")
    if kind == "order" and set(values) != choice_ids and not problems:
        add(vpath, "an order response lists every choice id once, in the correct order")
    if kind == "match":
        sources = {c["id"] for c in interaction["source"]}
        targets = {c["id"] for c in interaction["target"]}
        for index, value in enumerate(values):
            parts = value.split(" ") if isinstance(value, str) else []
            if len(parts) != 2 or parts[0] not in sources or parts[1] not in targets:
                add(f"{vpath}[{index}]", f"{value!r} is not 'sourceId targetId'")
        limit = interaction.get("max_associations", 0)
        if limit and len(values) > limit:
            add(vpath, f"{len(values)} pairs but max_associations is {limit}")
    if kind == "numeric_entry" and (len(values) != 1 or not all(_is_number(v) for v in values)):
        add(vpath, "a numeric-entry item has exactly one number as its correct response")
    if kind == "text_entry" and (not values or not all(isinstance(v, str) and v for v in values)):
        add(vpath, "a text-entry item lists one or more accepted strings")
    if kind == "extended_text" and values:
        add(vpath, "an extended-text item has no correct response (it is scored by a person)")

    problems.extend(_scoring_problems(item, root))
    if "grade_band" in item and item["grade_band"]["min"] > item["grade_band"]["max"]:
        add(f"{root}.grade_band", "min is greater than max")
    at = (item.get("provenance") or {}).get("at")
    if isinstance(at, str) and not _is_datetime(at):
        add(f"{root}.provenance.at", f"{at!r} is not an ISO 8601 date-time")
    if "template" in item and not problems:
        problems.extend(template_problems(item, root=root))
    return problems


def _scoring_problems(item: JsonObject, root: str) -> list[Problem]:
    problems: list[Problem] = []
    kind = item["interaction"]["type"]
    scoring = scoring_of(item)
    where = f"{root}.scoring"
    method = scoring["method"]
    if method == "map_response" and not scoring.get("mapping"):
        problems.append(Problem(f"{where}.mapping", "map_response scoring needs a mapping"))
    if "mapping" in scoring and method != "map_response":
        problems.append(Problem(f"{where}.mapping", "a mapping is only used by map_response"))
    if kind == "extended_text" and method != "human":
        problems.append(Problem(f"{where}.method", "extended text is scored by a person: 'human'"))
    if method == "human" and kind != "extended_text":
        problems.append(Problem(f"{where}.method", "'human' scoring is for extended text only"))
    return problems


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_datetime(text: str) -> bool:
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in text


def stem_numbers(stem: str) -> list[Fraction]:
    """The numbers written literally in a stem, as exact fractions."""
    return [Fraction(m.group(0)) for m in _NUMBER_IN_TEXT.finditer(stem)]


def template_problems(item: Mapping[str, Any], *, root: str = "$") -> list[Problem]:
    """Checks that the template's variables are sane and its answer computes the correct response.

    The answer expression, evaluated exactly on the variables' current values, must equal
    ``correct_response.values[0]`` (within the numeric tolerance), and every current value must be
    written in the stem.
    """
    template = item["template"]
    where = f"{root}.template"
    problems: list[Problem] = []
    variables: Mapping[str, Any] = template["variables"]
    for name, var in variables.items():
        vwhere = f"{where}.variables.{name}"
        if name in RESERVED_VARIABLES:
            problems.append(Problem(vwhere, f"{name!r} is reserved for QTI outcomes"))
        value = var["value"]
        if var["type"] == "integer":
            for key in ("value", "min", "max", "step"):
                if key in var and exact(var[key]).denominator != 1:
                    problems.append(
                        Problem(f"{vwhere}.{key}", "an integer variable needs whole numbers")
                    )
        low, high = var.get("min"), var.get("max")
        if (low is None) != (high is None):
            problems.append(Problem(vwhere, "give both min and max, or neither"))
        elif low is not None and high is not None:
            if low > high:
                problems.append(Problem(vwhere, f"min {low} is greater than max {high}"))
            elif not low <= value <= high:
                problems.append(Problem(f"{vwhere}.value", f"{value} is outside [{low}, {high}]"))
            elif "step" in var and (exact(value) - exact(low)) % exact(var["step"]) != 0:
                problems.append(
                    Problem(f"{vwhere}.value", f"{value} is not min + a multiple of step")
                )
        if exact(value) not in stem_numbers(item["stem"]):
            problems.append(Problem(f"{vwhere}.value", f"{value} is not written in the stem"))
    try:
        names = expression_names(template["answer"])
    except ExpressionError as exc:
        return [*problems, Problem(f"{where}.answer", exc.problems[0].message)]
    unknown = sorted(names - set(variables))
    if unknown:
        problems.append(Problem(f"{where}.answer", f"unknown variable(s) {unknown}"))
    if problems:
        return problems
    problems.extend(answer_problems(item, root=root))
    return problems


def answer_problems(item: Mapping[str, Any], *, root: str = "$") -> list[Problem]:
    """Does the template answer evaluate to ``correct_response.values[0]``?"""
    template = item["template"]
    where = f"{root}.template.answer"
    interaction = item["interaction"]
    values = item["correct_response"]["values"]
    if interaction["type"] not in ("numeric_entry", "text_entry"):
        return [Problem(where, "a template answer needs a numeric or text entry interaction")]
    expected_raw = values[0] if values else None
    try:
        if isinstance(expected_raw, int | float) and not isinstance(expected_raw, bool):
            expected = exact(expected_raw)
        else:
            expected = Fraction(str(expected_raw))
    except (ValueError, TypeError, ZeroDivisionError):
        return [Problem(where, f"correct response {expected_raw!r} is not a number")]
    current = {name: var["value"] for name, var in template["variables"].items()}
    try:
        got = evaluate_exact(template["answer"], current, where=where)
    except ExpressionError as exc:
        return exc.problems
    tolerance = exact(interaction.get("tolerance", 0))
    if abs(got - expected) > tolerance:
        shown = int(got) if got.denominator == 1 else float(got)
        return [
            Problem(
                where,
                f"{template['answer']!r} gives {shown} with the current values, "
                f"but the correct response is {expected_raw}",
            )
        ]
    return []
