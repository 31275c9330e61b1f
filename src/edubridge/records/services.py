"""Writes of the learning record store: credentials, statements, documents.

Statements are validated by the pure engine (``edubridge.engines.xapi``), then stored in one
transaction per request, so nothing of a rejected batch is kept. Stored statements never change;
voiding only sets ``voided`` on the target.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from edubridge.accounts.models import User
from edubridge.core.audit import audit_record
from edubridge.engines.xapi.agents import short_hash
from edubridge.engines.xapi.errors import XapiError
from edubridge.engines.xapi.normalize import normalize_context_activities
from edubridge.engines.xapi.quick import quick_accept
from edubridge.engines.xapi.syntax import format_timestamp, is_uuid, parse_timestamp
from edubridge.engines.xapi.validate import validate_statement
from edubridge.records import ingest, jsoncodec
from edubridge.records.data import IssuedCredential, Scope
from edubridge.records.models import (
    Document,
    DocumentKind,
    XapiCredential,
)


class ConflictError(Exception):
    """A request clashes with stored data (HTTP 409)."""


class PreconditionError(Exception):
    """An If-Match / If-None-Match condition does not hold (HTTP 412)."""


def node_home_page() -> str:
    return str(settings.NODE["BASE_URL"]).rstrip("/")


# -- credentials ------------------------------------------------------------------------------


def _hash_secret(secret: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), secret.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def credential_create(
    *,
    name: str,
    scopes: Sequence[str] = (Scope.ALL,),
    owner: User | None = None,
    key: str | None = None,
    secret: str | None = None,
) -> IssuedCredential:
    """Issue Basic credentials for one xAPI client; the secret is returned once, then hashed."""
    unknown = sorted(set(scopes) - {s.value for s in Scope})
    if unknown:
        raise ValueError(f"unknown xAPI scope(s): {', '.join(unknown)}")
    if not scopes:
        raise ValueError("a credential needs at least one scope")
    key = key or "xapi-" + secrets.token_hex(6)
    secret = secret or secrets.token_urlsafe(24)
    credential = XapiCredential.objects.create(
        name=name, key=key, hashed_secret=_hash_secret(secret), scopes=list(scopes), owner=owner
    )
    audit_record(
        action="xapi_credential.created",
        actor=owner,
        target=f"{name} ({key})",
        details={"scopes": list(scopes)},
    )
    return IssuedCredential(
        id=str(credential.id), name=name, key=key, secret=secret, scopes=tuple(scopes)
    )


@transaction.atomic
def credential_revoke(*, credential_id: Any, by: User | None = None) -> None:
    credential = XapiCredential.objects.select_for_update().get(id=credential_id)
    if credential.revoked_at is None:
        credential.revoked_at = timezone.now()
        credential.save(update_fields=["revoked_at"])
        audit_record(action="xapi_credential.revoked", actor=by, target=credential.key)


def credential_authenticate(*, key: str, secret: str) -> XapiCredential | None:
    """The active credential for a Basic user name and password, or None (constant time)."""
    credential = XapiCredential.objects.filter(key=key, revoked_at__isnull=True).first()
    expected = credential.hashed_secret if credential else _hash_secret(secrets.token_hex(8))
    if not hmac.compare_digest(expected, _hash_secret(secret)) or credential is None:
        return None
    return credential


def credential_authority(credential: XapiCredential | None) -> dict[str, Any]:
    """The authority the store writes on statements sent with ``credential`` (or by the node)."""
    if credential is None:
        return {
            "objectType": "Agent",
            "name": str(settings.NODE["NAME"]),
            "account": {"homePage": node_home_page(), "name": "node"},
        }
    return {
        "objectType": "Agent",
        "name": credential.name,
        "account": {"homePage": node_home_page(), "name": credential.key},
    }


# -- statements ------------------------------------------------------------------------------


def query_key(kind: str, value: str) -> str:
    """The index key selectors look up (kind: a agent key, c activity, v verb, r registration)."""
    if kind == "r":
        value = value.lower()
    return short_hash(f"{kind}:{value}")


_COMPARED = ("actor", "verb", "object", "result", "context", "timestamp", "attachments")


def _same_statement(
    new: Mapping[str, Any], stored: Mapping[str, Any], *, compare_timestamp: bool
) -> bool:
    for key in _COMPARED:
        if key == "timestamp" and not compare_timestamp:
            continue
        if key not in new and key not in stored:
            continue
        if key == "timestamp":
            try:
                if parse_timestamp(new[key]) != parse_timestamp(stored.get(key, "")):
                    return False
            except ValueError:
                return False
            continue
        if new.get(key) != stored.get(key):
            return False
    return True


def _about_minor_accounts(statements: Iterable[Mapping[str, Any]]) -> set[str]:
    """Pseudonyms (as account names on this node) that belong to minors."""
    home = node_home_page()
    names = set()
    for statement in statements:
        account = statement["actor"].get("account")
        if isinstance(account, dict) and account.get("homePage") == home:
            names.add(str(account.get("name")))
    return ingest.Writer().minor_pseudonyms(sorted(name for name in names if is_uuid(name)))


def _path(prefix: str, index: int, single: bool) -> str:
    return prefix if single else f"{prefix}[{index}]"


def statements_store(
    *,
    statements: Sequence[Any],
    version: str,
    credential: XapiCredential | None,
    attachments: Mapping[str, tuple[str, bytes]] | None = None,
    path_prefix: str = "$",
    single: bool = False,
    new_ids: bool = False,
    minors: set[str] | None = None,
    savepoint: bool = True,
) -> list[str]:
    """Validate and store statements atomically; returns their ids in order.

    Raises XapiError (400) for a malformed statement or a duplicate id in the batch, and
    ConflictError (409) when an id is already stored with different content. Validation runs
    before the transaction opens, so an invalid statement touches no database.

    For the node's own services: ``new_ids`` says every id was generated just now by the caller
    (uuid4), so no stored statement can have it or refer to it and those look-ups are skipped
    (the unique index still refuses a duplicate); ``minors`` gives the pseudonyms of minors
    among the actors when the caller knows them; ``savepoint=False`` writes in the caller's
    transaction without a savepoint, so a database error rolls the caller's work back too.
    """
    # A batch makes tens of thousands of short-lived dicts and tuples, none in reference
    # cycles; the cyclic collector would walk every live object of the process several times
    # per batch (13-19% of ingestion CPU measured). Reference counting still frees them.
    with ingest.cyclic_gc_paused():
        batch = _statements_prepare(
            statements=statements,
            version=version,
            credential=credential,
            path_prefix=path_prefix,
            single=single,
        )
        with transaction.atomic(savepoint=savepoint):
            _statements_write(
                batch,
                credential=credential,
                attachments=attachments,
                new_ids=new_ids,
                minors=minors,
            )
    return [s["id"] for s in batch.statements]


@dataclass
class _Batch:
    """Validated statements as they will be stored, with their JSON payloads."""

    statements: list[dict[str, Any]]
    payloads: list[str]
    stored: str
    timed: set[str]  # ids of statements that came with their own timestamp


def _statements_prepare(
    *,
    statements: Sequence[Any],
    version: str,
    credential: XapiCredential | None,
    path_prefix: str,
    single: bool,
) -> _Batch:
    """Validate statements and complete them with the store's properties; no database."""
    stored_at = timezone.now()
    stored = format_timestamp(stored_at)
    authority = credential_authority(credential)
    default_version = "2.0.0" if version.startswith("2.") else "1.0.0"
    # Every statement of the batch ends with the same stored time and authority: encoded once.
    tail = jsoncodec.dumps({"stored": stored, "authority": authority})[1:]
    v2 = version.startswith("2.")
    encode = jsoncodec.dumps
    prepared: list[dict[str, Any]] = []
    payloads: list[str] = []
    timed: set[str] = set()
    seen: set[str] = set()
    for i, raw in enumerate(statements):
        if not quick_accept(raw, v2=v2):  # the full validator names what is wrong, if anything
            validate_statement(raw, version=version, path=_path(path_prefix, i, single))
        # The statement as stored: a copy with the store's properties; ``stored`` and
        # ``authority`` are the same for the whole batch and join the payload as its tail.
        statement: dict[str, Any] = dict(raw)
        given = statement.get("id")
        statement_id = statement["id"] = str(given).lower() if given else str(uuid.uuid4())
        normalize_context_activities(statement)
        if "timestamp" in statement:
            timed.add(statement_id)
        else:
            statement["timestamp"] = stored
        if "version" not in statement:
            statement["version"] = default_version
        if "stored" in statement or "authority" in statement:
            statement.pop("stored", None)
            statement.pop("authority", None)
        payloads.append(encode(statement)[:-1] + "," + tail)
        statement["stored"] = stored
        statement["authority"] = authority
        if statement_id in seen:
            raise XapiError(
                f"{_path(path_prefix, i, single)}.id",
                "the same statement id appears twice in the batch",
            )
        seen.add(statement_id)
        prepared.append(statement)
    return _Batch(prepared, payloads, stored, timed)


