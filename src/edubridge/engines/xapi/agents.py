"""Agent identity: one comparable key per Agent or identified Group, from its identifier."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from typing import Any

from edubridge.engines.xapi.errors import XapiError
from edubridge.engines.xapi.validate import Validator


def agent_key(agent: Mapping[str, Any]) -> str | None:
    """``mbox:mailto:a@b`` and so on; None for an anonymous Group (it has no identifier)."""
    if "mbox" in agent:
        return f"mbox:{agent['mbox']}"
    if "mbox_sha1sum" in agent:
        return f"mbox_sha1sum:{str(agent['mbox_sha1sum']).lower()}"
    if "openid" in agent:
        return f"openid:{agent['openid']}"
    account = agent.get("account")
    if isinstance(account, dict):
        return f"account:{account.get('homePage')}|{account.get('name')}"
    return None


def agent_keys(agent: Mapping[str, Any]) -> Iterator[str]:
    """The agent's own key, or for an anonymous Group its members' keys."""
    key = agent_key(agent)
    if key is not None:
        yield key
    if agent.get("objectType") == "Group" and key is None:
        for member in agent.get("member", []) or []:
            member_key = agent_key(member)
            if member_key is not None:
                yield member_key


def parse_agent_param(raw: str, *, name: str = "agent", version: str = "2.0.0") -> dict[str, Any]:
    """Parse an ``agent`` query parameter (JSON) and check it names exactly one identifier."""
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise XapiError(name, "must be a JSON Agent object") from exc
    if not isinstance(value, dict):
        raise XapiError(name, "must be a JSON Agent object")
    validator = Validator(version)
    if value.get("objectType") == "Group":
        validator.group(value, name)
    else:
        validator.agent(value, name)
    if agent_key(value) is None:
        raise XapiError(name, "must carry an identifier")
    return value


def person(agents: list[Mapping[str, Any]]) -> dict[str, Any]:
    """The Person object of the agents resource: every name and identifier, as arrays."""
    result: dict[str, Any] = {"objectType": "Person"}
    for agent in agents:
        for key in ("name", "mbox", "mbox_sha1sum", "openid", "account"):
            if key in agent and agent[key] not in result.setdefault(key, []):
                result[key].append(agent[key])
    return result


def short_hash(text: str) -> str:
    """A 32-hex digest used as a fixed-width index key for long IRIs and agent keys."""
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
