"""Statement validation: the first broken rule raises XapiError naming its JSON path.

Written from the xAPI 1.0.3 Data chapter and IEEE 9274.1.1 (xAPI 2.0) section 4.2. Keys the
version does not define are refused, because an LRS must not silently drop data it was sent.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from edubridge.engines.xapi.errors import XapiError
from edubridge.engines.xapi.quick import quick_accept
from edubridge.engines.xapi.syntax import (
    INTERACTION_TYPES,
    MIME_RE,
    SHA1_RE,
    VOIDED_VERB,
    is_duration,
    is_iri,
    is_language_tag,
    is_uuid,
    parse_timestamp,
)

SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"
# Which component lists each interaction type may carry.
COMPONENTS_FOR = {
    "choice": {"choices"},
    "sequencing": {"choices"},
    "likert": {"scale"},
    "matching": {"source", "target"},
    "performance": {"steps"},
}
IFI_KEYS = ("mbox", "mbox_sha1sum", "openid", "account")


def _fail(path: str, message: str) -> XapiError:
    return XapiError(path, message)


def _object(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise _fail(path, "must be a JSON object")
    return value


def _allowed(obj: Mapping[str, Any], path: str, allowed: set[str] | frozenset[str]) -> None:
    for key in obj:
        if key not in allowed:
            raise _fail(f"{path}.{key}", "is not a property allowed here")


def _string(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise _fail(path, "must be a string")
    return value


def _iri(value: Any, path: str) -> str:
    if not is_iri(value):
        raise _fail(path, "must be an IRI (absolute, with a scheme)")
    return str(value)


def _bool(value: Any, path: str) -> None:
    if not isinstance(value, bool):
        raise _fail(path, "must be true or false")


def _number(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(path, "must be a number")
    try:
        number = float(value)
    except OverflowError:  # an integer too large for a double
        raise _fail(path, "must be a number within the range of a double") from None
    if not math.isfinite(number):
        raise _fail(path, "must be a number")
    return number


def language_map(value: Any, path: str) -> None:
    obj = _object(value, path)
    for tag, text in obj.items():
        if not is_language_tag(tag):
            raise _fail(f"{path}.{tag}", "key must be an RFC 5646 language tag")
        _string(text, f"{path}.{tag}")


def extensions(value: Any, path: str) -> None:
    obj = _object(value, path)
    for key in obj:
        _iri(key, f"{path}[{key!r}]")


def timestamp(value: Any, path: str) -> None:
    text = _string(value, path)
    try:
        parse_timestamp(text)
    except ValueError as exc:
        raise _fail(path, f"must be an ISO 8601 timestamp ({exc})") from exc


class Validator:
    """Validates one statement for one xAPI version ("1.0.3" or "2.0.0")."""

    def __init__(self, version: str) -> None:
        self.v2 = version.startswith("2.")

    # -- agents ---------------------------------------------------------------------------
    def ifi(self, obj: Mapping[str, Any], path: str, *, required: bool) -> None:
        present = [k for k in IFI_KEYS if k in obj]
        if len(present) > 1:
            raise _fail(path, f"must carry exactly one identifier, found {', '.join(present)}")
        if not present:
            if required:
                raise _fail(path, "needs one identifier: mbox, mbox_sha1sum, openid or account")
            return
        key = present[0]
        value = obj[key]
        where = f"{path}.{key}"
        if key == "mbox":
            text = _string(value, where)
            if not text.startswith("mailto:") or "@" not in text[7:]:
                raise _fail(where, "must be a mailto: IRI with an email address")
        elif key == "mbox_sha1sum":
            if not isinstance(value, str) or not SHA1_RE.match(value):
                raise _fail(where, "must be a hex-encoded SHA-1 hash")
        elif key == "openid":
            _iri(value, where)
        else:
            account = _object(value, where)
            _allowed(account, where, {"homePage", "name"})
            if "homePage" not in account:
                raise _fail(f"{where}.homePage", "is required")
            _iri(account["homePage"], f"{where}.homePage")
            if "name" not in account:
                raise _fail(f"{where}.name", "is required")
            _string(account["name"], f"{where}.name")

    def agent(self, value: Any, path: str, *, object_type_required: bool = False) -> None:
        obj = _object(value, path)
        object_type = obj.get("objectType", None if not object_type_required else "")
        if object_type not in (None, "Agent"):
            raise _fail(f"{path}.objectType", "must be 'Agent'")
        _allowed(obj, path, {"objectType", "name", *IFI_KEYS})
        if "name" in obj:
            _string(obj["name"], f"{path}.name")
        self.ifi(obj, path, required=True)

    def group(self, value: Any, path: str) -> None:
        obj = _object(value, path)
        if obj.get("objectType") != "Group":
            raise _fail(f"{path}.objectType", "must be 'Group'")
        _allowed(obj, path, {"objectType", "name", "member", *IFI_KEYS})
        if "name" in obj:
            _string(obj["name"], f"{path}.name")
        identified = any(k in obj for k in IFI_KEYS)
        self.ifi(obj, path, required=False)
        if "member" in obj:
            members = obj["member"]
            if not isinstance(members, list):
                raise _fail(f"{path}.member", "must be an array of Agents")
            if not identified and not members:
                raise _fail(f"{path}.member", "an anonymous Group needs at least one member")
            for i, member in enumerate(members):
                where = f"{path}.member[{i}]"
                if isinstance(member, dict) and member.get("objectType") == "Group":
                    raise _fail(f"{where}.objectType", "a Group member must be an Agent")
                self.agent(member, where)
        elif not identified:
            raise _fail(f"{path}.member", "an anonymous Group needs a member list")

    def actor(self, value: Any, path: str) -> None:
        obj = _object(value, path)
        if obj.get("objectType") == "Group":
            self.group(obj, path)
        else:
            self.agent(obj, path)

    # -- verb and object --------------------------------------------------------------------
    def verb(self, value: Any, path: str) -> None:
        obj = _object(value, path)
        _allowed(obj, path, {"id", "display"})
        if "id" not in obj:
            raise _fail(f"{path}.id", "is required")
        _iri(obj["id"], f"{path}.id")
        if "display" in obj:
            language_map(obj["display"], f"{path}.display")

    def components(self, value: Any, path: str) -> None:
        if not isinstance(value, list):
            raise _fail(path, "must be an array of interaction components")
        seen: set[str] = set()
        for i, component in enumerate(value):
            where = f"{path}[{i}]"
            obj = _object(component, where)
            _allowed(obj, where, {"id", "description"})
            if "id" not in obj:
                raise _fail(f"{where}.id", "is required")
            ident = _string(obj["id"], f"{where}.id")
            if not ident.strip():
                raise _fail(f"{where}.id", "must not be empty")
            if ident in seen:
                raise _fail(f"{where}.id", "must be unique within the list")
            seen.add(ident)
            if "description" in obj:
                language_map(obj["description"], f"{where}.description")

    def definition(self, value: Any, path: str) -> None:
        obj = _object(value, path)
        lists = {"choices", "scale", "source", "target", "steps"}
        _allowed(
            obj,
            path,
            {
                "name",
                "description",
                "type",
                "moreInfo",
                "extensions",
                "interactionType",
                "correctResponsesPattern",
                *lists,
            },
        )
        for key in ("name", "description"):
            if key in obj:
                language_map(obj[key], f"{path}.{key}")
        for key in ("type", "moreInfo"):
            if key in obj:
                _iri(obj[key], f"{path}.{key}")
        if "extensions" in obj:
            extensions(obj["extensions"], f"{path}.extensions")
        interaction = obj.get("interactionType")
        if "interactionType" in obj and (
            not isinstance(interaction, str) or interaction not in INTERACTION_TYPES
        ):
            raise _fail(f"{path}.interactionType", "is not an xAPI interaction type")
        if "correctResponsesPattern" in obj:
            if interaction is None:
                raise _fail(f"{path}.correctResponsesPattern", "needs an interactionType")
            pattern = obj["correctResponsesPattern"]
            if not isinstance(pattern, list):
                raise _fail(f"{path}.correctResponsesPattern", "must be an array of strings")
            for i, item in enumerate(pattern):
                _string(item, f"{path}.correctResponsesPattern[{i}]")
        for key in lists & set(obj):
            if interaction is None:
                raise _fail(f"{path}.{key}", "needs an interactionType")
            if key not in COMPONENTS_FOR.get(str(interaction), set()):
                raise _fail(f"{path}.{key}", f"is not allowed for interactionType {interaction}")
            self.components(obj[key], f"{path}.{key}")

    def activity(self, value: Any, path: str) -> None:
        obj = _object(value, path)
        if obj.get("objectType", "Activity") != "Activity":
            raise _fail(f"{path}.objectType", "must be 'Activity'")
        _allowed(obj, path, {"objectType", "id", "definition"})
        if "id" not in obj:
            raise _fail(f"{path}.id", "is required")
        _iri(obj["id"], f"{path}.id")
        if "definition" in obj:
            self.definition(obj["definition"], f"{path}.definition")

    def statement_ref(self, value: Any, path: str) -> None:
        obj = _object(value, path)
        if obj.get("objectType") != "StatementRef":
            raise _fail(f"{path}.objectType", "must be 'StatementRef'")
        _allowed(obj, path, {"objectType", "id"})
        if not is_uuid(obj.get("id")):
            raise _fail(f"{path}.id", "must be a UUID")

    def object(self, value: Any, path: str, *, in_substatement: bool = False) -> None:
        obj = _object(value, path)
        kind = obj.get("objectType", "Activity")
        if kind == "Activity":
            self.activity(obj, path)
        elif kind == "Agent":
            self.agent(obj, path)
        elif kind == "Group":
            self.group(obj, path)
        elif kind == "StatementRef":
            self.statement_ref(obj, path)
        elif kind == "SubStatement":
            if in_substatement:
                raise _fail(f"{path}.objectType", "a SubStatement must not contain a SubStatement")
            self.substatement(obj, path)
        else:
            raise _fail(f"{path}.objectType", "is not a known objectType")

    # -- result and context -----------------------------------------------------------------
    def result(self, value: Any, path: str) -> None:
        obj = _object(value, path)
        _allowed(
            obj, path, {"score", "success", "completion", "response", "duration", "extensions"}
        )
        if "score" in obj:
            self.score(obj["score"], f"{path}.score")
        for key in ("success", "completion"):
            if key in obj:
                _bool(obj[key], f"{path}.{key}")
        if "response" in obj:
            _string(obj["response"], f"{path}.response")
        if "duration" in obj and not is_duration(obj["duration"]):
            raise _fail(f"{path}.duration", "must be an ISO 8601 duration")
        if "extensions" in obj:
            extensions(obj["extensions"], f"{path}.extensions")

    def score(self, value: Any, path: str) -> None:
        obj = _object(value, path)
        _allowed(obj, path, {"scaled", "raw", "min", "max"})
        numbers = {
            k: _number(obj[k], f"{path}.{k}") for k in ("scaled", "raw", "min", "max") if k in obj
        }
        if "scaled" in numbers and not -1 <= numbers["scaled"] <= 1:
            raise _fail(f"{path}.scaled", "must be between -1 and 1")
        low, high = numbers.get("min"), numbers.get("max")
        if low is not None and high is not None and low >= high:
            raise _fail(f"{path}.max", "must be greater than min")
        raw = numbers.get("raw")
        if raw is not None and low is not None and raw < low:
            raise _fail(f"{path}.raw", "must not be below min")
        if raw is not None and high is not None and raw > high:
            raise _fail(f"{path}.raw", "must not be above max")

    def context(self, value: Any, path: str, statement_object: Mapping[str, Any]) -> None:
        obj = _object(value, path)
        allowed = {
            "registration",
            "instructor",
            "team",
            "contextActivities",
            "revision",
            "platform",
            "language",
            "statement",
            "extensions",
        }
        if self.v2:
            allowed |= {"contextAgents", "contextGroups"}
        _allowed(obj, path, allowed)
        if "registration" in obj and not is_uuid(obj["registration"]):
            raise _fail(f"{path}.registration", "must be a UUID")
        if "instructor" in obj:
            self.actor(obj["instructor"], f"{path}.instructor")
        if "team" in obj:
            self.group(obj["team"], f"{path}.team")
        if "contextActivities" in obj:
            self.context_activities(obj["contextActivities"], f"{path}.contextActivities")
        is_activity = statement_object.get("objectType", "Activity") == "Activity"
        for key in ("revision", "platform"):
            if key in obj:
                _string(obj[key], f"{path}.{key}")
                if not is_activity:
                    raise _fail(f"{path}.{key}", "is only allowed when the object is an Activity")
        if "language" in obj and not is_language_tag(obj["language"]):
            raise _fail(f"{path}.language", "must be an RFC 5646 language tag")
        if "statement" in obj:
            self.statement_ref(obj["statement"], f"{path}.statement")
        if "extensions" in obj:
            extensions(obj["extensions"], f"{path}.extensions")
        for key, kind, inner in (
            ("contextAgents", "contextAgent", "agent"),
            ("contextGroups", "contextGroup", "group"),
        ):
            if key in obj:
                self.context_parties(obj[key], f"{path}.{key}", kind, inner)

    def context_parties(self, value: Any, path: str, kind: str, inner: str) -> None:
        if not isinstance(value, list):
            raise _fail(path, "must be an array")
        for i, item in enumerate(value):
            where = f"{path}[{i}]"
            obj = _object(item, where)
            _allowed(obj, where, {"objectType", inner, "relevantTypes"})
            if obj.get("objectType") != kind:
                raise _fail(f"{where}.objectType", f"must be '{kind}'")
            if inner not in obj:
                raise _fail(f"{where}.{inner}", "is required")
            if inner == "agent":
                self.agent(obj[inner], f"{where}.agent")
            else:
                self.group(obj[inner], f"{where}.group")
            if "relevantTypes" in obj:
                types = obj["relevantTypes"]
                if not isinstance(types, list) or not types:
                    raise _fail(f"{where}.relevantTypes", "must be a non-empty array of IRIs")
                for j, iri in enumerate(types):
                    _iri(iri, f"{where}.relevantTypes[{j}]")

    def context_activities(self, value: Any, path: str) -> None:
        obj = _object(value, path)
        _allowed(obj, path, {"parent", "grouping", "category", "other"})
        for key, activities in obj.items():
            where = f"{path}.{key}"
            if isinstance(activities, dict):
                self.activity(activities, where)
            elif isinstance(activities, list):
                for i, activity in enumerate(activities):
                    self.activity(activity, f"{where}[{i}]")
            else:
                raise _fail(where, "must be an Activity or an array of Activities")

    def attachments(self, value: Any, path: str) -> None:
        if not isinstance(value, list):
            raise _fail(path, "must be an array")
        for i, item in enumerate(value):
            where = f"{path}[{i}]"
            obj = _object(item, where)
            _allowed(
                obj,
                where,
                {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"},
            )
            for key in ("usageType", "display", "contentType", "length", "sha2"):
                if key not in obj:
                    raise _fail(f"{where}.{key}", "is required")
            _iri(obj["usageType"], f"{where}.usageType")
            language_map(obj["display"], f"{where}.display")
            if "description" in obj:
                language_map(obj["description"], f"{where}.description")
            if not isinstance(obj["contentType"], str) or not MIME_RE.match(obj["contentType"]):
                raise _fail(f"{where}.contentType", "must be an Internet media type")
            length = obj["length"]
            if isinstance(length, bool) or not isinstance(length, int) or length < 0:
                raise _fail(f"{where}.length", "must be a non-negative integer")
            _string(obj["sha2"], f"{where}.sha2")
            if "fileUrl" in obj:
                _iri(obj["fileUrl"], f"{where}.fileUrl")

    # -- statements -------------------------------------------------------------------------
    def substatement(self, value: Any, path: str) -> None:
        obj = _object(value, path)
        for key in ("id", "stored", "version", "authority"):
            if key in obj:
                raise _fail(f"{path}.{key}", "is not allowed in a SubStatement")
        _allowed(
            obj,
            path,
            {
                "objectType",
                "actor",
                "verb",
                "object",
                "result",
                "context",
                "timestamp",
                "attachments",
            },
        )
        self._core(obj, path, in_substatement=True)

    def _core(self, obj: Mapping[str, Any], path: str, *, in_substatement: bool) -> None:
        for key in ("actor", "verb", "object"):
            if key not in obj:
                raise _fail(f"{path}.{key}", "is required")
        self.actor(obj["actor"], f"{path}.actor")
        self.verb(obj["verb"], f"{path}.verb")
        self.object(obj["object"], f"{path}.object", in_substatement=in_substatement)
        if "result" in obj:
            self.result(obj["result"], f"{path}.result")
        if "context" in obj:
            self.context(obj["context"], f"{path}.context", obj["object"])
        if "timestamp" in obj:
            timestamp(obj["timestamp"], f"{path}.timestamp")
        if "attachments" in obj:
            self.attachments(obj["attachments"], f"{path}.attachments")

    def statement(self, value: Any, path: str = "$") -> None:
        obj = _object(value, path)
        _allowed(
            obj,
            path,
            {
                "id",
                "actor",
                "verb",
                "object",
                "result",
                "context",
                "timestamp",
                "stored",
                "authority",
                "version",
                "attachments",
            },
        )
        if "id" in obj and not is_uuid(obj["id"]):
            raise _fail(f"{path}.id", "must be a UUID")
        self._core(obj, path, in_substatement=False)
        if "stored" in obj:
            timestamp(obj["stored"], f"{path}.stored")
        if "authority" in obj:
            self.authority(obj["authority"], f"{path}.authority")
        if "version" in obj:
            self.version(obj["version"], f"{path}.version")
        verb_id = obj["verb"]["id"]
        if verb_id == VOIDED_VERB:
            target = obj["object"]
            if target.get("objectType") != "StatementRef":
                raise _fail(f"{path}.object", "a voiding statement must target a StatementRef")

    def authority(self, value: Any, path: str) -> None:
        obj = _object(value, path)
        if obj.get("objectType") == "Group":
            self.group(obj, path)
            if any(k in obj for k in IFI_KEYS):
                raise _fail(path, "an authority Group must be anonymous (an OAuth client and user)")
            members = obj.get("member", [])
            if len(members) != 2:
                raise _fail(f"{path}.member", "an authority Group must have exactly two Agents")
        else:
            self.agent(obj, path)

    def version(self, value: Any, path: str) -> None:
        text = _string(value, path)
        prefixes = ("1.0", "2.0") if self.v2 else ("1.0",)
        head, _, tail = text.partition(".")
        major_minor = text[:3]
        rest = text[3:]
        ok = (
            major_minor in prefixes
            and (rest == "" or (rest.startswith(".") and rest[1:].isdigit()))
            and head.isdigit()
            and bool(tail)
        )
        if not ok:
            raise _fail(path, f"must be one of {', '.join(p + '.x' for p in prefixes)}")


_VALIDATORS = {"1.0.3": Validator("1.0.3"), "2.0.0": Validator("2.0.0")}


def validate_statement(statement: Any, *, version: str, path: str = "$") -> None:
    """Raise XapiError for the first rule the statement breaks under ``version``.

    Statements of the common shape are checked by ``quick.quick_accept`` (no path strings,
    cached lexical checks); anything it is unsure of goes through the full validator, which
    alone produces the error and its JSON path.
    """
    v2 = version.startswith("2.")
    if quick_accept(statement, v2=v2):
        return
    validator = _VALIDATORS.get(version) or Validator(version)
    validator.statement(statement, path)