def _statements_write(
    batch: _Batch,
    *,
    credential: XapiCredential | None,
    attachments: Mapping[str, tuple[str, bytes]] | None,
    new_ids: bool,
    minors: set[str] | None,
) -> None:
    """Store a prepared batch: statements already stored with the same content are skipped."""
    writer = ingest.Writer()
    existing = {} if new_ids else writer.stored_payloads([s["id"] for s in batch.statements])
    fresh: list[dict[str, Any]] = []
    fresh_payloads: list[str] = []
    for statement, payload in zip(batch.statements, batch.payloads, strict=True):
        stored_payload = existing.get(statement["id"]) if existing else None
        if stored_payload is None:
            fresh.append(statement)
            fresh_payloads.append(payload)
        elif not _same_statement(
            statement, json.loads(stored_payload), compare_timestamp=statement["id"] in batch.timed
        ):
            raise ConflictError(f"statement {statement['id']} is already stored with other content")
    if not fresh:
        return
    try:
        writer.insert(
            fresh,
            payloads=fresh_payloads,
            stored=parse_timestamp(batch.stored),  # the column holds what the payload shows
            credential_id=credential.pk if credential is not None else None,
            minors=_about_minor_accounts(fresh) if minors is None else minors,
            home=node_home_page(),
            new_ids=new_ids,
        )
    except ingest.DuplicateError as exc:
        raise ConflictError("a statement with this id was stored concurrently") from exc
    ingest.store_attachments(fresh, attachments or {})
    if credential is None or _may_define(credential):
        writer.define_activities(fresh)


