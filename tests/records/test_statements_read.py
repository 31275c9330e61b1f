"""GET /statements: single lookups, every filter, paging, formats, headers."""

from __future__ import annotations

import time
import uuid
from typing import Any

from edubridge.engines.xapi.syntax import parse_timestamp
from tests.records.conftest import Xapi, statement

ANA = {"objectType": "Agent", "mbox": "mailto:ana@example.org"}
BUDI = {"objectType": "Agent", "mbox": "mailto:budi@example.org"}
ANSWERED = {"id": "http://adlnet.gov/expapi/verbs/answered"}
PASSED = {"id": "http://adlnet.gov/expapi/verbs/passed"}
ITEM = {"id": "http://example.org/items/7"}
COURSE = {"id": "http://example.org/courses/fractions"}


def ids(xapi: Xapi, **params: Any) -> list[str]:
    response = xapi.get("statements", params=params)
    assert response.status_code == 200, response.content
    return [s["id"] for s in response.json()["statements"]]


def test_get_by_statement_id_returns_the_statement(xapi: Xapi) -> None:
    sent = statement()
    xapi.post("statements", sent)
    response = xapi.get("statements", params={"statementId": sent["id"]})
    assert response.status_code == 200
    assert response.json()["id"] == sent["id"]


def test_get_by_statement_id_has_last_modified_of_stored(xapi: Xapi) -> None:
    sent = statement()
    xapi.post("statements", sent)
    response = xapi.get("statements", params={"statementId": sent["id"]})
    assert response["Last-Modified"].endswith("GMT")


def test_unknown_statement_id_is_404(xapi: Xapi) -> None:
    assert xapi.get("statements", params={"statementId": str(uuid.uuid4())}).status_code == 404


def test_statement_id_with_another_filter_is_rejected(xapi: Xapi) -> None:
    response = xapi.get("statements", params={"statementId": str(uuid.uuid4()), "verb": "http://v"})
    assert response.status_code == 400


def test_statement_id_may_be_combined_with_format_and_attachments(xapi: Xapi) -> None:
    sent = statement()
    xapi.post("statements", sent)
    params = {"statementId": sent["id"], "format": "ids", "attachments": "false"}
    assert xapi.get("statements", params=params).status_code == 200


def test_unknown_parameter_is_rejected(xapi: Xapi) -> None:
    response = xapi.get("statements", params={"colour": "red"})
    assert response.status_code == 400
    assert response.json()["path"] == "colour"


def test_agent_filter_matches_actor_and_object(xapi: Xapi) -> None:
    as_actor = statement(actor=ANA)
    as_object = statement(actor=BUDI, object=ANA)
    other = statement(actor=BUDI)
    xapi.post("statements", [as_actor, as_object, other])
    found = ids(xapi, agent=ANA)
    assert as_actor["id"] in found
    assert as_object["id"] in found
    assert other["id"] not in found


def test_agent_filter_ignores_instructor_unless_related_agents(xapi: Xapi) -> None:
    taught = statement(actor=BUDI, context={"instructor": ANA})
    xapi.post("statements", taught)
    assert taught["id"] not in ids(xapi, agent=ANA)
    assert taught["id"] in ids(xapi, agent=ANA, related_agents="true")


def test_verb_filter(xapi: Xapi) -> None:
    answered, passed = statement(verb=ANSWERED), statement(verb=PASSED)
    xapi.post("statements", [answered, passed])
    found = ids(xapi, verb=PASSED["id"])
    assert passed["id"] in found
    assert answered["id"] not in found


def test_activity_filter_and_related_activities(xapi: Xapi) -> None:
    direct = statement(object=ITEM)
    in_context = statement(object=COURSE, context={"contextActivities": {"parent": [ITEM]}})
    xapi.post("statements", [direct, in_context])
    assert ids(xapi, activity=ITEM["id"]) == [direct["id"]]
    assert set(ids(xapi, activity=ITEM["id"], related_activities="true")) == {
        direct["id"],
        in_context["id"],
    }


def test_registration_filter(xapi: Xapi) -> None:
    registration = str(uuid.uuid4())
    registered = statement(context={"registration": registration})
    xapi.post("statements", [registered, statement()])
    assert ids(xapi, registration=registration) == [registered["id"]]


def test_filters_combine_with_and(xapi: Xapi) -> None:
    both = statement(actor=ANA, verb=PASSED)
    only_agent = statement(actor=ANA, verb=ANSWERED)
    xapi.post("statements", [both, only_agent])
    found = ids(xapi, agent=ANA, verb=PASSED["id"])
    assert both["id"] in found
    assert only_agent["id"] not in found


def test_since_and_until_filter_on_stored(xapi: Xapi) -> None:
    first = statement()
    xapi.post("statements", first)
    stored_first = xapi.get("statements", params={"statementId": first["id"]}).json()["stored"]
    time.sleep(0.01)
    second = statement()
    xapi.post("statements", second)
    assert first["id"] not in ids(xapi, since=stored_first)
    assert second["id"] in ids(xapi, since=stored_first)
    assert first["id"] in ids(xapi, until=stored_first)
    assert second["id"] not in ids(xapi, until=stored_first)


