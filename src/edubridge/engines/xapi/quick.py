"""A fast, conservative pre-check for the common statement shape (ingestion hot path).

``quick_accept`` answers True only when the full ``Validator`` would accept the statement; it
answers False for anything it is unsure about (Groups, sub-statements, attachments, interaction
component lists, authority, version, ...), and the caller then runs the full validator, which
names the failing JSON path. It builds no path strings and caches the verdicts of the lexical
checks on strings that repeat across statements (IRIs, language tags, durations), which makes
it several times faster than the full validator on realistic batches.

Invariant (tested on every rule of the full validator and on random mutations): ``quick_accept(s,
v2=...)`` is True only if ``Validator(version).statement(s)`` raises nothing.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Any

from edubridge.engines.xapi.syntax import (
    DURATION_RE,
    INTERACTION_TYPES,
    IRI_RE,
    LANG_RE,
    TIMESTAMP_RE,
    UUID_RE,
    VOIDED_VERB,
    parse_timestamp,
)

STATEMENT_KEYS = frozenset({"id", "actor", "verb", "object", "result", "context", "timestamp"})
AGENT_KEYS = frozenset({"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"})
IFI_KEYS = ("mbox", "mbox_sha1sum", "openid", "account")
ACCOUNT_KEYS = frozenset({"homePage", "name"})
VERB_KEYS = frozenset({"id", "display"})
ACTIVITY_KEYS = frozenset({"objectType", "id", "definition"})
REF_KEYS = frozenset({"objectType", "id"})
DEFINITION_KEYS = frozenset(
    {
        "name",
        "description",
        "type",
        "moreInfo",
        "extensions",
        "interactionType",
        "correctResponsesPattern",
    }
)
RESULT_KEYS = frozenset({"score", "success", "completion", "response", "duration", "extensions"})
SCORE_KEYS = frozenset({"scaled", "raw", "min", "max"})
CONTEXT_KEYS = frozenset(
    {
        "registration",
        "contextActivities",
        "revision",
        "platform",
        "language",
        "statement",
        "extensions",
    }
)
CONTEXT_ACTIVITY_KEYS = frozenset({"parent", "grouping", "category", "other"})

_CACHE_LIMIT = 50_000
_FLOAT_LIMIT = 10**308  # integers beyond this do not fit a float: the full validator says so


class _Verdicts:
    """Strings a pattern accepted, remembered (bounded: forgotten when the set grows large).

    Only acceptances are kept, so a lookup is one set membership test; rejections are rare
    and go to the full validator anyway."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.good: set[str] = set()
        self.match = pattern.match

    def learn(self, value: Any) -> bool:
        """Check a string not seen before (callers test ``value in self.good`` first)."""
        if type(value) is not str or self.match(value) is None:
            return False
        if len(self.good) >= _CACHE_LIMIT:
            self.good.clear()
        self.good.add(value)
        return True


_IRIS = _Verdicts(IRI_RE)
_LANGUAGES = _Verdicts(LANG_RE)
_DURATIONS = _Verdicts(DURATION_RE)
_iris = _IRIS.good
_languages = _LANGUAGES.good


def _iri(value: Any) -> bool:
    return (type(value) is str and value in _iris) or _IRIS.learn(value)


def _language(value: Any) -> bool:
    return (type(value) is str and value in _languages) or _LANGUAGES.learn(value)


def _duration(value: Any) -> bool:
    return (type(value) is str and value in _DURATIONS.good) or _DURATIONS.learn(value)


def _uuid(value: Any) -> bool:
    return type(value) is str and UUID_RE.match(value) is not None


def _language_map(value: Any) -> bool:
    if type(value) is not dict:
        return False
    languages = _languages
    for tag, text in value.items():  # a loop, not all(...): no generator per map
        if type(text) is not str:
            return False
        if not (type(tag) is str and tag in languages) and not _LANGUAGES.learn(tag):
            return False
    return True


def _extensions(value: Any) -> bool:
    if type(value) is not dict:
        return False
    iris = _iris
    for key in value:
        if not (type(key) is str and key in iris) and not _IRIS.learn(key):
            return False
    return True


def _agent(value: Any) -> bool:
    if type(value) is not dict or not value.keys() <= AGENT_KEYS:
        return False
    if "objectType" in value and value["objectType"] != "Agent":
        return False
    if "name" in value and type(value["name"]) is not str:
        return False
    found = [key for key in IFI_KEYS if key in value]
    if len(found) != 1:
        return False
    key = found[0]
    ifi = value[key]
    if key == "account":
        return (
            type(ifi) is dict
            and ifi.keys() == ACCOUNT_KEYS
            and _iri(ifi["homePage"])
            and type(ifi["name"]) is str
        )
    if key == "mbox":
        return type(ifi) is str and ifi.startswith("mailto:") and "@" in ifi[7:]
    if key == "openid":
        return _iri(ifi)
    return False  # mbox_sha1sum: rare, left to the full validator