def _may_define(credential: XapiCredential) -> bool:
    return bool({Scope.ALL.value, Scope.DEFINE.value} & set(credential.scopes))


# -- documents (state, activity profile, agent profile) ---------------------------------------


def document_address(
    *,
    kind: DocumentKind,
    activity_id: str = "",
    agent: str = "",
    registration: str | None = None,
    document_id: str | None = None,
) -> tuple[str, str]:
    """(lookup hash of one document, scope hash of the set it belongs to)."""
    scope = "\x1f".join([kind.value, activity_id, agent, (registration or "").lower()])
    return short_hash(scope + "\x1f" + (document_id or "")), short_hash(scope)


def _etag(content: bytes) -> str:
    return hashlib.sha1(content, usedforsecurity=False).hexdigest()


def _check_preconditions(
    document: Document | None, *, if_match: str | None, if_none_match: str | None
) -> None:
    if if_match is not None:
        tags = {t.strip().strip('"').removeprefix("W/").strip('"') for t in if_match.split(",")}
        if document is None or ("*" not in tags and document.etag not in tags):
            raise PreconditionError("If-Match does not match the current document")
    if if_none_match is not None and document is not None:
        tags = {t.strip().strip('"') for t in if_none_match.split(",")}
        if "*" in tags or document.etag in tags:
            raise PreconditionError("If-None-Match: the document already exists")


