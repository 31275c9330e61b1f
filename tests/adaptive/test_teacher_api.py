"""Teachers do over the HTTP API what their pages offer: list and create classes, enrol learners,
assign a skill or chosen items with a due date, read the class's mastery by learner and skill,
who struggles, the progress on each assignment, suggestions with their reasons, and a learner's
timeline. Only the class's own teacher, holding view_class_mastery, may do any of it; every
refused request says why and stores nothing. Real database, real HTTP requests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from edubridge.accounts.models import User
from edubridge.accounts.roles import Role
from edubridge.accounts.services import api_key_create, user_ensure
from edubridge.adaptive import selectors, services
from edubridge.adaptive.demo import BANK_SLUG, DEMO_CLASS
from edubridge.adaptive.models import Answer, Assignment, Classroom, Pending
from edubridge.catalogue.models import Bank, Item
from edubridge.core.models import AuditEvent

pytestmark = pytest.mark.django_db

API = "/api/adaptive"


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def with_api_key(username: str) -> Client:
    """A machine client authenticating with an API key issued to ``username``."""
    issued = api_key_create(owner=User.objects.get(username=username), name="teacher tools")
    return Client(headers={"X-API-Key": issued.plaintext})


def another_teacher() -> Client:
    user_ensure(
        username="teacher2", password="edubridge-demo-x", roles=[Role.TEACHER], organization=None
    )
    return signed_in("teacher2")


def a_new_learner(username: str = "new-learner") -> User:
    user, _created = user_ensure(
        username=username,
        password="edubridge-demo-x",
        roles=[Role.LEARNER],
        organization=None,
        first_name="Nour",
    )
    return user


def _demo_class() -> Classroom:
    return Classroom.objects.get(name=DEMO_CLASS)


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def _right(item: Item) -> str:
    return str(item.data["correct_response"]["values"][0])


def _answer_next(client: Client, classroom: Classroom) -> dict[str, Any]:
    """The learner asks for the next item and answers it right, over the API."""
    nxt = client.get(f"{API}/next?classroom={classroom.pk}").json()
    item = Item.objects.get(pk=nxt["item"])
    body = {"classroom": classroom.pk, "item": item.pk, "response": _right(item)}
    done = _post(client, f"{API}/answers", body)
    assert done.status_code == 201, done.content
    return nxt  # type: ignore[no-any-return]


# ------------------------------------------------------------------ classes


def test_a_teacher_lists_the_classes_they_teach_with_resource_and_learner_count() -> None:
    classroom = _demo_class()
    response = with_api_key("teacher").get(f"{API}/classes")
    assert response.status_code == 200
    [listed] = [c for c in response.json() if c["id"] == classroom.pk]
    assert listed["name"] == DEMO_CLASS
    assert listed["bank_slug"] == BANK_SLUG
    assert listed["bank"] == classroom.bank_id
    assert listed["bank_title"] == classroom.bank.title
    assert listed["learner_count"] == classroom.learners.count() == 21
    # another teacher teaches nothing yet; a learner may not list classes at all
    assert another_teacher().get(f"{API}/classes").json() == []
    refused = signed_in("learner").get(f"{API}/classes")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "needs the permission view_class_mastery"}
    assert Client().get(f"{API}/classes").status_code == 401


def test_a_teacher_creates_a_class_over_the_api_naming_the_resource_and_learners() -> None:
    nour = a_new_learner()
    response = _post(
        with_api_key("teacher"),
        f"{API}/classes",
        {"name": "  Year 5 fractions ", "bank": BANK_SLUG, "learners": ["learner", nour.pk]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    created = Classroom.objects.get(pk=body["id"])
    assert body["name"] == created.name == "Year 5 fractions"
    assert body["bank_slug"] == BANK_SLUG
    assert body["learner_count"] == 2
    assert created.teacher.username == "teacher"
    assert set(created.learners.values_list("username", flat=True)) == {"learner", "new-learner"}
    assert AuditEvent.objects.filter(
        action="adaptive.class_created", target=f"classroom:{created.pk}"
    ).exists()
    # the resource may also be named by its id; a class may start with no learners
    bank = Bank.objects.get(slug=BANK_SLUG)
    by_id = _post(signed_in("teacher"), f"{API}/classes", {"name": "Empty", "bank": bank.pk})
    assert by_id.status_code == 201
    assert by_id.json()["learner_count"] == 0
    listed = {c["name"] for c in signed_in("teacher").get(f"{API}/classes").json()}
    assert {"Year 5 fractions", "Empty", DEMO_CLASS} <= listed


def test_a_bad_class_is_refused_with_a_reason_and_nothing_is_stored() -> None:
    teacher = signed_in("teacher")
    before = Classroom.objects.count()
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"name": "  ", "bank": BANK_SLUG}, 400, "A class needs a name."),
        ({"name": "x" * 201, "bank": BANK_SLUG}, 400, "at most 200 characters"),
        ({"name": "No bank", "bank": "no-such-bank"}, 400, "no such resource: no-such-bank"),
        ({"name": "No bank", "bank": 999999}, 400, "no such resource: 999999"),
        (
            {"name": "Ghosts", "bank": BANK_SLUG, "learners": ["learner", "ghost", 999999]},
            400,
            "no such people: ghost, 999999",
        ),
        (
            {"name": "Mixed", "bank": BANK_SLUG, "learners": ["learner", "publisher"]},
            400,
            "Only people with the learner role can be enrolled: publisher.",
        ),
        ({"name": "No bank field"}, 422, "bank"),
    ]
    for body, status, message in cases:
        response = _post(teacher, f"{API}/classes", body)
        assert response.status_code == status, body
        assert message in response.content.decode(), body
    # only teachers create classes
    learner = _post(signed_in("learner"), f"{API}/classes", {"name": "Mine", "bank": BANK_SLUG})
    assert learner.status_code == 403
    assert Classroom.objects.count() == before


def test_the_class_view_gives_mastery_numbers_struggles_progress_and_suggestions() -> None:
    classroom = _demo_class()
    skill = sorted(services.practice_bank(classroom.bank).skills)[0]
    due = timezone.localdate() + timedelta(days=3)
    services.assignment_create(
        classroom=classroom, by=classroom.teacher, skill_id=skill, due=due, title="Warm-up"
    )
    response = with_api_key("teacher").get(f"{API}/classes/{classroom.pk}")
    assert response.status_code == 200
    assert "<svg" not in response.content.decode()
    body = response.json()
    view = selectors.class_view(classroom)
    assert body["name"] == DEMO_CLASS
    assert body["learner_count"] == len(view.learners) == 21
    assert body["rules"] == {
        "mastered_at": services.POLICY.mastery_threshold,
        "struggling_below": selectors.STRUGGLE_MASTERY,
        "struggling_after_answers": selectors.STRUGGLE_ANSWERS,
    }
    assert [u["username"] for u in body["learners"]] == [u.username for u in view.learners]
    sim = next(u for u in body["learners"] if u["username"] == "demo-sim-01")
    assert sim["name"] == "Amara Okafor"
    assert [s["id"] for s in body["skills"]] == [s.pk for s in view.skills]
    assert len(body["items"]) == len(services.practice_bank(classroom.bank).item_skill)
    # the heat map as numbers: one row per learner, one cell per skill, in the skills' order
    assert [row["learner"] for row in body["mastery"]] == [u.pk for u in view.learners]
    for row, learner in zip(body["mastery"], view.learners, strict=True):
        assert [c["skill"] for c in row["cells"]] == [s.pk for s in view.skills]
        for cell, skill_row in zip(row["cells"], view.skills, strict=True):
            expected = view.cells[(learner.pk, skill_row.pk)]
            assert cell["mastery"] == pytest.approx(expected.mastery, abs=1e-4)
            assert (cell["answers"], cell["right"]) == (expected.answers, expected.right)
            assert cell["mastered"] == expected.mastered
    answered = sum(c["answers"] for row in body["mastery"] for c in row["cells"])
    assert answered == Answer.objects.filter(learner__in=view.learners).count() > 500
    # who struggles and on what: most struggles first, each below the rule's numbers
    assert view.struggling
    assert [(s["learner"], [c["skill"] for c in s["skills"]]) for s in body["struggling"]] == [
        (u.pk, [c.skill.pk for c in cells]) for u, cells in view.struggling
    ]
    for struggle in body["struggling"]:
        for cell in struggle["skills"]:
            assert cell["answers"] >= selectors.STRUGGLE_ANSWERS
            assert cell["mastery"] < selectors.STRUGGLE_MASTERY
    # the assignment with the class's progress on it
    [assigned] = body["assignments"]
    assert assigned["title"] == "Warm-up"
    assert assigned["skill"] == skill
    assert assigned["due"] == due.isoformat()
    done = sum(view.cells[(u.pk, skill)].mastered for u in view.learners)
    assert assigned["done"] == done
    assert assigned["learners"] == 21
    assert len(assigned["not_done"]) == 21 - done
    assert assigned["overdue"] is False
    # suggestions: the reason in words and the numbers behind it; the assigned skill is not one
    suggested = selectors.suggestions(classroom, view)
    assert suggested
    assert [s["skill"] for s in body["suggestions"]] == [s.skill.pk for s in suggested]
    assert skill not in {s["skill"] for s in body["suggestions"]}
    top = body["suggestions"][0]
    assert top["reason"] == suggested[0].reason
    assert f"{top['ready_below']} of {top['learners']} learners are below mastery" in top["reason"]
    assert top["ready_below"] + top["waiting"] + top["mastered"] == top["learners"] == 21
    assert 0 <= top["mean_mastery"] < services.POLICY.mastery_threshold


def test_only_the_class_teacher_sees_or_changes_a_class() -> None:
    classroom = _demo_class()
    members = set(classroom.learners.values_list("pk", flat=True))
    skill = sorted(services.practice_bank(classroom.bank).skills)[0]
    kept = services.assignment_create(classroom=classroom, by=classroom.teacher, skill_id=skill)
    sim = classroom.learners.get(username="demo-sim-01")
    base = f"{API}/classes/{classroom.pk}"
    nour = a_new_learner()
    for client, status in [(another_teacher(), 403), (signed_in("learner"), 403)]:
        requests = [
            client.get(base),
            client.get(f"{base}/assignments"),
            client.get(f"{base}/learners/{sim.pk}/timeline"),
            _post(client, f"{base}/learners", {"add": [nour.pk], "remove": [sim.pk]}),
            _post(client, f"{base}/assignments", {"skill": skill}),
            client.delete(f"{base}/assignments/{kept.pk}"),
        ]
        assert [r.status_code for r in requests] == [status] * len(requests)
    assert another_teacher().get(base).json() == {
        "detail": "only the class's teacher may see or change it"
    }
    assert signed_in("learner").get(base).json() == {
        "detail": "needs the permission view_class_mastery"
    }
    missing = signed_in("teacher").get(f"{API}/classes/999999")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "no such class"}
    assert set(classroom.learners.values_list("pk", flat=True)) == members
    assert list(Assignment.objects.values_list("pk", flat=True)) == [kept.pk]


# ------------------------------------------------------------------ enrolment


def test_a_teacher_enrols_and_removes_learners_over_the_api() -> None:
    classroom = _demo_class()
    learner = User.objects.get(username="learner")
    services.next_item(user=learner, classroom=classroom)  # the learner is mid-practice
    assert Pending.objects.filter(learner=learner, classroom=classroom).exists()
    nour = a_new_learner()
    response = _post(
        with_api_key("teacher"),
        f"{API}/classes/{classroom.pk}/learners",
        {"add": ["new-learner"], "remove": [learner.pk]},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["added"], body["removed"]) == (1, 1)
    usernames = [u["username"] for u in body["learners"]]
    assert "new-learner" in usernames
    assert "learner" not in usernames
    assert len(usernames) == 21
    members = set(classroom.learners.values_list("pk", flat=True))
    assert nour.pk in members
    assert learner.pk not in members
    # taken out: their pending item goes, their answers stay
    assert not Pending.objects.filter(learner=learner, classroom=classroom).exists()
    # adding someone already enrolled changes nothing
    again = _post(
        signed_in("teacher"), f"{API}/classes/{classroom.pk}/learners", {"add": [nour.pk]}
    )
    assert (again.json()["added"], again.json()["removed"]) == (0, 0)
    assert classroom.learners.count() == 21


def test_bad_enrolments_are_refused_with_a_reason_and_change_nothing() -> None:
    classroom = _demo_class()
    members = set(classroom.learners.values_list("pk", flat=True))
    outsider = a_new_learner("outsider")
    teacher = signed_in("teacher")
    url = f"{API}/classes/{classroom.pk}/learners"
    cases: list[tuple[dict[str, Any], str]] = [
        ({"add": ["ghost"], "remove": ["learner"]}, "no such people: ghost"),
        (
            {"add": ["publisher", "outsider"]},
            "Only people with the learner role can be enrolled: publisher.",
        ),
        ({"add": ["learner"], "remove": ["learner"]}, "both added and removed: learner"),
        ({"add": ["learner"], "remove": [outsider.pk]}, "not learners in this class: outsider"),
    ]
    for body, message in cases:
        response = _post(teacher, url, body)
        assert response.status_code == 400, body
        assert response.json() == {"detail": message}, body
    assert set(classroom.learners.values_list("pk", flat=True)) == members


# ------------------------------------------------------------------ assignments


def test_a_teacher_assigns_a_skill_over_the_api_and_learners_get_it_next() -> None:
    classroom = _demo_class()
    bank = services.practice_bank(classroom.bank)
    learner = User.objects.get(username="learner")
    mastery = {m.skill.pk: m.mastery for m in selectors.mastery_by_skill(learner, classroom)}
    # a skill the policy would not offer first: the last one by label, not mastered
    skill_id = sorted(
        (s for s in bank.skills if mastery[s] < 0.95), key=lambda s: bank.skills[s].label
    )[-1]
    due = timezone.localdate() + timedelta(days=7)
    teacher = with_api_key("teacher")
    response = _post(
        teacher,
        f"{API}/classes/{classroom.pk}/assignments",
        {"skill": skill_id, "due": due.isoformat(), "title": "Practise before Friday"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assignment = Assignment.objects.get(classroom=classroom)
    assert body["id"] == assignment.pk
    assert body["skill"] == assignment.skill_id == skill_id
    assert body["items"] == []
    assert assignment.due == due
    assert body["due"] == due.isoformat()
    assert body["title"] == assignment.title == "Practise before Friday"
    assert body["learners"] == 21
    assert learner.pk in body["not_done"]
    assert assignment.created_by.username == "teacher"
    # the learner's next item practises the assigned skill, and says so
    nxt = signed_in("learner").get(f"{API}/next?classroom={classroom.pk}").json()
    assert nxt["kind"] == "assigned"
    assert bank.item_skill[nxt["item"]] == skill_id
    assert nxt["numbers"]["assignment"] == assignment.pk
    listed = teacher.get(f"{API}/classes/{classroom.pk}/assignments").json()
    assert [a["id"] for a in listed] == [assignment.pk]
    assert listed[0]["done"] == body["done"]


def test_assigned_items_come_first_and_progress_counts_each_answer() -> None:
    classroom = _demo_class()
    bank = services.practice_bank(classroom.bank)
    chosen = sorted(bank.item_skill)[-2:]
    teacher = signed_in("teacher")
    created = _post(teacher, f"{API}/classes/{classroom.pk}/assignments", {"items": chosen})
    assert created.status_code == 201, created.content
    assert created.json()["items"] == chosen
    assert created.json()["title"] == "2 chosen items"
    assert created.json()["done"] == 0
    assert created.json()["due"] is None
    learner = signed_in("learner")
    first = _answer_next(learner, classroom)
    half = teacher.get(f"{API}/classes/{classroom.pk}/assignments").json()[0]
    assert half["done"] == 0
    assert half["mean_percent"] == round(50 / 21)
    second = _answer_next(learner, classroom)
    assert {first["item"], second["item"]} == set(chosen)
    assert first["kind"] == second["kind"] == "assigned"
    [progress] = teacher.get(f"{API}/classes/{classroom.pk}/assignments").json()
    assert progress["done"] == 1
    assert progress["mean_percent"] == round(100 / 21)
    assert User.objects.get(username="learner").pk not in progress["not_done"]
    assert len(progress["not_done"]) == 20


def test_bad_assignments_are_refused_with_a_reason_and_store_nothing() -> None:
    classroom = _demo_class()
    bank = services.practice_bank(classroom.bank)
    skill = sorted(bank.skills)[0]
    item = sorted(bank.item_skill)[0]
    elsewhere = Item.objects.exclude(pk__in=list(bank.item_skill)).first()
    assert elsewhere is not None
    learner = User.objects.get(username="learner")
    services.next_item(user=learner, classroom=classroom)
    pending = list(Pending.objects.filter(classroom=classroom).values_list("pk", "item_id"))
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    teacher = with_api_key("teacher")
    url = f"{API}/classes/{classroom.pk}/assignments"
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"skill": skill, "due": past}, 400, "The due date is in the past."),
        ({"items": [item, elsewhere.pk]}, 400, "1 of the chosen items are not practisable items"),
        ({"items": [999999]}, 400, "not practisable items of this class's resource"),
        ({"skill": 999999}, 400, "This skill is not practised with this class's resource."),
        ({}, 400, "Choose either one skill or some items to assign, not both."),
        ({"skill": skill, "items": [item]}, 400, "Choose either one skill or some items"),
        ({"skill": skill, "due": "31/12/2030"}, 422, "date"),
        ({"skill": "fractions"}, 422, "skill"),
    ]
    for body, status, message in cases:
        response = _post(teacher, url, body)
        assert response.status_code == status, body
        assert message in response.content.decode(), body
    assert not Assignment.objects.exists()
    # a refused assignment does not reset anyone's pending item either
    assert list(Pending.objects.filter(classroom=classroom).values_list("pk", "item_id")) == pending


def test_a_teacher_removes_an_assignment_and_practice_is_no_longer_steered_to_it() -> None:
    classroom = _demo_class()
    bank = services.practice_bank(classroom.bank)
    chosen = sorted(bank.item_skill)[-1:]
    assignment = services.assignment_create(
        classroom=classroom, by=classroom.teacher, item_ids=chosen
    )
    teacher = with_api_key("teacher")
    url = f"{API}/classes/{classroom.pk}/assignments/{assignment.pk}"
    response = teacher.delete(url)
    assert response.status_code == 204
    assert response.content == b""
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    assert teacher.get(f"{API}/classes/{classroom.pk}/assignments").json() == []
    assert AuditEvent.objects.filter(action="adaptive.assignment_removed").exists()
    nxt = signed_in("learner").get(f"{API}/next?classroom={classroom.pk}").json()
    assert nxt["kind"] != "assigned"
    again = teacher.delete(url)
    assert again.status_code == 404
    assert again.json() == {"detail": "no such assignment in this class"}
    # an assignment of another class is not reachable through this one
    other = services.classroom_create(
        teacher=classroom.teacher, name="Other", bank=classroom.bank, learners=[]
    )
    theirs = services.assignment_create(classroom=other, by=classroom.teacher, item_ids=chosen)
    assert (
        teacher.delete(f"{API}/classes/{classroom.pk}/assignments/{theirs.pk}").status_code == 404
    )
    assert Assignment.objects.filter(pk=theirs.pk).exists()


# ------------------------------------------------------------------ a learner's timeline


def test_a_teacher_reads_a_learners_timeline_newest_first_only_for_a_learner_in_the_class() -> None:
    classroom = _demo_class()
    sim = classroom.learners.get(username="demo-sim-01")
    teacher = with_api_key("teacher")
    response = teacher.get(f"{API}/classes/{classroom.pk}/learners/{sim.pk}/timeline")
    assert response.status_code == 200
    body = response.json()
    assert body["learner"] == {"id": sim.pk, "username": "demo-sim-01", "name": "Amara Okafor"}
    stored = Answer.objects.filter(learner=sim, classroom=classroom).order_by("-at", "-pk")
    assert len(body["answers"]) == min(200, stored.count()) > 20
    newest, row = body["answers"][0], stored.select_related("item", "skill").first()
    assert row is not None
    assert newest["answer"] == row.pk
    assert newest["item"] == row.item_id
    assert newest["item_identifier"] == row.item.identifier
    assert newest["skill"] == row.skill_id
    assert newest["skill_label"] == row.skill.label
    assert newest["correct"] is row.correct
    assert newest["mastery_after"] == pytest.approx(row.mastery_after, abs=1e-4)
    assert newest["reason"] == row.reason
    times = [a["at"] for a in body["answers"]]
    assert times == sorted(times, reverse=True)
    mastery = {m["skill"]: m for m in body["mastery"]}
    assert len(mastery) == len(services.practice_bank(classroom.bank).skills)
    assert sum(m["answers"] for m in mastery.values()) == stored.count()
    # someone who is not a learner in this class
    outsider = a_new_learner("outsider")
    missing = teacher.get(f"{API}/classes/{classroom.pk}/learners/{outsider.pk}/timeline")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "no such learner in this class"}


def test_the_teacher_endpoints_are_in_the_openapi_document() -> None:
    paths = Client().get("/api/openapi.json").json()["paths"]
    assert {
        f"{API}/classes",
        f"{API}/classes/{{classroom_id}}",
        f"{API}/classes/{{classroom_id}}/learners",
        f"{API}/classes/{{classroom_id}}/assignments",
        f"{API}/classes/{{classroom_id}}/assignments/{{assignment_id}}",
        f"{API}/classes/{{classroom_id}}/learners/{{learner_id}}/timeline",
    } <= set(paths)
    assert set(paths[f"{API}/classes/{{classroom_id}}/assignments"]) == {"get", "post"}
    assert "201" in paths[f"{API}/classes"]["post"]["responses"]
    assert (
        "204"
        in paths[f"{API}/classes/{{classroom_id}}/assignments/{{assignment_id}}"]["delete"][
            "responses"
        ]
    )
