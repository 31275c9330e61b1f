"""The HTTP API: OpenAPI document, API keys for integrators, key authentication."""

from __future__ import annotations

import pytest
from django.test import Client

from edubridge.accounts.models import User
from edubridge.core.models import AuditEvent

pytestmark = pytest.mark.usefixtures("demo_network")


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_openapi_document_describes_the_api() -> None:
    document = Client().get("/api/openapi.json").json()
    assert document["info"]["title"] == "EduBridge node API"
    assert {"/api/health", "/api/node", "/api/accounts/me", "/api/accounts/api-keys"} <= set(
        document["paths"]
    )


def test_api_docs_page_is_served_from_the_node_itself() -> None:
    response = Client().get("/api/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "https://" not in page  # works offline and under the content security policy


def test_an_integrator_issues_a_key_and_a_machine_client_uses_it() -> None:
    created = signed_in("integrator").post(
        "/api/accounts/api-keys", {"name": "moodle sync"}, content_type="application/json"
    )
    assert created.status_code == 201
    key = created.json()["key"]
    me = Client().get("/api/accounts/me", HTTP_X_API_KEY=key)
    assert me.status_code == 200
    assert me.json()["username"] == "integrator"
    assert me.json()["roles"] == ["integrator"]
    assert AuditEvent.objects.filter(action="api_key.created", actor_label="integrator").exists()


def test_the_full_key_is_never_listed_again() -> None:
    client = signed_in("integrator")
    key = client.post(
        "/api/accounts/api-keys", {"name": "lrs"}, content_type="application/json"
    ).json()["key"]
    listed = client.get("/api/accounts/api-keys").content.decode()
    assert key not in listed


def test_a_revoked_key_is_refused() -> None:
    client = signed_in("integrator")
    issued = client.post(
        "/api/accounts/api-keys", {"name": "old"}, content_type="application/json"
    ).json()
    assert client.delete(f"/api/accounts/api-keys/{issued['id']}").status_code == 200
    assert Client().get("/api/accounts/me", HTTP_X_API_KEY=issued["key"]).status_code == 401


def test_a_wrong_key_is_refused() -> None:
    assert Client().get("/api/accounts/me", HTTP_X_API_KEY="eb_nope_nope").status_code == 401


def test_learners_cannot_issue_keys() -> None:
    response = signed_in("learner").post(
        "/api/accounts/api-keys", {"name": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "integrators" in response.json()["detail"]


def test_an_unnamed_key_is_refused_with_a_reason() -> None:
    response = signed_in("integrator").post(
        "/api/accounts/api-keys", {"name": "  "}, content_type="application/json"
    )
    assert response.status_code == 422


def test_the_api_keys_page_shows_a_new_key_once() -> None:
    client = signed_in("integrator")
    page = client.post("/api-keys/", {"name": "from the page"}).content.decode()
    assert 'id="issued-key">eb_' in page
    assert 'id="issued-key"' not in client.get("/api-keys/").content.decode()


def test_a_keys_last_use_is_recorded_to_the_minute_without_a_write_per_request() -> None:
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from edubridge.accounts.models import ApiKey

    key = (
        signed_in("integrator")
        .post("/api/accounts/api-keys", {"name": "lms"}, content_type="application/json")
        .json()["key"]
    )
    Client().get("/api/accounts/me", HTTP_X_API_KEY=key)
    stored = ApiKey.objects.get(name="lms")
    first_use = stored.last_used_at
    assert first_use is not None

    with CaptureQueriesContext(connection) as queries:
        Client().get("/api/accounts/me", HTTP_X_API_KEY=key)
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert ApiKey.objects.get(pk=stored.pk).last_used_at == first_use

    ApiKey.objects.filter(pk=stored.pk).update(last_used_at=first_use - timedelta(minutes=2))
    Client().get("/api/accounts/me", HTTP_X_API_KEY=key)
    assert ApiKey.objects.get(pk=stored.pk).last_used_at > first_use
