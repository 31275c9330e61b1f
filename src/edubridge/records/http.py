"""The xAPI HTTP conventions every resource shares: versions, Basic auth, alternate syntax, errors."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from edubridge.engines.xapi.errors import XapiError
from edubridge.records import jsoncodec
from edubridge.records.data import Scope
from edubridge.records.models import XapiCredential
from edubridge.records.services import ConflictError, PreconditionError, credential_authenticate

VERSIONS_1 = {"1.0", "1.0.0", "1.0.1", "1.0.2", "1.0.3"}
VERSIONS_2 = {"2.0", "2.0.0"}
ABOUT_VERSIONS = ["1.0.0", "1.0.1", "1.0.2", "1.0.3", "2.0.0"]
_ALT_HEADERS = {
    "authorization",
    "x-experience-api-version",
    "content-type",
    "content-length",
    "if-match",
    "if-none-match",
}


@dataclass
class XapiRequest:
    """What a resource handler needs, after the alternate request syntax is unwrapped."""

    method: str
    params: dict[str, str]
    headers: dict[str, str]  # lower-cased names
    body: bytes
    version: str  # "1.0.3" or "2.0.0"
    credential: XapiCredential | None
    raw: HttpRequest
    response_headers: dict[str, str] = field(default_factory=dict)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def scopes(self) -> set[str]:
        return set(self.credential.scopes) if self.credential else set()

    def require(self, *allowed: Scope) -> None:
        if not self.scopes() & {s.value for s in (Scope.ALL, *allowed)}:
            raise ForbiddenError("this credential's scopes do not allow this request")


class ForbiddenError(Exception):
    pass


class NotFoundError(Exception):
    pass


class MethodError(Exception):
    pass


def error(status: int, message: str, path: str | None = None) -> HttpResponse:
    body: dict[str, Any] = {"error": message}
    if path:
        body["path"] = path
    return JsonResponse(body, status=status)


def _headers(request: HttpRequest) -> dict[str, str]:
    return {name.lower(): value for name, value in request.headers.items()}


def _single_params(request: HttpRequest) -> dict[str, str]:
    return {key: request.GET[key] for key in request.GET}


def _unwrap_alternate(
    request: HttpRequest, headers: dict[str, str]
) -> tuple[str, dict[str, str], dict[str, str], bytes]:
    """1.0.3's alternate request syntax: POST ?method=X with headers and content as form fields."""
    method = request.GET["method"].upper()
    if len(request.GET) > 1:
        raise XapiError("method", "no other query parameters are allowed with method")
    form = dict(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
    new_headers = dict(headers)
    params: dict[str, str] = {}
    content = b""
    for key, value in form.items():
        lowered = key.lower()
        if lowered in _ALT_HEADERS:
            new_headers[lowered] = value
        elif key == "content":
            content = value.encode()
        else:
            params[key] = value
    if "content" in form and "content-type" not in {k.lower() for k in form}:
        new_headers["content-type"] = "application/json"
    return method, params, new_headers, content


def negotiated_version(raw: str | None) -> str | None:
    if raw is None:
        return None
    raw = raw.strip()
    if raw in VERSIONS_2:
        return "2.0.0"
    if raw in VERSIONS_1:
        return "1.0.3"
    return None


def _authenticate(headers: dict[str, str]) -> XapiCredential | None:
    value = headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "basic" or not token:
        return None
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    key, sep, secret = decoded.partition(":")
    if not sep:
        return None
    return credential_authenticate(key=key, secret=secret)


Handler = Callable[[XapiRequest], HttpResponse]


def xapi_resource(
    handler: Handler, *, public: bool = False
) -> Callable[[HttpRequest], HttpResponse]:
    """Wrap a resource handler with version negotiation, authentication and error mapping."""

    @csrf_exempt
    def view(request: HttpRequest) -> HttpResponse:
        headers = _headers(request)
        method = request.method or "GET"
        params = _single_params(request)
        body = request.body
        version = negotiated_version(headers.get("x-experience-api-version"))
        try:
            if method == "POST" and "method" in request.GET:
                if version == "2.0.0":
                    raise XapiError(
                        "method", "the alternate request syntax is not part of xAPI 2.0"
                    )
                method, params, headers, body = _unwrap_alternate(request, headers)
                version = negotiated_version(headers.get("x-experience-api-version"))
        except XapiError as exc:
            return _finish(error(400, exc.message, exc.path), version or "2.0.0")
        if version is None and not public:
            shown = headers.get("x-experience-api-version")
            message = (
                "X-Experience-API-Version header is missing"
                if shown is None
                else f"X-Experience-API-Version {shown} is not supported (use 1.0.3 or 2.0.0)"
            )
            return _finish(error(400, message, "X-Experience-API-Version"), "2.0.0")
        credential = None
        if not public:
            credential = _authenticate(headers)
            if credential is None:
                response = error(401, "valid HTTP Basic credentials are required")
                response["WWW-Authenticate"] = 'Basic realm="xAPI"'
                return _finish(response, version or "2.0.0")
        xreq = XapiRequest(
            method="GET" if method == "HEAD" else method,
            params=params,
            headers=headers,
            body=body,
            version=version or "2.0.0",
            credential=credential,
            raw=request,
        )
        try:
            response = handler(xreq)
        except XapiError as exc:
            response = error(400, exc.message, exc.path)
        except ForbiddenError as exc:
            response = error(403, str(exc))
        except NotFoundError as exc:
            response = error(404, str(exc) or "not found")
        except MethodError:
            response = error(405, f"{method} is not allowed on this resource")
        except ConflictError as exc:
            response = error(409, str(exc))
        except PreconditionError as exc:
            response = error(412, str(exc))
        for name, value in xreq.response_headers.items():
            response[name] = value
        if method == "HEAD":
            response.content = b""
        return _finish(response, xreq.version)

    return view


def _finish(response: HttpResponse, version: str) -> HttpResponse:
    response["X-Experience-API-Version"] = version
    response["Access-Control-Expose-Headers"] = (
        "ETag, Last-Modified, X-Experience-API-Version, X-Experience-API-Consistent-Through"
    )
    return response


def json_response(data: Any, status: int = 200) -> HttpResponse:
    return HttpResponse(
        jsoncodec.dumps(data),
        status=status,
        content_type="application/json",
    )


def parse_bool(params: dict[str, str], name: str) -> bool:
    value = params.get(name)
    if value is None:
        return False
    if value.lower() not in ("true", "false"):
        raise XapiError(name, "must be true or false")
    return value.lower() == "true"
