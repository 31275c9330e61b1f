"""Version header, about, activities, agents, HEAD and the 1.0.3 alternate request syntax."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from tests.records.conftest import Xapi, statement


def test_about_needs_no_credentials_and_lists_versions(client: Client, db: None) -> None:
    response = client.get("/xapi/about")
    assert response.status_code == 200
    assert {"1.0.3", "2.0.0"} <= set(response.json()["version"])
    assert response["X-Experience-API-Version"] == "2.0.0"


def test_missing_version_header_is_400_with_version_header(make_xapi: Any) -> None:
    response = make_xapi(version="").get("statements")
    assert response.status_code == 400
    assert response.json()["path"] == "X-Experience-API-Version"
    assert response["X-Experience-API-Version"] == "2.0.0"


@pytest.mark.parametrize("version", ["0.95", "1.1.0", "3.0.0", "banana"])
def test_unsupported_version_is_400(make_xapi: Any, version: str) -> None:
    assert make_xapi(version=version).get("statements").status_code == 400


@pytest.mark.parametrize(
    ("sent", "answered"),
    [("1.0.3", "1.0.3"), ("1.0.0", "1.0.3"), ("2.0.0", "2.0.0"), ("2.0", "2.0.0")],
)
def test_response_carries_the_negotiated_version(make_xapi: Any, sent: str, answered: str) -> None:
    assert make_xapi(version=sent).get("statements")["X-Experience-API-Version"] == answered


def test_context_agents_are_accepted_in_2_0_only(make_xapi: Any) -> None:
    party = {"objectType": "contextAgent", "agent": {"mbox": "mailto:t@example.org"}}
    sent = statement(context={"contextAgents": [party]})
    assert make_xapi(version="2.0.0").post("statements", sent).status_code == 200
    old = statement(context={"contextAgents": [party]})
    assert make_xapi(version="1.0.3").post("statements", old).status_code == 400


def test_activities_returns_the_latest_definition(xapi: Xapi) -> None:
    activity = {"id": "http://example.org/items/9", "definition": {"name": {"en": "Fractions"}}}
    xapi.post("statements", statement(object=activity))
    got = xapi.get("activities", params={"activityId": activity["id"]}).json()
    assert got == {"objectType": "Activity", **activity}


def test_activities_needs_an_activity_id(xapi: Xapi) -> None:
    assert xapi.get("activities").status_code == 400


def test_agents_returns_a_person(xapi: Xapi) -> None:
    agent = {"objectType": "Agent", "mbox": "mailto:ana@example.org", "name": "Ana"}
    got = xapi.get("agents", params={"agent": agent}).json()
    assert got == {"objectType": "Person", "name": ["Ana"], "mbox": ["mailto:ana@example.org"]}


def test_agents_rejects_an_agent_without_identifier(xapi: Xapi) -> None:
    assert xapi.get("agents", params={"agent": {"name": "nobody"}}).status_code == 400


def test_head_returns_headers_without_body(xapi: Xapi) -> None:
    response = xapi.client.head("/xapi/statements", headers=xapi.headers())
    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Experience-API-Consistent-Through"]


def test_wrong_method_is_405(xapi: Xapi) -> None:
    assert xapi.request("DELETE", "statements").status_code == 405


def _alternate(xapi: Xapi, method: str, fields: dict[str, str]) -> Any:
    return xapi.client.post(
        f"/xapi/statements?method={method}",
        data=urlencode(fields),
        content_type="application/x-www-form-urlencoded",
    )


def test_alternate_request_syntax_works_in_1_0_3(make_xapi: Any) -> None:
    old = make_xapi(version="1.0.3")
    sent = statement()
    fields = {
        "Authorization": old.auth,
        "X-Experience-API-Version": "1.0.3",
        "Content-Type": "application/json",
        "statementId": sent["id"],
        "content": __import__("json").dumps(sent),
    }
    assert _alternate(old, "PUT", fields).status_code == 204
    assert old.get("statements", params={"statementId": sent["id"]}).status_code == 200


def test_alternate_request_syntax_is_rejected_in_2_0(xapi: Xapi) -> None:
    response = xapi.client.post(
        "/xapi/statements?method=GET",
        data="",
        content_type="application/x-www-form-urlencoded",
        headers=xapi.headers(),
    )
    assert response.status_code == 400


def test_basic_header_is_case_insensitive_scheme(xapi: Xapi) -> None:
    token = xapi.auth.split(" ", 1)[1]
    assert base64.b64decode(token)
    headers = {**xapi.headers(), "Authorization": "basic " + token}
    assert xapi.client.get("/xapi/statements", headers=headers).status_code == 200
