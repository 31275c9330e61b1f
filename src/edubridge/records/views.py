"""xAPI resources: statements, state, activity and agent profiles, activities, agents, about."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.core import signing
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import http_date

from edubridge.engines.xapi.agents import agent_key, parse_agent_param, person
from edubridge.engines.xapi.errors import XapiError
from edubridge.engines.xapi.formats import accept_languages, canonical_format, ids_format
from edubridge.engines.xapi.multipart import (
    build_multipart,
    content_type_params,
    parse_multipart,
    sha2_matches,
)
from edubridge.engines.xapi.signature import check_signature
from edubridge.engines.xapi.syntax import format_timestamp, is_iri, is_uuid, parse_timestamp
from edubridge.engines.xapi.validate import SIGNATURE_USAGE
from edubridge.records import ingest, jsoncodec, selectors, services
from edubridge.records.data import Scope, StatementQuery
from edubridge.records.http import (
    ABOUT_VERSIONS,
    MethodError,
    NotFoundError,
    XapiRequest,
    json_response,
    parse_bool,
    xapi_resource,
)
from edubridge.records.models import DocumentKind

_QUERY_PARAMS = {
    "agent",
    "verb",
    "activity",
    "registration",
    "related_activities",
    "related_agents",
    "since",
    "until",
    "limit",
    "format",
    "attachments",
    "ascending",
    "cursor",
}
_CURSOR_SALT = "edubridge.records.more"


def _timestamp_param(params: dict[str, str], name: str) -> datetime | None:
    if name not in params:
        return None
    try:
        return parse_timestamp(params[name])
    except ValueError as exc:
        raise XapiError(name, f"must be an ISO 8601 timestamp ({exc})") from exc


def _iri_param(params: dict[str, str], name: str, *, required: bool = False) -> str | None:
    value = params.get(name)
    if value is None:
        if required:
            raise XapiError(name, "is required")
        return None
    if not is_iri(value):
        raise XapiError(name, "must be an IRI")
    return value


# -- statements --------------------------------------------------------------------------------


def _read_statement_body(xreq: XapiRequest) -> tuple[Any, dict[str, tuple[str, bytes]]]:
    """The JSON statement(s) of a PUT/POST and the attachment parts, with SHA-2 checks."""
    media, _ = content_type_params(xreq.content_type)
    parts: list[Any] = []
    if media == "multipart/mixed":
        parts = parse_multipart(xreq.body, xreq.content_type)
        first = parts[0]
        if content_type_params(first.headers.get("content-type", ""))[0] != "application/json":
            raise XapiError("body", "the first part of a multipart body must be application/json")
        text = first.body
        parts = parts[1:]
    elif media == "application/json" or media == "":
        text = xreq.body
    else:
        raise XapiError("Content-Type", "must be application/json or multipart/mixed")
    try:
        data = jsoncodec.loads(text)
    except ValueError as exc:
        raise XapiError("$", "the body is not valid JSON") from exc
    if isinstance(data, dict) and "statements" in data and isinstance(data["statements"], list):
        raise XapiError("$", "send a statement or an array of statements")
    received: dict[str, tuple[str, bytes]] = {}
    for index, part in enumerate(parts):
        where = f"attachment part {index + 1}"
        digest = part.headers.get("x-experience-api-hash")
        if not digest:
            raise XapiError(where, "needs an X-Experience-API-Hash header")
        encoding = part.headers.get("content-transfer-encoding", "").lower()
        if encoding != "binary":
            raise XapiError(where, "needs Content-Transfer-Encoding: binary")
        if not sha2_matches(part.body, digest):
            raise XapiError(where, "content does not match its X-Experience-API-Hash")
        received[digest] = (part.headers.get("content-type", "application/octet-stream"), part.body)
    statements = data if isinstance(data, list) else [data]
    _check_attachments(statements, received, single=not isinstance(data, list))
    return data, received


def _check_attachments(
    statements: list[Any], received: dict[str, tuple[str, bytes]], *, single: bool
) -> None:
    declared: set[str] = set()
    for i, statement in enumerate(statements):
        if not isinstance(statement, dict):
            continue
        path = "$" if single else f"$[{i}]"
        attachments = statement.get("attachments")
        if not isinstance(attachments, list):
            continue
        for j, attachment in enumerate(attachments):
            if not isinstance(attachment, dict):
                continue
            where = f"{path}.attachments[{j}]"
            sha2 = attachment.get("sha2")
            if not isinstance(sha2, str):
                continue
            declared.add(sha2)
            if attachment.get("usageType") == SIGNATURE_USAGE:
                if attachment.get("contentType") != "application/octet-stream":
                    raise XapiError(
                        f"{where}.contentType",
                        "a signature attachment must be application/octet-stream",
                    )
                if sha2 not in received:
                    raise XapiError(where, "the signature attachment was not sent")
                check_signature(statement, received[sha2][1], where)
            elif "fileUrl" not in attachment and sha2 not in received:
                raise XapiError(f"{where}.sha2", "no attachment part has this hash")
    for digest in received:
        if digest not in declared:
            raise XapiError("attachments", f"part {digest} is not declared by any statement")


def _consistent_through() -> str:
    return format_timestamp(timezone.now())


def statements_resource(xreq: XapiRequest) -> HttpResponse:
    xreq.response_headers["X-Experience-API-Consistent-Through"] = _consistent_through()
    if xreq.method == "GET":
        xreq.require(Scope.ALL_READ, Scope.STATEMENTS_READ, Scope.STATEMENTS_READ_MINE)
        return _statements_get(xreq)
    if xreq.method in ("PUT", "POST"):
        xreq.require(Scope.STATEMENTS_WRITE)
        # Parsing a batch makes tens of thousands of objects, none in cycles: the cyclic
        # collector would walk them (and the whole process) several times while they are built.
        with ingest.cyclic_gc_paused():
            return _statements_write(xreq)
    raise MethodError


def _statements_write(xreq: XapiRequest) -> HttpResponse:
    data, attachments = _read_statement_body(xreq)
    if xreq.method == "PUT":
        return _statements_put(xreq, data, attachments)
    if "statementId" in xreq.params:
        raise XapiError("statementId", "POST takes no statementId; use PUT")
    if isinstance(data, list):
        if not data:
            raise XapiError("$", "the batch is empty")
        ids = services.statements_store(
            statements=data,
            version=xreq.version,
            credential=xreq.credential,
            attachments=attachments,
        )
    else:
        ids = services.statements_store(
            statements=[data],
            version=xreq.version,
            credential=xreq.credential,
            attachments=attachments,
            single=True,
        )
    return json_response(ids)


def _statements_put(
    xreq: XapiRequest, data: Any, attachments: dict[str, tuple[str, bytes]]
) -> HttpResponse:
    statement_id = xreq.params.get("statementId")
    if statement_id is None:
        raise XapiError("statementId", "PUT needs a statementId parameter")
    if not is_uuid(statement_id):
        raise XapiError("statementId", "must be a UUID")
    extra = set(xreq.params) - {"statementId"}
    if extra:
        raise XapiError(sorted(extra)[0], "is not a parameter of PUT /statements")
    if not isinstance(data, dict):
        raise XapiError("$", "PUT takes a single statement object")
    if "id" in data and str(data["id"]).lower() != statement_id.lower():
        raise XapiError("$.id", "differs from the statementId parameter")
    data = {**data, "id": statement_id.lower()}
    services.statements_store(
        statements=[data],
        version=xreq.version,
        credential=xreq.credential,
        attachments=attachments,
        single=True,
    )
    return HttpResponse(status=204)


def _format_statements(
    xreq: XapiRequest, statements: list[dict[str, Any]], fmt: str
) -> list[dict[str, Any]]:
    if fmt == "ids":
        return [ids_format(s) for s in statements]
    if fmt == "canonical":
        languages = accept_languages(xreq.headers.get("accept-language", ""))
        iris = {
            a["id"]
            for s in statements
            for a in [s.get("object", {})]
            + [
                x
                for v in ((s.get("context") or {}).get("contextActivities") or {}).values()
                for x in v
            ]
            if isinstance(a, dict) and "id" in a
        }
        definitions = selectors.activity_definitions(iris)
        return [canonical_format(s, languages, definitions) for s in statements]
    return statements


def _respond_statements(
    xreq: XapiRequest, body: Any, statements: list[dict[str, Any]], attachments: bool
) -> HttpResponse:
    if not attachments:
        return json_response(body)
    payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    content, content_type = build_multipart(payload, selectors.attachments_for(statements))
    return HttpResponse(content, content_type=content_type)


def _statements_get(xreq: XapiRequest) -> HttpResponse:
    params = xreq.params
    fmt = params.get("format", "exact")
    if fmt not in ("exact", "ids", "canonical"):
        raise XapiError("format", "must be exact, ids or canonical")
    attachments = parse_bool(params, "attachments")
    single = [k for k in ("statementId", "voidedStatementId") if k in params]
    if single:
        if len(single) > 1:
            raise XapiError("voidedStatementId", "cannot be used with statementId")
        name = single[0]
        extra = set(params) - {name, "format", "attachments"}
        if extra:
            raise XapiError(sorted(extra)[0], f"cannot be used with {name}")
        row = selectors.statement_get(statement_id=params[name], voided=name == "voidedStatementId")
        if row is None or not _may_read(xreq, row.credential_id):
            raise NotFoundError(f"no statement with {name}={params[name]}")
        statement = selectors.statement_payload(row)
        xreq.response_headers["Last-Modified"] = http_date(row.stored.timestamp())
        formatted = _format_statements(xreq, [statement], fmt)[0]
        return _respond_statements(xreq, formatted, [statement], attachments)
    unknown = set(params) - _QUERY_PARAMS
    if unknown:
        raise XapiError(sorted(unknown)[0], "is not a parameter of GET /statements")
    query = _statement_query(xreq)
    rows, more = selectors.statement_query(query=query)
    statements = [selectors.statement_payload(r) for r in rows]
    result: dict[str, Any] = {"statements": _format_statements(xreq, statements, fmt)}
    result["more"] = ""
    if more and rows:
        cursor = signing.dumps(rows[-1].pk, salt=_CURSOR_SALT)
        next_params = {k: v for k, v in params.items() if k != "cursor"}
        next_params["cursor"] = cursor
        result["more"] = f"{xreq.raw.path}?{urlencode(next_params)}"
    return _respond_statements(xreq, result, statements, attachments)


def _may_read(xreq: XapiRequest, credential_id: Any) -> bool:
    scopes = xreq.scopes()
    if scopes & {Scope.ALL.value, Scope.ALL_READ.value, Scope.STATEMENTS_READ.value}:
        return True
    return xreq.credential is not None and credential_id == xreq.credential.id


def _statement_query(xreq: XapiRequest) -> StatementQuery:
    params = xreq.params
    query = StatementQuery()
    if "agent" in params:
        agent = parse_agent_param(params["agent"], version=xreq.version)
        query.agent_key = agent_key(agent)
    query.verb = _iri_param(params, "verb")
    query.activity = _iri_param(params, "activity")
    if "registration" in params:
        if not is_uuid(params["registration"]):
            raise XapiError("registration", "must be a UUID")
        query.registration = params["registration"]
    query.related_activities = parse_bool(params, "related_activities")
    query.related_agents = parse_bool(params, "related_agents")
    query.since = _timestamp_param(params, "since")
    query.until = _timestamp_param(params, "until")
    query.ascending = parse_bool(params, "ascending")
    if "limit" in params:
        try:
            query.limit = int(params["limit"])
        except ValueError as exc:
            raise XapiError("limit", "must be a non-negative integer") from exc
        if query.limit < 0:
            raise XapiError("limit", "must be a non-negative integer")
    if "cursor" in params:
        try:
            query.after_id = int(signing.loads(params["cursor"], salt=_CURSOR_SALT))
        except (signing.BadSignature, ValueError, TypeError) as exc:
            raise XapiError("cursor", "is not a cursor this store issued") from exc
    scopes = xreq.scopes()
    if xreq.credential is not None and not scopes & {
        Scope.ALL.value,
        Scope.ALL_READ.value,
        Scope.STATEMENTS_READ.value,
    }:
        query.only_credential = str(xreq.credential.id)
    return query


# -- documents ---------------------------------------------------------------------------------


def _agent_param(xreq: XapiRequest, *, required: bool = True) -> str:
    raw = xreq.params.get("agent")
    if raw is None:
        if required:
            raise XapiError("agent", "is required")
        return ""
    return agent_key(parse_agent_param(raw, version=xreq.version)) or ""


def _document_response(document: Any) -> HttpResponse:
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    response["ETag"] = f'"{document.etag}"'
    response["Last-Modified"] = http_date(document.updated.timestamp())
    return response


def _documents(
    xreq: XapiRequest,
    *,
    kind: DocumentKind,
    id_param: str,
    address: dict[str, Any],
    allowed: set[str],
    require_precondition: str,
    scope: Scope,
) -> HttpResponse:
    unknown = set(xreq.params) - allowed - {id_param, "since"}
    if unknown:
        raise XapiError(sorted(unknown)[0], "is not a parameter of this resource")
    document_id = xreq.params.get(id_param)
    if xreq.method == "GET":
        xreq.require(Scope.ALL_READ, scope)
        if document_id is not None:
            if "since" in xreq.params:
                raise XapiError("since", f"cannot be used with {id_param}")
            document = selectors.document_get(kind=kind, document_id=document_id, **address)
            if document is None:
                raise NotFoundError(f"no document with {id_param}={document_id}")
            return _document_response(document)
        since = _timestamp_param(xreq.params, "since")
        return json_response(selectors.document_ids(kind=kind, since=since, **address))
    if "since" in xreq.params:
        raise XapiError("since", "is only allowed on GET")
    xreq.require(scope)
    if xreq.method in ("PUT", "POST"):
        if document_id is None:
            raise XapiError(id_param, "is required")
        content_type = xreq.content_type or "application/octet-stream"
        media = content_type.split(";")[0].strip().lower()
        if media == "application/json":
            try:
                json.loads(xreq.body)
            except ValueError as exc:
                raise XapiError("body", "declared application/json but is not valid JSON") from exc
        services.document_put(
            kind=kind,
            document_id=document_id,
            content=xreq.body,
            content_type=content_type,
            merge=xreq.method == "POST",
            if_match=xreq.headers.get("if-match"),
            if_none_match=xreq.headers.get("if-none-match"),
            require_precondition=require_precondition,
            **address,
        )
        return HttpResponse(status=204)
    if xreq.method == "DELETE":
        if document_id is None and kind != DocumentKind.STATE:
            raise XapiError(id_param, "is required")
        services.documents_delete(
            kind=kind, document_id=document_id, if_match=xreq.headers.get("if-match"), **address
        )
        return HttpResponse(status=204)
    raise MethodError


def state_resource(xreq: XapiRequest) -> HttpResponse:
    activity_id = _iri_param(xreq.params, "activityId", required=True) or ""
    agent = _agent_param(xreq)
    registration = xreq.params.get("registration")
    if registration is not None and not is_uuid(registration):
        raise XapiError("registration", "must be a UUID")
    return _documents(
        xreq,
        kind=DocumentKind.STATE,
        id_param="stateId",
        address={"activity_id": activity_id, "agent": agent, "registration": registration},
        allowed={"activityId", "agent", "registration"},
        require_precondition="existing" if xreq.version.startswith("2.") else "",
        scope=Scope.STATE,
    )


def activity_profile_resource(xreq: XapiRequest) -> HttpResponse:
    activity_id = _iri_param(xreq.params, "activityId", required=True) or ""
    return _documents(
        xreq,
        kind=DocumentKind.ACTIVITY_PROFILE,
        id_param="profileId",
        address={"activity_id": activity_id, "agent": "", "registration": None},
        allowed={"activityId"},
        require_precondition="existing" if xreq.version.startswith("2.") else "always",
        scope=Scope.PROFILE,
    )


def agent_profile_resource(xreq: XapiRequest) -> HttpResponse:
    agent = _agent_param(xreq)
    return _documents(
        xreq,
        kind=DocumentKind.AGENT_PROFILE,
        id_param="profileId",
        address={"activity_id": "", "agent": agent, "registration": None},
        allowed={"agent"},
        require_precondition="existing" if xreq.version.startswith("2.") else "always",
        scope=Scope.PROFILE,
    )


def activities_resource(xreq: XapiRequest) -> HttpResponse:
    if xreq.method != "GET":
        raise MethodError
    xreq.require(Scope.ALL_READ, Scope.STATEMENTS_READ, Scope.PROFILE, Scope.DEFINE)
    unknown = set(xreq.params) - {"activityId"}
    if unknown:
        raise XapiError(sorted(unknown)[0], "is not a parameter of GET /activities")
    iri = _iri_param(xreq.params, "activityId", required=True) or ""
    return json_response(selectors.activity_get(iri=iri))


def agents_resource(xreq: XapiRequest) -> HttpResponse:
    if xreq.method != "GET":
        raise MethodError
    xreq.require(Scope.ALL_READ, Scope.STATEMENTS_READ, Scope.PROFILE)
    unknown = set(xreq.params) - {"agent"}
    if unknown:
        raise XapiError(sorted(unknown)[0], "is not a parameter of GET /agents")
    if "agent" not in xreq.params:
        raise XapiError("agent", "is required")
    agent = parse_agent_param(xreq.params["agent"], version=xreq.version)
    return json_response(person([agent]))


def about_resource(xreq: XapiRequest) -> HttpResponse:
    if xreq.method != "GET":
        raise MethodError
    return json_response({"version": ABOUT_VERSIONS, "extensions": {}})


statements = xapi_resource(statements_resource)
state = xapi_resource(state_resource)
activity_profile = xapi_resource(activity_profile_resource)
agent_profile = xapi_resource(agent_profile_resource)
activities = xapi_resource(activities_resource)
agents = xapi_resource(agents_resource)
about = xapi_resource(about_resource, public=True)
