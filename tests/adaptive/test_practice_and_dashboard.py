"""Adaptive practice through HTTP: one item at a time with its reason, answers recorded once with
their xAPI statement, mastery per skill, the teacher's heat map and timelines, and the API."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from edubridge.accounts.models import User
from edubridge.adaptive.demo import DEMO_CLASS
from edubridge.adaptive.models import Answer, Classroom, LearnerSkillState, Pending
from edubridge.catalogue.models import Item
from edubridge.records.models import Statement

pytestmark = pytest.mark.django_db


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _pending(username: str = "learner") -> Pending:
    return Pending.objects.select_related("item").get(learner__username=username)


def _right(item: Item) -> str:
    return str(item.data["correct_response"]["values"][0])


def test_the_learner_sees_one_item_with_its_reason_and_mastery_bars() -> None:
    page = signed_in("learner").get("/practice/").content.decode()
    assert "Why this item" in page
    assert "mastery and its prerequisites are met" in page
    assert page.count("<meter") >= 10
    assert _pending().item.data["stem"] in page


def test_practice_resumes_on_the_same_item() -> None:
    client = signed_in("learner")
    client.get("/practice/")
    first = _pending().item_id
    client.get("/practice/")
    assert _pending().item_id == first


def test_an_answer_is_scored_recorded_once_with_its_statement() -> None:
    client = signed_in("learner")
    classroom = Classroom.objects.get(name=DEMO_CLASS)
    client.get("/practice/")
    pending = _pending()
    statements = Statement.objects.count()
    page = client.post(
        f"/practice/class/{classroom.pk}/answer/",
        {"item": pending.item_id, "response": _right(pending.item)},
    ).content.decode()
    assert "Right!" in page
    assert "went from" in page
    answer = Answer.objects.get(learner__username="learner")
    assert answer.correct
    assert answer.statement_sent
    assert answer.statement["actor"]["account"]["name"] == str(answer.learner.pseudonym)
    assert "mbox" not in json.dumps(answer.statement)
    assert Statement.objects.count() == statements + 1
    state = LearnerSkillState.objects.get(learner__username="learner", skill=answer.skill)
    assert state.answers == 1
    assert state.mastery == pytest.approx(answer.mastery_after)
    # the same answer again (a double submit) is refused and stores nothing
    again = client.post(
        f"/practice/class/{classroom.pk}/answer/",
        {"item": pending.item_id, "response": _right(pending.item)},
    )
    assert again.status_code == 400
    assert Answer.objects.filter(learner__username="learner").count() == 1
    assert Statement.objects.count() == statements + 1


def test_a_wrong_answer_shows_the_correct_one_and_a_malformed_one_stores_nothing() -> None:
    client = signed_in("learner")
    classroom = Classroom.objects.get(name=DEMO_CLASS)
    client.get("/practice/")
    pending = _pending()
    bad = client.post(
        f"/practice/class/{classroom.pk}/answer/", {"item": pending.item_id, "response": "lots"}
    )
    assert bad.status_code == 400
    assert "Please enter a number" in bad.content.decode()
    assert not Answer.objects.filter(learner__username="learner").exists()
    page = client.post(
        f"/practice/class/{classroom.pk}/answer/", {"item": pending.item_id, "response": "-1"}
    ).content.decode()
    assert "Not quite." in page
    assert _right(pending.item) in page


def test_the_teacher_sees_the_heat_map_who_struggles_and_a_timeline() -> None:
    classroom = Classroom.objects.get(name=DEMO_CLASS)
    client = signed_in("teacher")
    assert DEMO_CLASS in client.get("/practice/classes/").content.decode()
    page = client.get(f"/practice/classes/{classroom.pk}/").content.decode()
    assert '<svg class="heatmap"' in page
    assert "The same as a table" in page
    assert "Who is struggling" in page
    assert "right)" in page
    sim = classroom.learners.get(username="demo-sim-01")
    timeline = client.get(f"/practice/classes/{classroom.pk}/learners/{sim.pk}/").content.decode()
    assert timeline.count("<tr>") > 20


def test_others_do_not_see_a_class_mastery() -> None:
    classroom = Classroom.objects.get(name=DEMO_CLASS)
    assert signed_in("learner").get(f"/practice/classes/{classroom.pk}/").status_code == 403
    assert Client().get("/practice/").status_code == 302


def test_the_api_gives_the_next_item_takes_an_answer_and_reports_mastery() -> None:
    client = signed_in("learner")
    classroom = Classroom.objects.get(name=DEMO_CLASS)
    nxt = client.get(f"/api/adaptive/next?classroom={classroom.pk}").json()
    # the learner's API does not reveal the right answer before it is given
    assert "correct_response" not in nxt["content"]
    assert "feedback" not in nxt["content"]
    assert nxt["kind"] == "practice"
    assert 0 < nxt["numbers"]["predicted_success"] < 1
    assert "mastery" in nxt["reason"]
    assert "predicted" in nxt["reason"]
    item = Item.objects.get(pk=nxt["item"])
    body = {"classroom": classroom.pk, "item": nxt["item"], "response": _right(item)}
    done = client.post("/api/adaptive/answers", body, content_type="application/json")
    assert done.status_code == 201
    assert done.json()["correct"] is True
    assert done.json()["mastery_after"] > done.json()["mastery_before"]
    again = client.post("/api/adaptive/answers", body, content_type="application/json")
    assert again.status_code == 409
    mastery = client.get(f"/api/adaptive/mastery?classroom={classroom.pk}").json()
    assert len(mastery) == 15
    assert sum(m["answers"] for m in mastery) == 1
    schema = client.get("/api/openapi.json").json()
    assert {"/api/adaptive/next", "/api/adaptive/answers", "/api/adaptive/mastery"} <= set(
        schema["paths"]
    )


def test_the_demo_is_idempotent_and_fits_the_model_on_its_histories() -> None:
    from edubridge.adaptive import demo
    from edubridge.adaptive.models import FittedModel

    answers = Answer.objects.count()
    demo.load(lambda _label: None)
    assert Answer.objects.count() == answers > 500
    fitted = FittedModel.objects.get()
    assert fitted.name == "bkt-forget"
    assert fitted.n_responses == answers


def test_the_refit_command_fits_a_new_model_on_recorded_answers() -> None:
    from io import StringIO

    from django.core.management import call_command

    from edubridge.adaptive.models import FittedModel

    out = StringIO()
    call_command("adaptive_refit", stdout=out)
    fitted = FittedModel.objects.first()
    assert fitted is not None
    assert f"fitted {fitted.name} on {fitted.n_responses} answers" in out.getvalue()
    assert "mean held-out AUC" in out.getvalue()
    assert FittedModel.objects.count() == 2
