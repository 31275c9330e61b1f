"""Teachers create classes, enrol learners and assign skills or items; practice is steered toward
assigned work; suggestions say why; the learner model is chosen by cross-validation in a
background task and then used for every prediction. Real database, real pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from edubridge.accounts.models import User
from edubridge.accounts.roles import Role
from edubridge.accounts.services import user_ensure
from edubridge.adaptive import learners as codec
from edubridge.adaptive import selectors, services
from edubridge.adaptive.demo import DEMO_CLASS
from edubridge.adaptive.models import (
    Answer,
    Assignment,
    Classroom,
    FittedModel,
    LearnerModelState,
    Pending,
    RefitJob,
    RefitStatus,
)
from edubridge.records.models import Statement

pytestmark = pytest.mark.django_db


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _demo_class() -> Classroom:
    return Classroom.objects.get(name=DEMO_CLASS)


def _right(item_data: dict) -> str:  # type: ignore[type-arg]
    return str(item_data["correct_response"]["values"][0])


def _practice_answer(client: Client, classroom: Classroom, username: str = "learner") -> Answer:
    client.get(f"/practice/class/{classroom.pk}/")
    pending = Pending.objects.select_related("item").get(
        learner__username=username, classroom=classroom
    )
    client.post(
        f"/practice/class/{classroom.pk}/answer/",
        {"item": pending.item_id, "response": _right(pending.item.data)},
    )
    return Answer.objects.filter(learner__username=username).order_by("-pk").first()  # type: ignore[return-value]


# ------------------------------------------------------------------ classes and enrolment


def test_a_teacher_creates_a_class_with_learners_from_the_learner_role() -> None:
    client = signed_in("teacher")
    page = client.get("/practice/classes/").content.decode()
    assert "Create a class" in page
    learner = User.objects.get(username="learner")
    assert f'value="{learner.pk}"' in page
    bank = services.practisable_banks()[0]
    response = client.post(
        "/practice/classes/",
        {"name": "Year 5 fractions", "bank": bank.pk, "learners": [learner.pk]},
    )
    assert response.status_code == 302
    created = Classroom.objects.get(name="Year 5 fractions")
    assert created.teacher.username == "teacher"
    assert list(created.learners.values_list("username", flat=True)) == ["learner"]
    assert response["Location"] == f"/practice/classes/{created.pk}/manage/"


def test_a_class_without_a_name_or_with_a_non_learner_is_refused_and_nothing_is_stored() -> None:
    client = signed_in("teacher")
    bank = services.practisable_banks()[0]
    before = Classroom.objects.count()
    empty = client.post("/practice/classes/", {"name": "  ", "bank": bank.pk})
    assert empty.status_code == 400
    assert "A class needs a name." in empty.content.decode()
    publisher = User.objects.get(username="publisher")
    wrong = client.post(
        "/practice/classes/", {"name": "Mixed", "bank": bank.pk, "learners": [publisher.pk]}
    )
    assert wrong.status_code == 400
    assert "Only people with the learner role" in wrong.content.decode()
    # what the teacher typed is kept on the form
    assert 'value="Mixed"' in wrong.content.decode()
    no_bank = client.post("/practice/classes/", {"name": "No bank"})
    assert no_bank.status_code == 400
    assert Classroom.objects.count() == before


def test_the_teacher_enrols_and_removes_learners() -> None:
    classroom = _demo_class()
    other, _ = user_ensure(
        username="new-learner",
        password="edubridge-demo-x",
        roles=[Role.LEARNER],
        organization=None,
        first_name="Nour",
    )
    client = signed_in("teacher")
    learner = User.objects.get(username="learner")
    page = client.get(f"/practice/classes/{classroom.pk}/manage/").content.decode()
    assert "Nour" in page
    response = client.post(f"/practice/classes/{classroom.pk}/learners/", {"learners": [other.pk]})
    assert response.status_code == 302
    members = set(classroom.learners.values_list("username", flat=True))
    assert "new-learner" in members
    assert "learner" not in members  # unticked, so taken out
    assert "demo-sim-01" in members  # simulated learners are not on the form and stay
    assert not Classroom.objects.filter(pk=classroom.pk, learners=learner).exists()


def test_another_teacher_cannot_manage_or_assign_in_a_class() -> None:
    user_ensure(
        username="teacher2", password="edubridge-demo-x", roles=[Role.TEACHER], organization=None
    )
    client = signed_in("teacher2")
    classroom = _demo_class()
    assert client.get(f"/practice/classes/{classroom.pk}/manage/").status_code == 403
    skill = sorted(services.practice_bank(classroom.bank).skills)[0]
    assert (
        client.post(f"/practice/classes/{classroom.pk}/assign/", {"skill": skill}).status_code
        == 403
    )
    assert not Assignment.objects.exists()
    assert signed_in("learner").get(f"/practice/classes/{classroom.pk}/manage/").status_code == 403


# ------------------------------------------------------------------ assignments


def test_an_assigned_skill_steers_practice_and_shows_progress_to_both() -> None:
    classroom = _demo_class()
    bank = services.practice_bank(classroom.bank)
    learner = User.objects.get(username="learner")
    mastery = {m.skill.pk: m.mastery for m in selectors.mastery_by_skill(learner, classroom)}
    # a skill the policy would not offer first: the last one by label, not mastered
    skill_id = sorted(
        (s for s in bank.skills if mastery[s] < 0.95), key=lambda s: bank.skills[s].label
    )[-1]
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    teacher = signed_in("teacher")
    response = teacher.post(
        f"/practice/classes/{classroom.pk}/assign/",
        {"what": "skill", "skill": skill_id, "due": due, "title": "Practise before Friday"},
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(classroom=classroom)
    assert assignment.skill_id == skill_id
    assert assignment.due.isoformat() == due
    client = signed_in("learner")
    page = client.get(f"/practice/class/{classroom.pk}/").content.decode()
    pending = Pending.objects.select_related("item").get(learner=learner)
    assert pending.kind == "assigned"
    assert bank.item_skill[pending.item_id] == skill_id
    assert "Your assignments" in page
    assert "Practise before Friday" in page
    assert "Your teacher assigned" in page
    dashboard = teacher.get(f"/practice/classes/{classroom.pk}/").content.decode()
    assert "Practise before Friday" in dashboard
    view = selectors.class_view(classroom)
    done = sum(view.cells[(u.pk, skill_id)].mastery >= 0.95 for u in view.learners)
    assert f"{done} of {len(view.learners)} learners done" in dashboard


def test_assigned_items_come_first_until_each_is_answered() -> None:
    classroom = _demo_class()
    bank = services.practice_bank(classroom.bank)
    chosen = sorted(bank.item_skill)[-2:]
    teacher = signed_in("teacher")
    teacher.post(f"/practice/classes/{classroom.pk}/assign/", {"what": "items", "items": chosen})
    client = signed_in("learner")
    first = _practice_answer(client, classroom)
    second = _practice_answer(client, classroom)
    assert {first.item_id, second.item_id} == set(chosen)
    assert first.reason.startswith("assigned by the teacher")
    third = _practice_answer(client, classroom)
    assert not third.reason.startswith("assigned")  # done: the policy takes over
    learner = User.objects.get(username="learner")
    [progress] = selectors.learner_assignments(learner, classroom)
    assert progress.done
    assert progress.answered == 2 == progress.total
    dashboard = teacher.get(f"/practice/classes/{classroom.pk}/").content.decode()
    assert f"1 of {classroom.learners.count()} learners done" in dashboard


def test_bad_assignments_are_refused_with_a_reason_and_store_nothing() -> None:
    classroom = _demo_class()
    skill = sorted(services.practice_bank(classroom.bank).skills)[0]
    teacher = signed_in("teacher")
    url = f"/practice/classes/{classroom.pk}/assign/"
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    cases = [
        ({"what": "skill", "skill": skill, "due": past}, "The due date is in the past."),
        ({"what": "skill", "skill": skill, "due": "31/12/2030"}, "must be a date like"),
        ({"what": "skill"}, "Choose the skill to assign."),
        ({"what": "skill", "skill": 999999}, "not practised with this class"),
        ({"what": "items"}, "Choose either one skill or some items"),
        ({"what": "items", "items": [999999]}, "not practisable items"),
    ]
    for data, message in cases:
        response = teacher.post(url, data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), data
    assert not Assignment.objects.exists()


def test_suggestions_give_reasons_with_numbers_and_assign_in_one_click() -> None:
    classroom = _demo_class()
    view = selectors.class_view(classroom)
    suggested = selectors.suggestions(classroom, view)
    assert suggested
    top = suggested[0]
    assert top.ready_below >= 1
    assert f"{top.ready_below} of {len(view.learners)} learners are below mastery" in top.reason
    teacher = signed_in("teacher")
    page = teacher.get(f"/practice/classes/{classroom.pk}/").content.decode()
    assert "Suggested next assignments" in page
    assert "Assign this skill" in page
    teacher.post(
        f"/practice/classes/{classroom.pk}/assign/",
        {"what": "skill", "skill": top.skill.pk, "note": top.reason},
    )
    assignment = Assignment.objects.get()
    assert assignment.skill_id == top.skill.pk
    assert assignment.note == top.reason
    # an assigned skill is no longer suggested
    again = selectors.suggestions(classroom, selectors.class_view(classroom))
    assert top.skill.pk not in {s.skill.pk for s in again}


# ------------------------------------------------------------------ the model per deployment


def test_the_model_page_shows_the_model_why_and_the_metrics_per_model() -> None:
    page = signed_in("teacher").get("/practice/model/").content.decode()
    fitted = FittedModel.objects.get()
    assert fitted.name in page
    assert "mean held-out AUC" in page
    for name in fitted.selection["mean_auc"]:
        assert f'<th scope="row">{name}' in page
    assert "Refit now" in page
    assert signed_in("learner").get("/practice/model/").status_code == 403
    assert signed_in("admin").get("/practice/model/").status_code == 200


def test_the_refit_button_queues_a_task_that_chooses_and_installs_a_model(
    django_capture_on_commit_callbacks,
) -> None:
    from huey.contrib.djhuey import HUEY

    from edubridge.adaptive.tasks import refit_task

    HUEY.flush()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in("teacher").post("/practice/model/")
    assert response.status_code == 302
    job = RefitJob.objects.get()
    assert job.status == RefitStatus.QUEUED
    assert job.task_id
    assert HUEY.pending_count() == 1
    page = signed_in("teacher").get("/practice/model/").content.decode()
    assert 'http-equiv="refresh"' in page
    assert "queued" in page
    HUEY.flush()  # run it here, as the worker would (not through Huey: keeps the connection)
    result = refit_task.call(job.pk)
    assert result["status"] == RefitStatus.DONE, result
    job.refresh_from_db()
    fitted = job.fitted
    assert fitted is not None
    assert fitted.pk == FittedModel.objects.first().pk
    from edubridge.engines.adaptive.evaluate import CANDIDATES

    assert set(fitted.selection["mean_auc"]) == set(CANDIDATES)
    assert (
        fitted.name
        == max(fitted.selection["mean_auc"], key=lambda n: fitted.selection["mean_auc"][n])
        or "must win by more than" in fitted.reason
    )
    assert fitted.reason.startswith(f"{fitted.name} chosen")
    model, row = services.current_model()
    assert row is not None
    assert row.pk == fitted.pk
    assert model.name == fitted.name
    # every learner with answers was re-scored under the new model
    states = LearnerModelState.objects.exclude(learner__answers=None)
    assert states.exists()
    assert not states.exclude(fitted=fitted).exists()


def test_a_refit_that_cannot_run_says_why_and_keeps_the_model_in_use() -> None:
    before = FittedModel.objects.get()
    job = services.refit_start(by=None, enqueue=False)
    job = services.refit_run(job.pk, min_answers=10**6)
    assert job.status == RefitStatus.FAILED
    assert "at least 1000000 are needed" in job.error
    assert services.current_model()[1].pk == before.pk  # type: ignore[union-attr]
    page = signed_in("teacher").get("/practice/model/").content.decode()
    assert "at least 1000000 are needed" in page


def test_one_refit_at_a_time_and_an_abandoned_one_does_not_block_the_next() -> None:
    first = services.refit_start(by=None, enqueue=False)
    assert services.refit_start(by=None, enqueue=False).pk == first.pk
    RefitJob.objects.filter(pk=first.pk).update(
        status=RefitStatus.RUNNING, created_at=timezone.now() - timedelta(hours=7)
    )
    second = services.refit_start(by=None, enqueue=False)
    assert second.pk != first.pk
    first.refresh_from_db()
    assert first.status == RefitStatus.FAILED
    assert "abandoned" in first.error


def test_the_refit_command_can_queue_the_task() -> None:
    from io import StringIO

    from django.core.management import call_command
    from huey.contrib.djhuey import HUEY

    HUEY.flush()
    out = StringIO()
    call_command("adaptive_refit", "--enqueue", stdout=out)
    assert "refit queued" in out.getvalue()
    assert RefitJob.objects.get().status == RefitStatus.QUEUED
    HUEY.flush()


@pytest.mark.parametrize("name", ["bkt", "pfa", "history-lr", "context-lr"])
def test_practice_runs_under_each_model_and_stored_state_equals_a_replay(name: str) -> None:
    from edubridge.engines.adaptive.evaluate import CANDIDATES

    log, _users = services.answer_log()
    model = CANDIDATES[name](log)
    fitted = FittedModel.objects.create(
        name=name, version=model.version, parameters=model.export_parameters(), source="test"
    )
    classroom = _demo_class()
    client = signed_in("learner")
    for _ in range(3):
        _practice_answer(client, classroom)
    learner = User.objects.get(username="learner")
    row = LearnerModelState.objects.get(learner=learner)
    assert row.fitted_id == fitted.pk
    assert row.n_answers == 3
    loaded = services._model_from(fitted.pk)
    stored = codec.learner_load(loaded, row.state, 0.95)
    replayed, n = services._replay(learner, loaded)
    assert stored is not None
    assert n == 3
    for skill in services.practice_bank(classroom.bank).skills:
        assert stored.predict(skill) == pytest.approx(replayed.predict(skill), abs=1e-12)
        assert stored.mastery(skill) == pytest.approx(replayed.mastery(skill), abs=1e-12)


# ------------------------------------------------------------------ demo and the LRS


def test_every_demo_answer_is_in_the_learning_record_store_once() -> None:
    answers = Answer.objects.filter(learner__username__startswith="demo-sim-")
    ids = [a.statement["id"] for a in answers]
    assert len(ids) > 500
    assert len(set(ids)) == len(ids)
    assert all(a.statement_sent for a in answers)
    stored = Statement.objects.filter(statement_id__in=ids)
    assert stored.count() == len(ids)
    sim = User.objects.get(username="demo-sim-01")
    from edubridge.records import api as records

    newest = records.learner_statements(pseudonym=sim.pseudonym, limit=1000)
    assert len(newest) == answers.filter(learner=sim).count()
    rights = sum(1 for s in newest if s.statement["result"]["success"])
    assert rights == answers.filter(learner=sim, correct=True).count()
