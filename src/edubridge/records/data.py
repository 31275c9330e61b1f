"""Plain data the records app hands to other apps and to its HTTP layer (no Django here)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Scope(enum.StrEnum):
    """What an xAPI credential may do (the scope names of xAPI's OAuth section)."""

    ALL = "all"
    ALL_READ = "all/read"
    STATEMENTS_WRITE = "statements/write"
    STATEMENTS_READ = "statements/read"
    STATEMENTS_READ_MINE = "statements/read/mine"
    STATE = "state"
    PROFILE = "profile"
    DEFINE = "define"


@dataclass(frozen=True)
class IssuedCredential:
    """Shown once at creation: the Basic user name (key) and secret; only a hash is kept."""

    id: str
    name: str
    key: str
    secret: str
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class StoredStatement:
    id: str
    statement: dict[str, Any]


@dataclass
class StatementQuery:
    """Filters of GET /statements, already parsed and checked."""

    agent_key: str | None = None
    verb: str | None = None
    activity: str | None = None
    registration: str | None = None
    related_activities: bool = False
    related_agents: bool = False
    since: Any = None
    until: Any = None
    limit: int = 0
    ascending: bool = False
    after_id: int | None = None
    only_credential: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
