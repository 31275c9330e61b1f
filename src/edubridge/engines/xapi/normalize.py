"""What the store does to a valid statement before keeping it: arrays, ids, versions."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


def normalize_context_activities(statement: dict[str, Any]) -> None:
    """Single context activities become one-element arrays (the spec's canonical shape)."""
    for holder in (statement, statement.get("object", {})):
        context = holder.get("context") if isinstance(holder, dict) else None
        if isinstance(context, dict) and isinstance(context.get("contextActivities"), dict):
            activities = context["contextActivities"]
            for key, value in list(activities.items()):
                if isinstance(value, dict):
                    activities[key] = [value]


def activities_of(statement: Mapping[str, Any]) -> Iterator[tuple[Mapping[str, Any], bool]]:
    """Every Activity in a statement with whether it is the direct object (True) or related."""
    obj = statement.get("object", {})
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        yield obj, True
    elif kind == "SubStatement":
        for activity, _direct in activities_of(obj):
            yield activity, False
    context = statement.get("context")
    if isinstance(context, dict):
        for value in (context.get("contextActivities") or {}).values():
            for activity in value if isinstance(value, list) else [value]:
                yield activity, False


def agents_of(statement: Mapping[str, Any]) -> Iterator[tuple[Mapping[str, Any], bool]]:
    """Every Agent or Group with whether it is the actor or object (True) or otherwise related."""
    yield statement["actor"], True
    obj = statement.get("object", {})
    kind = obj.get("objectType", "Activity")
    if kind in ("Agent", "Group"):
        yield obj, True
    elif kind == "SubStatement":
        for agent, _direct in agents_of(obj):
            yield agent, False
    if "authority" in statement:
        yield statement["authority"], False
    context = statement.get("context")
    if isinstance(context, dict):
        for key in ("instructor", "team"):
            if key in context:
                yield context[key], False
        for party in context.get("contextAgents", []) or []:
            yield party["agent"], False
        for party in context.get("contextGroups", []) or []:
            yield party["group"], False
