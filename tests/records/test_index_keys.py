"""The short paths of ``index_keys`` and ``_activities`` give what the general walks give."""

from __future__ import annotations

from typing import Any

import pytest

from edubridge.engines.xapi.normalize import activities_of
from edubridge.records.ingest import _activities, _index_keys, index_keys
from tests.records.conftest import statement

HOME = "http://node.example"
AUTHORITY = {"objectType": "Agent", "account": {"homePage": HOME, "name": "client"}}


def _practice(**overrides: Any) -> dict[str, Any]:
    """A practice answer as the node writes it, with the store's authority."""
    properties: dict[str, Any] = {
        "actor": {"objectType": "Agent", "account": {"homePage": HOME, "name": "learner-1"}},
        "context": {
            "registration": "3F1C2A5E-8D2B-4C1E-9A7F-2B6D8E0C4A11",
            "contextActivities": {
                "parent": [{"id": f"{HOME}/lessons/1"}],
                "grouping": [{"id": f"{HOME}/courses/1"}, {"id": "http://example.org/items/1"}],
            },
        },
        "authority": AUTHORITY,
    }
    return statement(**{**properties, **overrides})


SHAPES = {
    "practice answer": _practice(),
    "no context": statement(authority=AUTHORITY),
    "no authority": statement(),
    "object also a context activity": _practice(
        context={"contextActivities": {"other": [{"id": "http://example.org/items/1"}]}}
    ),
    "single context activity": statement(
        context={"contextActivities": {"category": {"id": "http://example.org/c"}}}
    ),
    "actor also the authority": _practice(
        actor={"mbox": "mailto:ana@example.org"}, authority={"mbox": "mailto:ana@example.org"}
    ),
    "group authority": _practice(
        authority={
            "objectType": "Group",
            "member": [{"mbox": "mailto:a@example.org"}, {"mbox": "mailto:b@example.org"}],
        }
    ),
    "instructor": statement(context={"instructor": {"mbox": "mailto:t@example.org"}}),
    "agent object": statement(object={"objectType": "Agent", "mbox": "mailto:b@example.org"}),
    "sub-statement": statement(
        object={
            "objectType": "SubStatement",
            "actor": {"mbox": "mailto:b@example.org"},
            "verb": {"id": "http://example.org/v"},
            "object": {"id": "http://example.org/inner"},
            "context": {"contextActivities": {"parent": [{"id": "http://example.org/p"}]}},
        },
        context={"contextActivities": {"other": [{"id": "http://example.org/o"}]}},
    ),
    "statement ref": statement(
        object={"objectType": "StatementRef", "id": "0b1c2a5e-8d2b-4c1e-9a7f-2b6d8e0c4a11"}
    ),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_index_keys_match_the_general_derivation(shape: str) -> None:
    assert index_keys(SHAPES[shape]) == _index_keys(SHAPES[shape])


def test_a_key_that_is_both_direct_and_related_is_direct() -> None:
    keys = index_keys(_practice())
    assert sum(keys.values()) == 4  # actor, object, verb, registration
    assert len(keys) == 7  # + authority, lesson, course (the item is the object already)


@pytest.mark.parametrize("shape", list(SHAPES))
def test_the_activities_of_a_statement_are_those_of_the_general_walk(shape: str) -> None:
    assert _activities(SHAPES[shape]) == [a for a, _direct in activities_of(SHAPES[shape])]
