"""The records app's Python interface: the only module other apps may import.

Other apps (the practice engine, training, localization) record learning events here; the
statement goes through the same validation and storage as statements sent over HTTP.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction

from edubridge.engines.xapi.errors import XapiError
from edubridge.engines.xapi.syntax import format_timestamp
from edubridge.records import services
from edubridge.records.data import StoredStatement
from edubridge.records.models import Statement

__all__ = [
    "StoredStatement",
    "XapiError",
    "learner_actor",
    "learner_statements",
    "statement_record",
]


def learner_actor(pseudonym: uuid.UUID | str) -> dict[str, Any]:
    """The learner as an xAPI Agent: an account on this node named by the pseudonym, no email."""
    return {
        "objectType": "Agent",
        "account": {"homePage": services.node_home_page(), "name": str(pseudonym)},
    }


def statement_record(
    *,
    actor_user_pseudonym: uuid.UUID | str,
    verb: str | Mapping[str, Any],
    object: Mapping[str, Any],
    result: Mapping[str, Any] | None = None,
    context: Mapping[str, Any] | None = None,
    timestamp: datetime | None = None,
    statement_id: uuid.UUID | None = None,
) -> str:
    """Record one learning event as an xAPI 2.0 statement; returns its id.

    Runs in the caller's transaction when there is one, so the event and the statement commit or
    roll back together. Raises XapiError (with the failing JSON path) for an invalid statement.
    """
    statement: dict[str, Any] = {
        "id": str(statement_id or uuid.uuid4()),
        "actor": learner_actor(actor_user_pseudonym),
        "verb": {"id": verb} if isinstance(verb, str) else dict(verb),
        "object": dict(object),
    }
    if result is not None:
        statement["result"] = dict(result)
    if context is not None:
        statement["context"] = dict(context)
    if timestamp is not None:
        statement["timestamp"] = format_timestamp(timestamp)
    with transaction.atomic():
        ids = services.statements_store(
            statements=[statement], version="2.0.0", credential=None, single=True
        )
    return ids[0]


def learner_statements(*, pseudonym: uuid.UUID | str, limit: int = 50) -> list[StoredStatement]:
    """The newest unvoided statements whose actor is this learner, newest first."""
    key = f"account:{services.node_home_page()}|{pseudonym}"
    rows = Statement.objects.filter(actor_key=key, voided=False).order_by("-id")[:limit]
    return [StoredStatement(id=str(r.statement_id), statement=json.loads(r.payload)) for r in rows]