def test_a_time_window_pages_newest_first_through_every_statement_once(xapi: Xapi) -> None:
    xapi.post("statements", statement())
    time.sleep(0.01)
    window = []
    for _ in range(3):  # three batches, stored at three moments
        batch = [statement() for _ in range(2)]
        xapi.post("statements", batch)
        window += [s["id"] for s in batch]
        time.sleep(0.01)
    since = xapi.get("statements", params={"statementId": window[0]}).json()["stored"]
    until = xapi.get("statements", params={"statementId": window[-1]}).json()["stored"]
    xapi.post("statements", statement())  # after the window
    for ascending, expected in (("false", window[2:][::-1]), ("true", window[2:])):
        params = {"since": since, "until": until, "limit": 1, "ascending": ascending}
        page = xapi.get("statements", params=params).json()
        seen = [s["id"] for s in page["statements"]]
        while page["more"]:
            page = xapi.client.get(page["more"], headers=xapi.headers()).json()
            seen += [s["id"] for s in page["statements"]]
        assert seen == expected


def test_newest_first_unless_ascending(xapi: Xapi) -> None:
    batch = [statement(actor=BUDI, verb=PASSED) for _ in range(3)]
    for s in batch:
        xapi.post("statements", s)
    order = [s["id"] for s in batch]
    assert ids(xapi, verb=PASSED["id"], agent=BUDI) == order[::-1]
    assert ids(xapi, verb=PASSED["id"], agent=BUDI, ascending="true") == order


def test_limit_and_more_page_through_everything_once(xapi: Xapi) -> None:
    registration = str(uuid.uuid4())
    batch = [statement(context={"registration": registration}) for _ in range(5)]
    xapi.post("statements", batch)
    page = xapi.get("statements", params={"registration": registration, "limit": 2}).json()
    seen = [s["id"] for s in page["statements"]]
    while page["more"]:
        xapi.post("statements", statement(context={"registration": registration}))
        path = page["more"].partition("?")[0]
        assert path == "/xapi/statements"
        response = xapi.client.get(page["more"], headers=xapi.headers())
        page = response.json()
        seen += [s["id"] for s in page["statements"]]
    assert seen == [s["id"] for s in batch][::-1]


def test_consistent_through_header_on_every_statements_response(xapi: Xapi) -> None:
    good = xapi.get("statements")
    bad = xapi.get("statements", params={"limit": "-1"})
    for response in (good, bad):
        assert parse_timestamp(response["X-Experience-API-Consistent-Through"])
    assert bad.status_code == 400


def test_format_ids_keeps_only_identifiers(xapi: Xapi) -> None:
    sent = statement(
        actor={**ANA, "name": "Ana"}, object={**ITEM, "definition": {"name": {"en": "x"}}}
    )
    xapi.post("statements", sent)
    got = xapi.get("statements", params={"statementId": sent["id"], "format": "ids"}).json()
    assert got["actor"] == ANA
    assert got["object"] == {"id": ITEM["id"]}
    assert got["verb"] == {"id": sent["verb"]["id"]}


def test_format_canonical_returns_one_language(xapi: Xapi) -> None:
    verb = {"id": "http://example.org/verbs/read", "display": {"en-US": "read", "id": "membaca"}}
    sent = statement(verb=verb)
    xapi.post("statements", sent)
    response = xapi.get(
        "statements",
        params={"statementId": sent["id"], "format": "canonical"},
        headers={"Accept-Language": "id"},
    )
    assert response.json()["verb"]["display"] == {"id": "membaca"}


def test_format_exact_returns_every_language(xapi: Xapi) -> None:
    verb = {"id": "http://example.org/verbs/read", "display": {"en-US": "read", "id": "membaca"}}
    sent = statement(verb=verb)
    xapi.post("statements", sent)
    got = xapi.get("statements", params={"statementId": sent["id"]}).json()
    assert got["verb"]["display"] == verb["display"]


def test_statement_ref_matches_the_filters_of_its_target(xapi: Xapi) -> None:
    target = statement(actor=ANA, verb=PASSED, object=COURSE)
    referring = statement(
        actor=BUDI,
        verb={"id": "http://example.org/verbs/commented"},
        object={"objectType": "StatementRef", "id": target["id"]},
    )
    xapi.post("statements", [target, referring])
    found = ids(xapi, activity=COURSE["id"], verb=PASSED["id"])
    assert referring["id"] in found


def test_statement_ref_sent_before_its_target_matches_once_the_target_arrives(xapi: Xapi) -> None:
    target = statement(object={"id": "http://example.org/late"})
    referring = statement(object={"objectType": "StatementRef", "id": target["id"]})
    xapi.post("statements", referring)
    xapi.post("statements", target)
    assert referring["id"] in ids(xapi, activity="http://example.org/late")


def test_invalid_filter_values_are_rejected(xapi: Xapi) -> None:
    for params in (
        {"agent": "not json"},
        {"verb": "not an iri"},
        {"registration": "123"},
        {"since": "yesterday"},
        {"limit": "many"},
        {"format": "pretty"},
        {"ascending": "maybe"},
    ):
        assert xapi.get("statements", params=params).status_code == 400, params
