"""An xAPI client for tests: Basic credentials with chosen scopes, version header by default."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from edubridge.records.services import credential_create


class Xapi:
    """Sends xAPI requests through Django's test client, as a third-party tool would."""

    def __init__(self, client: Client, key: str, secret: str, version: str = "2.0.0") -> None:
        self.client = client
        self.auth = "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()
        self.version = version

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Authorization": self.auth}
        if self.version:
            headers["X-Experience-API-Version"] = self.version
        headers.update(extra or {})
        return headers

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: Any = None,
        raw: bytes | None = None,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> Any:
        url = "/xapi/" + path
        if params:
            from urllib.parse import urlencode

            url += "?" + urlencode(
                {k: json.dumps(v) if isinstance(v, dict) else v for k, v in params.items()}
            )
        data: bytes | str = raw if raw is not None else (b"" if body is None else json.dumps(body))
        call = getattr(self.client, method.lower())
        kwargs: dict[str, Any] = {"headers": self.headers(headers)}
        if method in ("PUT", "POST", "DELETE"):
            kwargs["data"] = data
            kwargs["content_type"] = content_type
        return call(url, **kwargs)

    def post(self, path: str, body: Any, **kw: Any) -> Any:
        return self.request("POST", path, body=body, **kw)

    def put(self, path: str, body: Any, **kw: Any) -> Any:
        return self.request("PUT", path, body=body, **kw)

    def get(self, path: str, **kw: Any) -> Any:
        return self.request("GET", path, **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.request("DELETE", path, **kw)


def statement(**overrides: Any) -> dict[str, Any]:
    """A small valid statement; keyword arguments replace top-level properties."""
    base: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "mbox": "mailto:ana@example.org", "name": "Ana"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}},
        "object": {"id": "http://example.org/items/1", "objectType": "Activity"},
    }
    base.update(overrides)
    return base


@pytest.fixture
def make_xapi(db: None, client: Client) -> Callable[..., Xapi]:
    def make(scopes: tuple[str, ...] = ("all",), version: str = "2.0.0") -> Xapi:
        issued = credential_create(name="test client", scopes=scopes)
        return Xapi(client, issued.key, issued.secret, version)

    return make


@pytest.fixture
def xapi(make_xapi: Callable[..., Xapi]) -> Xapi:
    return make_xapi()
