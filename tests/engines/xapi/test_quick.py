"""The quick pre-check: it accepts only what the full validator accepts, and the common shape."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edubridge.engines.xapi.errors import XapiError
from edubridge.engines.xapi.quick import quick_accept
from edubridge.engines.xapi.validate import Validator, validate_statement

PRACTICE: dict[str, Any] = {
    "id": "3f1c2a5e-8d2b-4c1e-9a7f-2b6d8e0c4a11",
    "actor": {
        "objectType": "Agent",
        "account": {"homePage": "https://node.example.org", "name": "6a3e-learner"},
    },
    "verb": {
        "id": "http://adlnet.gov/expapi/verbs/answered",
        "display": {"en-US": "answered", "id": "menjawab"},
    },
    "object": {
        "objectType": "Activity",
        "id": "https://node.example.org/items/17",
        "definition": {
            "name": {"en": "Item 17", "id": "Soal 17"},
            "description": {"en": "Add fractions"},
            "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
            "moreInfo": "https://node.example.org/items/17/about",
            "interactionType": "numeric",
            "correctResponsesPattern": ["17"],
            "extensions": {"https://node.example.org/ext/skill": "fractions"},
        },
    },
    "result": {
        "score": {"raw": 7, "min": 0, "max": 10, "scaled": 0.7},
        "success": True,
        "completion": True,
        "response": "17",
        "duration": "PT42S",
        "extensions": {"https://node.example.org/ext/hints": 1},
    },
    "context": {
        "registration": "9b2f6c1d-0a4e-4f3b-8c2d-1e5f7a9b3c20",
        "contextActivities": {
            "parent": [{"id": "https://node.example.org/lessons/3"}],
            "grouping": {"id": "https://node.example.org/courses/1"},
        },
        "revision": "2",
        "platform": "EduBridge",
        "language": "id",
        "statement": {"objectType": "StatementRef", "id": "0b1c2a5e-8d2b-4c1e-9a7f-2b6d8e0c4a11"},
        "extensions": {"https://node.example.org/ext/attempt": 2},
    },
    "timestamp": "2026-11-05T10:11:12.345+07:00",
}

VERSIONS = ("1.0.3", "2.0.0")


def full_accepts(statement: Any, version: str) -> bool:
    try:
        Validator(version).statement(statement)
    except XapiError:
        return False
    return True


def test_the_common_practice_shape_takes_the_quick_path() -> None:
    assert quick_accept(PRACTICE, v2=True)
    assert quick_accept(PRACTICE, v2=False)
    assert full_accepts(PRACTICE, "2.0.0")


@pytest.mark.parametrize(
    "change",
    [
        {"actor": {"objectType": "Group", "member": [{"mbox": "mailto:a@example.org"}]}},
        {"actor": {"mbox_sha1sum": "a" * 40}},
        {"context": {"instructor": {"mbox": "mailto:teacher@example.org"}}},
        {"authority": {"mbox": "mailto:client@example.org"}},
        {"version": "1.0.0"},
        {"attachments": []},
    ],
)
def test_rarer_shapes_go_to_the_full_validator_and_are_still_valid(change: dict[str, Any]) -> None:
    statement = {**copy.deepcopy(PRACTICE), **change}
    assert not quick_accept(statement, v2=True)
    validate_statement(statement, version="2.0.0")  # valid, through the full validator


@pytest.mark.parametrize(
    ("path", "value", "failing"),
    [
        (("verb", "id"), "answered", "$.verb.id"),
        (("result", "score", "raw"), 11, "$.result.score.raw"),
        (("result", "score", "scaled"), True, "$.result.score.scaled"),
        (("result", "score", "min"), 10**400, "$.result.score.min"),
        (("result", "duration"), "42 seconds", "$.result.duration"),
        (("context", "language"), "not a tag!", "$.context.language"),
        (("timestamp",), "2026-11-05T10:11:12-00:00", "$.timestamp"),
        (("timestamp",), "2026-02-30T10:11:12Z", "$.timestamp"),
        (("object", "definition", "interactionType"), "essay", "$.object.definition"),
    ],
)
def test_errors_still_name_their_path(path: tuple[str, ...], value: Any, failing: str) -> None:
    statement = copy.deepcopy(PRACTICE)
    holder: Any = statement
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = value
    assert not quick_accept(statement, v2=True)
    with pytest.raises(XapiError) as caught:
        validate_statement(statement, version="2.0.0")
    assert caught.value.path.startswith(failing)


def test_voiding_needs_a_statement_ref_even_on_the_quick_path() -> None:
    statement = copy.deepcopy(PRACTICE)
    statement["verb"] = {"id": "http://adlnet.gov/expapi/verbs/voided"}
    assert not quick_accept(statement, v2=True)
    assert not full_accepts(statement, "2.0.0")
    del statement["context"]["revision"], statement["context"]["platform"]
    statement["object"] = {
        "objectType": "StatementRef",
        "id": PRACTICE["context"]["statement"]["id"],
    }
    assert quick_accept(statement, v2=True)
    assert full_accepts(statement, "2.0.0")


JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            "",
            "x",
            "mailto:a@example.org",
            "http://example.org/a",
            "not an iri",
            "en-US",
            "PT1.5S",
            "P",
            "Activity",
            "Agent",
            "StatementRef",
            "numeric",
            "3f1c2a5e-8d2b-4c1e-9a7f-2b6d8e0c4a11",
            "2026-11-05T10:11:12Z",
            "2026-13-05T10:11:12Z",
        ]
    ),
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            out.extend(_paths(child, (*prefix, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            out.extend(_paths(child, (*prefix, index)))
    return out


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_quick_accepts_nothing_the_full_validator_refuses(data: st.DataObject) -> None:
    statement: Any = copy.deepcopy(PRACTICE)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        paths = _paths(statement)
        path = data.draw(st.sampled_from(paths))
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if not path:
            statement = data.draw(JSON_VALUES) if action == "replace" else statement
            continue
        holder = statement
        for key in path[:-1]:
            holder = holder[key]
        if action == "replace":
            holder[path[-1]] = data.draw(JSON_VALUES)
        elif action == "delete":
            del holder[path[-1]]
        elif isinstance(holder, dict):
            holder[
                data.draw(st.text(max_size=12) | st.sampled_from(["objectType", "name", "id"]))
            ] = data.draw(JSON_VALUES)
    for version in VERSIONS:
        if quick_accept(statement, v2=version == "2.0.0"):
            assert full_accepts(statement, version), statement
