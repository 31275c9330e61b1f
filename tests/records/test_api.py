"""records.api: how other apps record learning events (the practice engine, training)."""

from __future__ import annotations

import uuid

import pytest
from django.db import transaction

from edubridge.accounts.models import User
from edubridge.records import api
from edubridge.records.models import Statement
from edubridge.records.services import node_home_page

ITEM = {"objectType": "Activity", "id": "http://example.org/items/42"}
ANSWERED = "http://adlnet.gov/expapi/verbs/answered"


def test_statement_record_uses_the_pseudonymous_account_never_email(db: None) -> None:
    user = User.objects.create(username="siti", email="siti@example.org")
    statement_id = api.statement_record(
        actor_user_pseudonym=user.pseudonym, verb=ANSWERED, object=ITEM, result={"success": True}
    )
    [stored] = api.learner_statements(pseudonym=user.pseudonym)
    assert stored.id == statement_id
    assert stored.statement["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": node_home_page(), "name": str(user.pseudonym)},
    }
    assert "siti@example.org" not in Statement.objects.get(statement_id=statement_id).payload


def test_statement_record_rolls_back_with_the_callers_transaction(db: None) -> None:
    pseudonym = uuid.uuid4()

    def answer_then_fail() -> None:
        with transaction.atomic():
            api.statement_record(actor_user_pseudonym=pseudonym, verb=ANSWERED, object=ITEM)
            raise RuntimeError("the practice answer failed to save")

    with pytest.raises(RuntimeError):
        answer_then_fail()
    assert api.learner_statements(pseudonym=pseudonym) == []


def test_invalid_event_raises_with_the_failing_path(db: None) -> None:
    with pytest.raises(api.XapiError) as caught:
        api.statement_record(actor_user_pseudonym=uuid.uuid4(), verb="not an iri", object=ITEM)
    assert caught.value.path == "$.verb.id"


def test_statements_about_minors_are_marked(db: None) -> None:
    child = User.objects.create(username="kecil", is_minor=True)
    adult = User.objects.create(username="dewasa")
    child_id = api.statement_record(
        actor_user_pseudonym=child.pseudonym, verb=ANSWERED, object=ITEM
    )
    adult_id = api.statement_record(
        actor_user_pseudonym=adult.pseudonym, verb=ANSWERED, object=ITEM
    )
    assert Statement.objects.get(statement_id=child_id).about_minor
    assert not Statement.objects.get(statement_id=adult_id).about_minor


def test_node_statements_carry_the_node_as_authority(db: None) -> None:
    pseudonym = uuid.uuid4()
    api.statement_record(actor_user_pseudonym=pseudonym, verb=ANSWERED, object=ITEM)
    [stored] = api.learner_statements(pseudonym=pseudonym)
    assert stored.statement["authority"]["account"] == {
        "homePage": node_home_page(),
        "name": "node",
    }


def _answers(pseudonyms: list[uuid.UUID], verb: str = ANSWERED) -> list[dict[str, object]]:
    return [
        api.learner_statement(
            actor_user_pseudonym=pseudonym,
            verb=verb,
            object={"objectType": "Activity", "id": f"http://example.org/items/{n}"},
            result={"success": n % 2 == 0},
            context={"registration": str(uuid.uuid4())},
        )
        for n, pseudonym in enumerate(pseudonyms)
    ]


def test_statements_record_stores_a_batch_and_each_is_found_by_its_learner(db: None) -> None:
    child = User.objects.create(username="kecil2", is_minor=True)
    pseudonyms = [child.pseudonym] + [uuid.uuid4() for _ in range(40)]
    built = _answers(pseudonyms)
    ids = api.statements_record(statements=built)
    assert ids == [s["id"] for s in built]
    for pseudonym, statement_id in zip(pseudonyms, ids, strict=True):
        [stored] = api.learner_statements(pseudonym=pseudonym)
        assert stored.id == statement_id
        assert stored.statement["authority"]["account"]["name"] == "node"
    assert Statement.objects.get(statement_id=ids[0]).about_minor
    assert not Statement.objects.get(statement_id=ids[1]).about_minor


def test_statements_record_stores_nothing_when_one_statement_is_invalid(db: None) -> None:
    built = _answers([uuid.uuid4(), uuid.uuid4(), uuid.uuid4()])
    built[1]["verb"] = {"id": "answered"}
    before = Statement.objects.count()
    with pytest.raises(api.XapiError) as caught:
        api.statements_record(statements=built)
    assert caught.value.path == "$[1].verb.id"
    assert Statement.objects.count() == before


def test_statements_record_replays_idempotently_and_refuses_changed_content(db: None) -> None:
    built = _answers([uuid.uuid4(), uuid.uuid4()])
    before = Statement.objects.count()
    first = api.statements_record(statements=built)
    assert api.statements_record(statements=built) == first
    assert Statement.objects.count() == before + 2
    changed = [dict(built[0]), {**built[1], "result": {"success": False, "response": "x"}}]
    with pytest.raises(api.StatementConflictError):
        api.statements_record(statements=changed)
    assert api.statements_record(statements=[]) == []


def test_index_rows_point_at_their_statements_across_batches_and_gaps(db: None) -> None:
    from edubridge.records.data import StatementQuery
    from edubridge.records.selectors import statement_query

    first = _answers([uuid.uuid4() for _ in range(5)])
    api.statements_record(statements=first)
    Statement.objects.order_by("-id").first().delete()  # a gap at the end of the row numbers
    second = _answers(
        [uuid.uuid4() for _ in range(7)], verb="http://adlnet.gov/expapi/verbs/passed"
    )
    api.statements_record(statements=second)
    for statement in first[:4] + second:
        registration = statement["context"]["registration"]  # type: ignore[index]
        page, more = statement_query(query=StatementQuery(registration=registration, limit=10))
        assert [str(row.statement_id) for row in page] == [statement["id"]]
        assert not more
    passed, _ = statement_query(
        query=StatementQuery(verb="http://adlnet.gov/expapi/verbs/passed", limit=50)
    )
    assert sorted(str(row.statement_id) for row in passed) == sorted(s["id"] for s in second)
