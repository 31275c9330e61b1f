"""Storing statements: PUT, POST single and batch, validation, conflicts, what the store adds."""

from __future__ import annotations

import uuid

import pytest

from edubridge.records.models import Statement
from tests.records.conftest import Xapi, statement


def test_post_single_statement_returns_its_id(xapi: Xapi) -> None:
    sent = statement()
    response = xapi.post("statements", sent)
    assert response.status_code == 200
    assert response.json() == [sent["id"]]


def test_post_without_id_gets_a_generated_uuid(xapi: Xapi) -> None:
    sent = statement()
    del sent["id"]
    [generated] = xapi.post("statements", sent).json()
    assert uuid.UUID(generated)


def test_post_batch_stores_every_statement_in_order(xapi: Xapi) -> None:
    batch = [statement() for _ in range(3)]
    response = xapi.post("statements", batch)
    assert response.json() == [s["id"] for s in batch]
    assert Statement.objects.filter(statement_id__in=[s["id"] for s in batch]).count() == 3


def test_put_with_statement_id_returns_204(xapi: Xapi) -> None:
    sent = statement()
    response = xapi.put("statements", sent, params={"statementId": sent["id"]})
    assert response.status_code == 204


def test_put_without_statement_id_is_rejected(xapi: Xapi) -> None:
    response = xapi.put("statements", statement())
    assert response.status_code == 400
    assert response.json()["path"] == "statementId"


def test_put_with_a_different_id_in_the_body_is_rejected(xapi: Xapi) -> None:
    response = xapi.put("statements", statement(), params={"statementId": str(uuid.uuid4())})
    assert response.status_code == 400
    assert response.json()["path"] == "$.id"


def test_same_statement_sent_again_is_accepted_and_not_duplicated(xapi: Xapi) -> None:
    sent = statement()
    xapi.post("statements", sent)
    assert xapi.put("statements", sent, params={"statementId": sent["id"]}).status_code == 204
    assert Statement.objects.filter(statement_id=sent["id"]).count() == 1


def test_same_id_with_other_content_is_a_conflict_and_changes_nothing(xapi: Xapi) -> None:
    sent = statement()
    xapi.post("statements", sent)
    other = statement(id=sent["id"], verb={"id": "http://example.org/verbs/other"})
    assert xapi.post("statements", other).status_code == 409
    stored = xapi.get("statements", params={"statementId": sent["id"]}).json()
    assert stored["verb"]["id"] == sent["verb"]["id"]


def test_a_batch_with_a_repeated_id_is_rejected(xapi: Xapi) -> None:
    first = statement()
    response = xapi.post("statements", [first, statement(id=first["id"])])
    assert response.status_code == 400
    assert response.json()["path"] == "$[1].id"


def test_nothing_of_a_rejected_batch_is_stored(xapi: Xapi) -> None:
    good = statement()
    bad = statement(verb={"id": "not an iri"})
    response = xapi.post("statements", [good, bad])
    assert response.status_code == 400
    assert response.json()["path"] == "$[1].verb.id"
    assert not Statement.objects.filter(statement_id=good["id"]).exists()


def test_store_sets_stored_authority_timestamp_and_version(xapi: Xapi) -> None:
    sent = statement()
    xapi.post("statements", sent)
    stored = xapi.get("statements", params={"statementId": sent["id"]}).json()
    assert stored["stored"].endswith("Z")
    assert stored["timestamp"] == stored["stored"]
    assert stored["authority"]["account"]["name"].startswith("xapi-")
    assert stored["version"] == "2.0.0"


def test_authority_sent_by_the_client_is_replaced_by_the_credentials(xapi: Xapi) -> None:
    sent = statement(authority={"objectType": "Agent", "mbox": "mailto:someone@example.org"})
    xapi.post("statements", sent)
    stored = xapi.get("statements", params={"statementId": sent["id"]}).json()
    assert "mbox" not in stored["authority"]


