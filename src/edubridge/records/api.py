"""The records app's Python interface: the only module other apps may import.

Other apps (the practice engine, training, localization) record learning events here; the
statement goes through the same validation and storage as statements sent over HTTP.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import transaction

from edubridge.engines.xapi.errors import XapiError
from edubridge.engines.xapi.syntax import format_timestamp
from edubridge.records import services
from edubridge.records.data import StoredStatement
from edubridge.records.models import Statement

__all__ = [
    "StatementConflictError",
    "StoredStatement",
    "XapiError",
    "learner_actor",
    "learner_statement",
    "learner_statement_record",
    "learner_statements",
    "statement_record",
    "statements_record",
]


class StatementConflictError(Exception):
    """A statement id is already stored with other content (statements are immutable)."""


def learner_actor(pseudonym: uuid.UUID | str) -> dict[str, Any]:
    """The learner as an xAPI Agent: an account on this node named by the pseudonym, no email."""
    return {
        "objectType": "Agent",
        "account": {"homePage": services.node_home_page(), "name": str(pseudonym)},
    }


def learner_statement(
    *,
    actor_user_pseudonym: uuid.UUID | str,
    verb: str | Mapping[str, Any],
    object: Mapping[str, Any],
    result: Mapping[str, Any] | None = None,
    context: Mapping[str, Any] | None = None,
    timestamp: datetime | None = None,
    statement_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """Build (not store) one xAPI 2.0 statement about a learner of this node.

    The actor is the learner's pseudonymous account (``learner_actor``), never an email. Pass
    the result to ``statements_record`` to store many in one transaction.
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
    return statement


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
    roll back together (a database error rolls the caller's transaction back: no savepoint).
    Raises XapiError (with the failing JSON path) for an invalid statement, before any write.
    """
    statement = learner_statement(
        actor_user_pseudonym=actor_user_pseudonym,
        verb=verb,
        object=object,
        result=result,
        context=context,
        timestamp=timestamp,
        statement_id=statement_id,
    )
    return learner_statement_record(statement, new_id=statement_id is None)


def learner_statement_record(
    statement: Mapping[str, Any], *, new_id: bool = False, actor_is_minor: bool | None = None
) -> str:
    """Store one statement built by ``learner_statement``, as ``statement_record`` does.

    ``new_id=True`` says its id was generated just now (uuid4), so the look-ups for an earlier
    statement with that id, or referring to it, are skipped. ``actor_is_minor``, when the
    caller knows it, saves the look-up of the learner's age flag.
    """
    minors = None
    if actor_is_minor is not None:
        name = str(statement["actor"]["account"]["name"])
        minors = {name} if actor_is_minor else set()
    ids = services.statements_store(
        statements=[statement],
        version="2.0.0",
        credential=None,
        single=True,
        new_ids=new_id,
        minors=minors,
        savepoint=False,
    )
    return ids[0]


def statements_record(*, statements: Sequence[Mapping[str, Any]]) -> list[str]:
    """Store many statements built by this node's own services in one transaction; their ids.

    For batches (demo data, imports, replays): the statements go through the same validation,
    indexes and voiding as anything sent over HTTP, with the node as their authority, and are
    written with one insert per table for the whole batch, so a batch of thousands takes a
    fraction of the time of as many ``statement_record`` calls. All or nothing: an invalid
    statement raises XapiError naming it (``$[i].verb.id``) and nothing of the batch is stored;
    in the caller's transaction it rolls back with the caller's other writes. Build statements
    about learners with ``learner_statement`` so the actor is the pseudonymous account. A
    statement id that is already stored with the same content is accepted again (idempotent
    replays); with other content the batch fails with ``StatementConflictError``.
    """
    if not statements:
        return []
    with transaction.atomic():
        try:
            return services.statements_store(
                statements=list(statements), version="2.0.0", credential=None
            )
        except services.ConflictError as exc:
            raise StatementConflictError(str(exc)) from exc


def learner_statements(*, pseudonym: uuid.UUID | str, limit: int = 50) -> list[StoredStatement]:
    """The newest unvoided statements whose actor is this learner, newest first."""
    key = f"account:{services.node_home_page()}|{pseudonym}"
    rows = Statement.objects.filter(actor_key=key, voided=False).order_by("-id")[:limit]
    return [StoredStatement(id=str(r.statement_id), statement=json.loads(r.payload)) for r in rows]