def _definition(value: Any) -> bool:
    if type(value) is not dict or not value.keys() <= DEFINITION_KEYS:
        return False
    for key in ("name", "description"):
        if key in value and not _language_map(value[key]):
            return False
    for key in ("type", "moreInfo"):
        if key in value and not _iri(value[key]):
            return False
    if "extensions" in value and not _extensions(value["extensions"]):
        return False
    if "interactionType" in value:
        interaction = value["interactionType"]
        if type(interaction) is not str or interaction not in INTERACTION_TYPES:
            return False
    if "correctResponsesPattern" in value:
        pattern = value["correctResponsesPattern"]
        if "interactionType" not in value or type(pattern) is not list:
            return False
        for item in pattern:
            if type(item) is not str:
                return False
    return True


def _activity(value: Any) -> bool:
    if type(value) is not dict or not value.keys() <= ACTIVITY_KEYS:
        return False
    if "objectType" in value and value["objectType"] != "Activity":
        return False
    if "id" not in value or not _iri(value["id"]):
        return False
    return "definition" not in value or _definition(value["definition"])


def _statement_ref(value: Any) -> bool:
    return (
        type(value) is dict
        and value.keys() == REF_KEYS
        and value["objectType"] == "StatementRef"
        and _uuid(value["id"])
    )


def _number(value: Any) -> bool:
    if type(value) is float:
        return math.isfinite(value)
    return type(value) is int and -_FLOAT_LIMIT < value < _FLOAT_LIMIT


def _score(value: Any) -> bool:
    if type(value) is not dict or not value.keys() <= SCORE_KEYS:
        return False
    for number in value.values():
        if not _number(number):
            return False
    # Compared as floats, exactly as the full validator compares them.
    scaled = value.get("scaled")
    if scaled is not None and not -1 <= float(scaled) <= 1:
        return False
    low, high, raw = value.get("min"), value.get("max"), value.get("raw")
    low = None if low is None else float(low)
    high = None if high is None else float(high)
    raw = None if raw is None else float(raw)
    if low is not None and high is not None and low >= high:
        return False
    if raw is not None and low is not None and raw < low:
        return False
    return not (raw is not None and high is not None and raw > high)


def _result(value: Any) -> bool:
    if type(value) is not dict or not value.keys() <= RESULT_KEYS:
        return False
    if "score" in value and not _score(value["score"]):
        return False
    for key in ("success", "completion"):
        if key in value and type(value[key]) is not bool:
            return False
    if "response" in value and type(value["response"]) is not str:
        return False
    if "duration" in value and not _duration(value["duration"]):
        return False
    return "extensions" not in value or _extensions(value["extensions"])


def _context(value: Any, *, object_is_activity: bool) -> bool:
    if type(value) is not dict or not value.keys() <= CONTEXT_KEYS:
        return False
    if "registration" in value and not _uuid(value["registration"]):
        return False
    if "contextActivities" in value:
        activities = value["contextActivities"]
        if type(activities) is not dict or not activities.keys() <= CONTEXT_ACTIVITY_KEYS:
            return False
        for entry in activities.values():
            if type(entry) is list:
                for activity in entry:
                    if not _activity(activity):
                        return False
            elif not _activity(entry):
                return False
    for key in ("revision", "platform"):
        if key in value and (type(value[key]) is not str or not object_is_activity):
            return False
    if "language" in value and not _language(value["language"]):
        return False
    if "statement" in value and not _statement_ref(value["statement"]):
        return False
    return "extensions" not in value or _extensions(value["extensions"])


def quick_accept(statement: Any, *, v2: bool) -> bool:
    """True when ``statement`` has the common shape and is certainly valid (see module doc).

    ``v2`` is accepted for symmetry with the full validator: every property this check knows is
    defined alike in xAPI 1.0.3 and 2.0.
    """
    del v2  # the shapes accepted here mean the same in both versions
    if type(statement) is not dict or not statement.keys() <= STATEMENT_KEYS:
        return False
    if "id" in statement and not _uuid(statement["id"]):
        return False
    if "actor" not in statement or "verb" not in statement or "object" not in statement:
        return False
    if not _agent(statement["actor"]):
        return False
    verb = statement["verb"]
    if type(verb) is not dict or not verb.keys() <= VERB_KEYS or "id" not in verb:
        return False
    if not _iri(verb["id"]) or ("display" in verb and not _language_map(verb["display"])):
        return False
    target = statement["object"]
    if type(target) is not dict:
        return False
    object_is_activity = target.get("objectType", "Activity") == "Activity"
    if object_is_activity:
        if verb["id"] == VOIDED_VERB or not _activity(target):
            return False
    elif not _statement_ref(target):
        return False
    if "result" in statement and not _result(statement["result"]):
        return False
    if "context" in statement and not _context(
        statement["context"], object_is_activity=object_is_activity
    ):
        return False
    return "timestamp" not in statement or _timestamp(statement["timestamp"])


def _timestamp(value: Any) -> bool:
    """What ``parse_timestamp`` accepts; the C parser first, the full one when it declines."""
    if type(value) is not str:
        return False
    match = TIMESTAMP_RE.match(value)
    if match is None or (match.group(8) or "").startswith("-00"):
        return False  # -00:00 (and anything unusual) is for the full validator to name
    try:
        datetime.fromisoformat(value)
    except ValueError:
        try:
            parse_timestamp(value)
        except ValueError:
            return False
    return True
