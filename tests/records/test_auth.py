"""HTTP Basic credentials: hashed storage, revocation, and what each scope allows."""

from __future__ import annotations

from typing import Any

from django.test import Client

from edubridge.records.models import XapiCredential
from edubridge.records.services import credential_create, credential_revoke
from tests.records.conftest import Xapi, statement


def test_request_without_credentials_is_401_with_challenge(client: Client, db: None) -> None:
    response = client.get("/xapi/statements", headers={"X-Experience-API-Version": "2.0.0"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")


def test_wrong_secret_is_401(client: Client, db: None) -> None:
    issued = credential_create(name="tool")
    wrong = Xapi(client, issued.key, "not-the-secret")
    assert wrong.get("statements").status_code == 401


def test_secret_is_stored_only_as_a_hash(db: None) -> None:
    issued = credential_create(name="tool")
    row = XapiCredential.objects.get(key=issued.key)
    assert issued.secret not in row.hashed_secret
    assert len(row.hashed_secret) == 64


def test_revoked_credential_is_refused(client: Client, db: None) -> None:
    issued = credential_create(name="tool")
    credential_revoke(credential_id=issued.id)
    assert Xapi(client, issued.key, issued.secret).get("statements").status_code == 401


def test_write_scope_cannot_read(make_xapi: Any) -> None:
    writer = make_xapi(scopes=("statements/write",))
    assert writer.post("statements", statement()).status_code == 200
    assert writer.get("statements").status_code == 403


def test_read_scope_cannot_write(make_xapi: Any) -> None:
    reader = make_xapi(scopes=("statements/read",))
    assert reader.post("statements", statement()).status_code == 403


def test_read_mine_sees_only_its_own_statements(make_xapi: Any) -> None:
    mine_client = make_xapi(scopes=("statements/write", "statements/read/mine"))
    other_client = make_xapi(scopes=("statements/write",))
    mine, other = statement(), statement()
    mine_client.post("statements", mine)
    other_client.post("statements", other)
    listed = [s["id"] for s in mine_client.get("statements").json()["statements"]]
    assert mine["id"] in listed
    assert other["id"] not in listed
    assert mine_client.get("statements", params={"statementId": other["id"]}).status_code == 404


def test_all_read_reads_everything_but_writes_nothing(make_xapi: Any) -> None:
    writer = make_xapi(scopes=("statements/write",))
    sent = statement()
    writer.post("statements", sent)
    reader = make_xapi(scopes=("all/read",))
    assert reader.get("statements", params={"statementId": sent["id"]}).status_code == 200
    params = {
        "activityId": "http://example.org/a",
        "agent": {"mbox": "mailto:a@b.org"},
        "stateId": "s",
    }
    assert reader.put("activities/state", {"a": 1}, params=params).status_code == 403


def test_state_scope_is_needed_for_state_documents(make_xapi: Any) -> None:
    params = {
        "activityId": "http://example.org/a",
        "agent": {"mbox": "mailto:a@b.org"},
        "stateId": "s",
    }
    assert (
        make_xapi(scopes=("statements/write",))
        .put("activities/state", {}, params=params)
        .status_code
        == 403
    )
    assert (
        make_xapi(scopes=("state",)).put("activities/state", {}, params=params).status_code == 204
    )


def test_authority_names_the_credential(make_xapi: Any) -> None:
    writer = make_xapi(scopes=("all",))
    sent = statement()
    writer.post("statements", sent)
    stored = writer.get("statements", params={"statementId": sent["id"]}).json()
    key = stored["authority"]["account"]["name"]
    assert XapiCredential.objects.filter(key=key).exists()


def test_unknown_scope_is_refused_at_creation(db: None) -> None:
    import pytest

    with pytest.raises(ValueError, match="unknown xAPI scope"):
        credential_create(name="tool", scopes=("everything",))


def test_integrator_issues_credentials_on_the_page(client: Client, demo_network: None) -> None:
    from edubridge.accounts.models import RoleAssignment

    integrator = RoleAssignment.objects.filter(role="integrator").first()
    assert integrator is not None
    client.force_login(integrator.user)
    response = client.post("/xapi/credentials/", {"name": "Moodle", "scope": ["statements/write"]})
    assert response.status_code == 200
    assert XapiCredential.objects.filter(name="Moodle", owner=integrator.user).exists()


def test_learner_cannot_open_the_credentials_page(client: Client, demo_network: None) -> None:
    from edubridge.accounts.models import RoleAssignment

    learner = RoleAssignment.objects.filter(role="learner").first()
    assert learner is not None
    client.force_login(learner.user)
    assert client.get("/xapi/credentials/").status_code in (302, 403)
