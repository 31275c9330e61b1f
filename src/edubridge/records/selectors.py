"""Reads of the learning record store: statement queries with the spec's filters, documents."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from edubridge.engines.xapi.agents import short_hash
from edubridge.records.data import StatementQuery
from edubridge.records.models import Activity, Attachment, Document, Statement, StatementIndex
from edubridge.records.services import document_address, query_key

MAX_PAGE = 500


def statement_get(*, statement_id: str, voided: bool) -> Statement | None:
    """One statement by id: a voided one only when ``voided`` is asked, else only unvoided."""
    try:
        ident = uuid.UUID(statement_id)
    except ValueError:
        return None
    return Statement.objects.filter(statement_id=ident, voided=voided).first()


def _matching(key: str, *, direct_only: bool) -> QuerySet[StatementIndex]:
    rows = StatementIndex.objects.filter(key=key)
    if direct_only:
        rows = rows.filter(direct=True)
    return rows


def statement_query(*, query: StatementQuery) -> tuple[list[Statement], bool]:
    """One page of unvoided statements matching every filter, and whether more follow.

    Order is by storage sequence (newest first unless ascending), or for a time window without
    other filters by (stored, sequence); the cursor is the last row's sequence number, so pages
    stay stable while new statements arrive.
    """
    rows = Statement.objects.filter(voided=False)
    # Most selective first: the first filter drives the query through the (key, statement,
    # direct) index, which also yields the page order, so LIMIT stops early even for large sets.
    filters: list[tuple[str, bool]] = []
    if query.agent_key:
        filters.append((query_key("a", query.agent_key), not query.related_agents))
    if query.registration:
        filters.append((query_key("r", query.registration), False))
    if query.activity:
        filters.append((query_key("c", query.activity), not query.related_activities))
    if query.verb:
        filters.append((query_key("v", query.verb), False))
    order = "id"
    if filters:
        key, direct_only = filters[0]
        lookups: dict[str, Any] = {"index_rows__key": key}  # one filter() call: one join
        if direct_only:
            lookups["index_rows__direct"] = True
        if query.after_id is not None:
            lookups["index_rows__statement_id__" + ("gt" if query.ascending else "lt")] = (
                query.after_id
            )
        rows = rows.filter(**lookups)
        order = "index_rows__statement_id"
    for key, direct_only in filters[1:]:
        # A correlated EXISTS is one index probe per candidate row, so the page streams.
        rows = rows.filter(
            Exists(_matching(key, direct_only=direct_only).filter(statement_id=OuterRef("id")))
        )
    if query.since is not None:
        rows = rows.filter(stored__gt=query.since)
    if query.until is not None:
        rows = rows.filter(stored__lte=query.until)
    if query.only_credential is not None:
        rows = rows.filter(credential_id=uuid.UUID(query.only_credential))
    order_by = [order]
    by_stored = not filters and (query.since is not None or query.until is not None)
    cursor_stored = None
    if by_stored:
        # A time window without agent/verb/activity/registration: pages walk the ``stored``
        # index from the window's edge, in (stored, row number) order, the spec's order (storage
        # order follows it). By row number alone, SQLite would scan every row outside the window
        # or sort the whole window (seconds over a million statements).
        order_by = ["stored", "id"]
        if query.after_id is not None:
            cursor_stored = (
                Statement.objects.filter(id=query.after_id).values_list("stored", flat=True).first()
            )
    if cursor_stored is not None:
        # After the cursor row in (stored, id) order; the plain range lets the index start there.
        if query.ascending:
            rows = rows.filter(stored__gte=cursor_stored).filter(
                Q(stored__gt=cursor_stored) | Q(id__gt=query.after_id)
            )
        else:
            rows = rows.filter(stored__lte=cursor_stored).filter(
                Q(stored__lt=cursor_stored) | Q(id__lt=query.after_id)
            )
    elif query.after_id is not None:
        rows = (
            rows.filter(id__gt=query.after_id)
            if query.ascending
            else rows.filter(id__lt=query.after_id)
        )
    sign = "" if query.ascending else "-"
    rows = rows.order_by(*(sign + field for field in order_by))
    limit = query.limit if 0 < query.limit <= MAX_PAGE else MAX_PAGE
    page = list(rows.only("id", "payload", "stored", "statement_id")[: limit + 1])
    return page[:limit], len(page) > limit


def attachments_for(statements: list[dict[str, Any]]) -> list[tuple[str, str, bytes]]:
    """(sha2, content type, content) of every stored attachment the statements declare."""
    wanted: list[str] = []
    for statement in statements:
        for holder in (statement, statement.get("object") or {}):
            for attachment in holder.get("attachments") or []:
                if attachment.get("sha2") not in wanted:
                    wanted.append(attachment["sha2"])
    found = {a.sha2: a for a in Attachment.objects.filter(sha2__in=wanted)}
    return [
        (sha2, found[sha2].content_type, bytes(found[sha2].content))
        for sha2 in wanted
        if sha2 in found
    ]


def activity_definitions(iris: set[str]) -> dict[str, dict[str, Any]]:
    keys = {short_hash(iri): iri for iri in iris}
    return {
        row.iri: row.definition
        for row in Activity.objects.filter(key__in=list(keys))
        if row.definition
    }


def activity_get(*, iri: str) -> dict[str, Any]:
    """The Activity object the store knows for an IRI (just the id when never defined)."""
    row = Activity.objects.filter(key=short_hash(iri)).first()
    activity: dict[str, Any] = {"objectType": "Activity", "id": iri}
    if row is not None and row.definition:
        activity["definition"] = row.definition
    return activity


def document_get(**address: Any) -> Document | None:
    lookup, _ = document_address(**address)
    return Document.objects.filter(lookup=lookup).first()


def document_ids(*, since: Any = None, **address: Any) -> list[str]:
    _, scope = document_address(**address)
    rows = Document.objects.filter(scope_key=scope)
    if since is not None:
        rows = rows.filter(updated__gt=since)
    return list(rows.order_by("updated").values_list("document_id", flat=True))


def statement_payload(row: Statement) -> dict[str, Any]:
    return dict(json.loads(row.payload))