def test_statements_version_1_0_3_defaults_version_1_0_0(make_xapi: object) -> None:
    client = make_xapi(version="1.0.3")  # type: ignore[operator]
    sent = statement()
    client.post("statements", sent)
    assert client.get("statements", params={"statementId": sent["id"]}).json()["version"] == "1.0.0"


def test_single_context_activity_is_stored_as_an_array(xapi: Xapi) -> None:
    sent = statement(context={"contextActivities": {"parent": {"id": "http://example.org/c"}}})
    xapi.post("statements", sent)
    stored = xapi.get("statements", params={"statementId": sent["id"]}).json()
    assert stored["context"]["contextActivities"]["parent"] == [{"id": "http://example.org/c"}]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"actor": {"mbox": "ana@example.org"}}, "$.actor.mbox"),
        ({"actor": {"mbox": "mailto:a@b.org", "openid": "http://a.org"}}, "$.actor"),
        ({"actor": {"objectType": "Group"}}, "$.actor.member"),
        ({"verb": {"display": {"en": "x"}}}, "$.verb.id"),
        ({"verb": {"id": "http://v", "display": {"not a tag!": "x"}}}, "$.verb.display.not a tag!"),
        ({"object": {"objectType": "StatementRef", "id": "nope"}}, "$.object.id"),
        ({"result": {"score": {"scaled": 2}}}, "$.result.score.scaled"),
        ({"result": {"duration": "1 hour"}}, "$.result.duration"),
        ({"context": {"registration": "abc"}}, "$.context.registration"),
        ({"timestamp": "yesterday"}, "$.timestamp"),
        ({"id": "123"}, "$.id"),
        ({"unknown": 1}, "$.unknown"),
        ({"version": "3.0.0"}, "$.version"),
    ],
)
def test_malformed_statement_gets_400_naming_the_property(
    xapi: Xapi, change: dict[str, object], path: str
) -> None:
    response = xapi.post("statements", statement(**change))
    assert response.status_code == 400
    assert response.json()["path"] == path


def test_body_that_is_not_json_is_rejected(xapi: Xapi) -> None:
    response = xapi.request("POST", "statements", raw=b"{not json")
    assert response.status_code == 400


def test_voiding_hides_the_target_from_statement_id_and_queries(xapi: Xapi) -> None:
    target = statement()
    xapi.post("statements", target)
    voiding = statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": target["id"]},
    )
    xapi.post("statements", voiding)
    assert xapi.get("statements", params={"statementId": target["id"]}).status_code == 404
    voided = xapi.get("statements", params={"voidedStatementId": target["id"]})
    assert voided.status_code == 200
    assert voided.json()["id"] == target["id"]
    ids = [s["id"] for s in xapi.get("statements").json()["statements"]]
    assert target["id"] not in ids
    assert voiding["id"] in ids


def test_a_voiding_statement_cannot_be_voided(xapi: Xapi) -> None:
    target = statement()
    xapi.post("statements", target)
    voided_verb = {"id": "http://adlnet.gov/expapi/verbs/voided"}
    voiding = statement(verb=voided_verb, object={"objectType": "StatementRef", "id": target["id"]})
    xapi.post("statements", voiding)
    again = statement(verb=voided_verb, object={"objectType": "StatementRef", "id": voiding["id"]})
    xapi.post("statements", again)
    assert xapi.get("statements", params={"statementId": voiding["id"]}).status_code == 200


def test_a_statement_voided_before_it_arrives_is_stored_voided(xapi: Xapi) -> None:
    later = statement()
    voiding = statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": later["id"]},
    )
    assert xapi.post("statements", voiding).status_code == 200
    xapi.post("statements", later)
    assert xapi.get("statements", params={"statementId": later["id"]}).status_code == 404


def test_stored_statements_are_immutable_rows(xapi: Xapi) -> None:
    sent = statement()
    xapi.post("statements", sent)
    before = Statement.objects.get(statement_id=sent["id"]).payload
    xapi.post("statements", statement(id=sent["id"], result={"success": True}))
    assert Statement.objects.get(statement_id=sent["id"]).payload == before
