"""The practice loop over the API with an API key, as integrators and the load test run it: the
answer chooses the next item so the next request only reads it, a double submit is still
refused, the statement is stored with its index, and the key's roles decide at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from edubridge.accounts.models import RoleAssignment, User
from edubridge.accounts.services import api_key_create
from edubridge.adaptive.demo import DEMO_CLASS
from edubridge.adaptive.models import Answer, Classroom, Pending
from edubridge.catalogue.models import Item
from edubridge.records.models import Statement, StatementIndex

pytestmark = pytest.mark.django_db


def keyed(username: str) -> Client:
    owner = User.objects.get(username=username)
    return Client(HTTP_X_API_KEY=api_key_create(owner=owner, name="test").plaintext)


def _right(item_id: int) -> str:
    return str(Item.objects.get(pk=item_id).data["correct_response"]["values"][0])


def _answer(client: Client, classroom: Classroom, item: int, response: str) -> dict:  # type: ignore[type-arg]
    body = {"classroom": classroom.pk, "item": item, "response": response}
    done = client.post("/api/adaptive/answers", body, content_type="application/json")
    assert done.status_code == 201, done.content
    return done.json()  # type: ignore[no-any-return]


def test_an_answer_keeps_the_next_choice_so_the_next_request_only_reads_it() -> None:
    client = keyed("learner")
    room = Classroom.objects.get(name=DEMO_CLASS)
    first = client.get(f"/api/adaptive/next?classroom={room.pk}").json()
    _answer(client, room, first["item"], _right(first["item"]))
    kept = Pending.objects.get(learner__username="learner", classroom=room)
    assert kept.item_id != first["item"]
    assert kept.hints_shown == 0
    with CaptureQueriesContext(connection) as queries:
        nxt = client.get(f"/api/adaptive/next?classroom={room.pk}").json()
    assert nxt["item"] == kept.item_id
    assert nxt["reason"] == kept.reason
    assert "correct_response" not in nxt["content"]
    # the key with its owner's roles, then the pending item with its class and bank
    assert len(queries) == 2


def test_a_double_submit_is_refused_after_the_next_item_was_chosen() -> None:
    client = keyed("learner")
    room = Classroom.objects.get(name=DEMO_CLASS)
    first = client.get(f"/api/adaptive/next?classroom={room.pk}").json()
    body = {"classroom": room.pk, "item": first["item"], "response": _right(first["item"])}
    assert client.post("/api/adaptive/answers", body, content_type="application/json").status_code
    statements = Statement.objects.count()
    again = client.post("/api/adaptive/answers", body, content_type="application/json")
    assert again.status_code == 409
    assert Answer.objects.filter(learner__username="learner").count() == 1
    assert Statement.objects.count() == statements


def test_each_answer_is_one_statement_with_its_index_rows() -> None:
    client = keyed("learner")
    room = Classroom.objects.get(name=DEMO_CLASS)
    for _ in range(3):
        nxt = client.get(f"/api/adaptive/next?classroom={room.pk}").json()
        done = _answer(client, room, nxt["item"], _right(nxt["item"]))
        stored = Statement.objects.get(statement_id=done["statement_id"])
        assert stored.about_minor is User.objects.get(username="learner").is_minor
        assert StatementIndex.objects.filter(statement=stored).count() >= 3
    assert Answer.objects.filter(learner__username="learner").count() == 3


@pytest.mark.parametrize("minor", [True, False])
def test_answers_are_marked_as_about_a_minor_exactly_when_the_learner_is_one(minor: bool) -> None:
    User.objects.filter(username="learner").update(is_minor=minor)
    client = keyed("learner")
    room = Classroom.objects.get(name=DEMO_CLASS)
    nxt = client.get(f"/api/adaptive/next?classroom={room.pk}").json()
    done = _answer(client, room, nxt["item"], "0")
    assert Statement.objects.get(statement_id=done["statement_id"]).about_minor is minor


def test_a_person_outside_the_class_gets_404_and_nothing_is_stored() -> None:
    room = Classroom.objects.get(name=DEMO_CLASS)
    outsider = User.objects.create(username="outsider")
    RoleAssignment.objects.create(user=outsider, role="learner")
    client = keyed(outsider.username)
    assert client.get(f"/api/adaptive/next?classroom={room.pk}").status_code == 404
    item = Item.objects.filter(bank=room.bank).first()
    assert item is not None
    body = {"classroom": room.pk, "item": item.pk, "response": "1"}
    refused = client.post("/api/adaptive/answers", body, content_type="application/json")
    assert refused.status_code == 404
    assert not Answer.objects.filter(learner=outsider).exists()


def test_a_role_taken_away_stops_the_key_at_once() -> None:
    client = keyed("learner")
    room = Classroom.objects.get(name=DEMO_CLASS)
    assert client.get(f"/api/adaptive/next?classroom={room.pk}").status_code == 200
    RoleAssignment.objects.filter(user__username="learner").delete()
    assert client.get(f"/api/adaptive/next?classroom={room.pk}").status_code == 403


@pytest.mark.parametrize("durable", [False, True])
def test_on_postgresql_an_answer_waits_for_the_disk_only_when_the_operator_asks(
    durable: bool, settings: object
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite commits as its PRAGMA synchronous=NORMAL says, whatever the setting")
    settings.EDUBRIDGE_PRACTICE_DURABLE_COMMIT = durable  # type: ignore[attr-defined]
    client = keyed("learner")
    room = Classroom.objects.get(name=DEMO_CLASS)
    nxt = client.get(f"/api/adaptive/next?classroom={room.pk}").json()
    with CaptureQueriesContext(connection) as queries:
        _answer(client, room, nxt["item"], _right(nxt["item"]))
    relaxed = [q for q in queries.captured_queries if "synchronous_commit" in q["sql"]]
    assert bool(relaxed) is not durable