@transaction.atomic
def document_put(
    *,
    kind: DocumentKind,
    activity_id: str,
    agent: str,
    registration: str | None,
    document_id: str,
    content: bytes,
    content_type: str,
    merge: bool,
    if_match: str | None,
    if_none_match: str | None,
    require_precondition: str,
) -> Document:
    """PUT (replace) or POST (merge JSON objects) one document, with concurrency checks.

    ``require_precondition``: "" (no rule, 1.0.3 state), "existing" (PUT over an existing
    document needs If-Match/If-None-Match, else 409) or "always" (also 400 for a new one:
    xAPI 1.0.3 profiles).
    """
    lookup, scope = document_address(
        kind=kind,
        activity_id=activity_id,
        agent=agent,
        registration=registration,
        document_id=document_id,
    )
    document = Document.objects.select_for_update().filter(lookup=lookup).first()
    _check_preconditions(document, if_match=if_match, if_none_match=if_none_match)
    unconditional = not merge and if_match is None and if_none_match is None
    if require_precondition == "always" and unconditional and document is None:
        raise XapiError(
            "If-Match", "xAPI 1.0.3 profile PUT needs If-Match or If-None-Match (use * for new)"
        )
    if require_precondition and unconditional and document is not None:
        raise ConflictError(
            "the document exists: send If-Match with its ETag (or If-None-Match: *) to change it"
        )
    is_json = content_type.split(";")[0].strip().lower() == "application/json"
    if merge and document is not None:
        old_json = document.content_type.split(";")[0].strip().lower() == "application/json"
        if not (is_json and old_json):
            raise XapiError("body", "POST can only merge JSON objects into a JSON document")
        try:
            old = json.loads(bytes(document.content))
            new = json.loads(content)
        except ValueError as exc:
            raise XapiError("body", "the document is not valid JSON") from exc
        if not isinstance(old, dict) or not isinstance(new, dict):
            raise XapiError("body", "POST can only merge JSON objects")
        old.update(new)
        content = json.dumps(old, ensure_ascii=False).encode()
    elif merge and is_json:
        try:
            new = json.loads(content)
        except ValueError as exc:
            raise XapiError("body", "the document is not valid JSON") from exc
        if not isinstance(new, dict):
            raise XapiError("body", "POST needs a JSON object")
    now = timezone.now()
    if document is None:
        document = Document(
            lookup=lookup,
            scope_key=scope,
            kind=kind.value,
            activity_id=activity_id,
            agent_key=agent,
            registration=uuid.UUID(registration) if registration else None,
            document_id=document_id,
        )
    document.content = content
    document.content_type = content_type or "application/octet-stream"
    document.etag = _etag(content)
    document.updated = now
    document.save()
    return document


@transaction.atomic
def documents_delete(
    *,
    kind: DocumentKind,
    activity_id: str,
    agent: str,
    registration: str | None,
    document_id: str | None,
    if_match: str | None = None,
) -> int:
    """Delete one document, or (no document id; state only) every document in the scope."""
    lookup, scope = document_address(
        kind=kind,
        activity_id=activity_id,
        agent=agent,
        registration=registration,
        document_id=document_id,
    )
    if document_id is not None:
        document = Document.objects.select_for_update().filter(lookup=lookup).first()
        _check_preconditions(document, if_match=if_match, if_none_match=None)
        if document is None:
            return 0
        document.delete()
        return 1
    deleted, _ = Document.objects.filter(scope_key=scope).delete()
    return deleted
