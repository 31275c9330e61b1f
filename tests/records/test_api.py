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
