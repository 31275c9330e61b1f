"""The three statement formats of GET /statements: exact, ids and canonical."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

IFI_KEYS = ("mbox", "mbox_sha1sum", "openid", "account")
_COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")


def _agent_ids(agent: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "objectType" in agent:
        out["objectType"] = agent["objectType"]
    identified = False
    for key in IFI_KEYS:
        if key in agent:
            out[key] = agent[key]
            identified = True
    if agent.get("objectType") == "Group" and not identified and "member" in agent:
        out["member"] = [_agent_ids(m) for m in agent["member"]]
    return out


def _object_ids(obj: Mapping[str, Any]) -> dict[str, Any]:
    kind = obj.get("objectType", "Activity")
    if kind in ("Agent", "Group"):
        return _agent_ids(obj)
    if kind == "SubStatement":
        return _statement_ids(obj)
    if kind == "Activity":
        return {"id": obj["id"]}
    return {"objectType": kind, "id": obj["id"]}


def _statement_ids(statement: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(statement)
    out["actor"] = _agent_ids(statement["actor"])
    out["verb"] = {"id": statement["verb"]["id"]}
    out["object"] = _object_ids(statement["object"])
    if "authority" in statement:
        out["authority"] = _agent_ids(statement["authority"])
    context = statement.get("context")
    if isinstance(context, dict):
        context = dict(context)
        for key in ("instructor", "team"):
            if key in context:
                context[key] = _agent_ids(context[key])
        if "contextActivities" in context:
            context["contextActivities"] = {
                k: [{"id": a["id"]} for a in v] for k, v in context["contextActivities"].items()
            }
        out["context"] = context
    return out


def ids_format(statement: Mapping[str, Any]) -> dict[str, Any]:
    """Agents, Groups, Activities and Verbs reduced to their identifiers."""
    return _statement_ids(statement)


def pick_language(languages: list[str], available: list[str]) -> str | None:
    """First of the preferred languages the map has (exact, then by primary subtag)."""
    if not available:
        return None
    lowered = {tag.lower(): tag for tag in available}
    for wanted in languages:
        wanted_l = wanted.lower()
        if wanted_l == "*":
            return available[0]
        if wanted_l in lowered:
            return lowered[wanted_l]
        for tag_l, tag in lowered.items():
            if tag_l.split("-")[0] == wanted_l.split("-")[0]:
                return tag
    return available[0]


def _one_language(mapping: Any, languages: list[str]) -> Any:
    if not isinstance(mapping, dict) or not mapping:
        return mapping
    chosen = pick_language(languages, list(mapping))
    return {chosen: mapping[chosen]} if chosen is not None else mapping


def _canonical_definition(definition: dict[str, Any], languages: list[str]) -> None:
    for key in ("name", "description"):
        if key in definition:
            definition[key] = _one_language(definition[key], languages)
    for key in _COMPONENT_LISTS:
        for component in definition.get(key, []) or []:
            if "description" in component:
                component["description"] = _one_language(component["description"], languages)


def _canonical_activity(activity: dict[str, Any], languages: list[str]) -> None:
    if isinstance(activity.get("definition"), dict):
        _canonical_definition(activity["definition"], languages)


def _canonical_statement(statement: dict[str, Any], languages: list[str]) -> None:
    if "display" in statement.get("verb", {}):
        statement["verb"]["display"] = _one_language(statement["verb"]["display"], languages)
    obj = statement.get("object", {})
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        _canonical_activity(obj, languages)
    elif kind == "SubStatement":
        _canonical_statement(obj, languages)
    context = statement.get("context")
    if isinstance(context, dict):
        for activities in (context.get("contextActivities") or {}).values():
            for activity in activities:
                _canonical_activity(activity, languages)
    for attachment in statement.get("attachments", []) or []:
        for key in ("display", "description"):
            if key in attachment:
                attachment[key] = _one_language(attachment[key], languages)


def canonical_format(
    statement: Mapping[str, Any],
    languages: list[str],
    definitions: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """Language maps reduced to one language; activities carry the store's canonical definition."""
    out = copy.deepcopy(dict(statement))
    if definitions:
        _apply_definitions(out, definitions)
    _canonical_statement(out, languages)
    return out


def _apply_definitions(
    statement: dict[str, Any], definitions: Mapping[str, Mapping[str, Any]]
) -> None:
    def apply(activity: dict[str, Any]) -> None:
        known = definitions.get(activity.get("id", ""))
        if known:
            activity["definition"] = copy.deepcopy(dict(known))

    obj = statement.get("object", {})
    if obj.get("objectType", "Activity") == "Activity":
        apply(obj)
    context = statement.get("context")
    if isinstance(context, dict):
        for activities in (context.get("contextActivities") or {}).values():
            for activity in activities:
                apply(activity)


def accept_languages(header: str) -> list[str]:
    """Parse Accept-Language into tags ordered by preference (q descending)."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        piece = part.strip()
        if not piece:
            continue
        tag, _, params = piece.partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        weighted.append((-quality, position, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]
