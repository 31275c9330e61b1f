"""Quizzes from the catalogue as assessed evidence: a coordinator names published items for a
competency, the teacher answers them in one form (no JavaScript), the node scores them, and a
passed quiz counts toward completion like rubric evidence."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from edubridge.catalogue import services as catalogue
from edubridge.training import quiz as scoring
from edubridge.training import services
from edubridge.training.models import EnrolmentStatus, Evidence, EvidenceKind, Quiz
from edubridge.training.selectors import cascade_generations, enrolment_progress

from .test_training import coordinator, finish, make_cohort, signed_in, teacher

pytestmark = pytest.mark.usefixtures("demo_network")


def item(identifier: str, kind: str, values: list[Any], **interaction: Any) -> dict[str, Any]:
    return {
        "id": identifier,
        "format": "edubridge-item/1",
        "language": "en",
        "stem": f"Question {identifier}",
        "interaction": {"type": kind, **interaction},
        "correct_response": {"values": values},
    }


CHOICES = [{"id": "a", "text": "Check the output"}, {"id": "b", "text": "Trust it"}]
ITEMS = [
    item("q-choice", "choice", ["a"], choices=CHOICES),
    item(
        "q-multi",
        "multiple_response",
        ["a", "c"],
        choices=[*CHOICES, {"id": "c", "text": "Cite the tool"}],
    ),
    item("q-number", "numeric_entry", [24], tolerance=0.5),
    item("q-text", "text_entry", ["bias"], case_sensitive=False),
    item(
        "q-order",
        "order",
        ["x", "y", "z"],
        choices=[
            {"id": "z", "text": "Publish"},
            {"id": "x", "text": "Draft"},
            {"id": "y", "text": "Review"},
        ],
    ),
    item(
        "q-match",
        "match",
        ["s1 t2", "s2 t1"],
        source=[{"id": "s1", "text": "Privacy"}, {"id": "s2", "text": "Bias"}],
        target=[{"id": "t1", "text": "Fairness audit"}, {"id": "t2", "text": "Consent"}],
    ),
]
ESSAY = {**item("q-essay", "extended_text", []), "correct_response": {"values": []}}


def make_bank() -> str:
    """A published catalogue bank holding ITEMS and one essay item; returns its slug."""
    content = json.dumps(
        {"format": "edubridge-bank/1", "id": "ai-quiz", "title": "AI quiz", "language": "en",
         "licence": "CC-BY-4.0", "items": [*ITEMS, ESSAY]}
    ).encode()  # fmt: skip
    result = catalogue.bank_import(by=None, filename="ai-quiz.json", content=content)
    catalogue.bank_publish(by=None, bank=result.bank)
    return result.bank.slug


@pytest.fixture
def bank() -> str:
    return make_bank()


def make_quiz(bank: str, items: list[str] | None = None, pass_percent: int = 80) -> Quiz:
    cohort = make_cohort()
    programme = cohort.programme
    competency = programme.target_competencies.order_by("code").first()
    assert competency is not None
    return services.quiz_create(
        by=coordinator(),
        programme=programme,
        competency=competency,
        title="Responsible AI check",
        items=[(bank, i) for i in (items or [x["id"] for x in ITEMS])],
        pass_percent=pass_percent,
    )


RIGHT = [["a"], ["c", "a"], ["24.4"], ["BIAS"], ["x", "y", "z"], ["t2", "t1"]]


@pytest.mark.parametrize(
    ("position", "answer", "points"),
    [
        (0, ["b"], 0.0),
        (1, ["a"], 0.0),  # a multiple response scores only when every right option is chosen
        (2, ["25"], 0.0),  # outside the tolerance
        (2, ["1,000"], 0.0),
        (3, ["bias "], 1.0),  # case-insensitive item; spaces trimmed
        (4, ["y", "x", "z"], 0.0),
        (5, ["t1", "t2"], 0.0),
    ],
)
def test_each_interaction_is_scored_against_the_catalogue_item(
    position: int, answer: list[str], points: float
) -> None:
    assert scoring.score_item(ITEMS[position], RIGHT[position]).points == 1.0
    assert scoring.score_item(ITEMS[position], answer).points == points


def test_a_mapped_response_adds_its_points_up_to_the_maximum() -> None:
    mapped = {**ITEMS[1], "scoring": {"method": "map_response", "max_score": 2,
                                      "mapping": {"a": 1.5, "c": 1.5, "b": -1}}}  # fmt: skip
    assert scoring.score_item(mapped, ["a"]).points == 1.5
    assert scoring.score_item(mapped, ["a", "c"]).points == 2.0
    assert scoring.score_item(mapped, ["b"]).points == 0.0


@pytest.mark.parametrize(
    ("position", "answer", "reason"),
    [(0, [], "give an answer"), (0, ["zz"], "choose one of the options"),
     (2, ["twenty"], "enter a number"), (4, ["x", "x", "z"], "exactly one position"),
     (5, ["t1", ""], "match every item")],
)  # fmt: skip
def test_a_missing_or_malformed_answer_is_not_scored_as_wrong(
    position: int, answer: list[str], reason: str
) -> None:
    with pytest.raises(scoring.ResponseError, match=reason):
        scoring.score_item(ITEMS[position], answer)


def test_a_quiz_names_published_items_for_a_target_competency(bank: str) -> None:
    quiz = make_quiz(bank)
    assert [r["item"] for r in quiz.items] == [x["id"] for x in ITEMS]
    programme = quiz.programme
    other = programme.framework.competencies.exclude(
        pk__in=programme.target_competencies.all()
    ).first()
    assert other is not None
    with pytest.raises(services.TrainingError, match="not one this programme assesses"):
        services.quiz_create(by=coordinator(), programme=programme, competency=other,
                             title="x", items=[(bank, "q-choice")])  # fmt: skip
    with pytest.raises(services.TrainingError, match="scored by a person"):
        services.quiz_create(by=coordinator(), programme=programme, competency=quiz.competency,
                             title="x", items=[(bank, "q-essay")])  # fmt: skip
    with pytest.raises(services.TrainingError, match="not a published catalogue item"):
        services.quiz_create(by=coordinator(), programme=programme, competency=quiz.competency,
                             title="x", items=[(bank, "nope")])  # fmt: skip
    assert services.parse_item_refs(f"{bank} q-choice\n\n{bank}/q-text") == [
        (bank, "q-choice"),
        (bank, "q-text"),
    ]
    assert len(services.parse_item_refs(bank)) == len(ITEMS) + 1  # a bank alone: all its items


def form(answers: list[list[str]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for number, (raw, given) in enumerate(zip(ITEMS, answers, strict=True), start=1):
        kind = raw["interaction"]["type"]
        if kind == "order":
            data.update({f"q{number}-{p}": v for p, v in enumerate(given, start=1)})
        elif kind == "match":
            sources = [s["id"] for s in raw["interaction"]["source"]]
            data.update({f"q{number}-{s}": v for s, v in zip(sources, given, strict=True)})
        else:
            data[f"q{number}"] = given
    return data


def test_a_teacher_takes_the_quiz_on_one_page_and_a_pass_completes_the_competency(
    bank: str,
) -> None:
    quiz = make_quiz(bank, pass_percent=80)
    cohort = quiz.programme.cohorts.get()
    amina = teacher("amina")
    enrolment = services.enrol(by=coordinator(), cohort=cohort, teacher=amina)
    client = signed_in("amina")
    url = f"/training/enrolments/{enrolment.pk}/quizzes/{quiz.pk}/"

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Question q-choice" in html
    assert "<script" not in html.split("<main", 1)[-1]
    assert 'name="q5-1"' in html
    assert 'name="q6-s1"' in html

    # An unanswered question and a word for a number: nothing is stored, every answer is kept.
    partial = form([["a"], ["a", "c"], ["twenty"], ["bias"], ["x", "y", "z"], ["t2", "t1"]])
    partial.pop("q1")
    answer = client.post(url, partial)
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "question(s) 1, 3" in text
    assert "enter a number" in text
    assert 'value="twenty"' in text
    assert re.search(r'value="c" checked', text)
    assert not Evidence.objects.filter(enrolment=enrolment).exists()

    # Five of six right: 83% reaches 80%.
    answers = [list(a) for a in RIGHT]
    answers[3] = ["prejudice"]
    done = client.post(url, form(answers))
    evidence = Evidence.objects.get(enrolment=enrolment)
    assert done.status_code == 302
    assert done["Location"] == f"/training/evidence/{evidence.pk}/"
    assert evidence.kind == EvidenceKind.QUIZ
    assert evidence.assessor is None
    assert (evidence.total, evidence.passed) == (83, True)
    assert evidence.competency == quiz.competency
    shown = client.get(done["Location"]).content.decode()
    assert "83%" in shown
    assert "prejudice" in shown
    assert "scored by the node" in shown

    progress = enrolment_progress(enrolment)
    row = next(r for r in progress.competencies if r.competency == quiz.competency)
    assert row.passed
    assert row.evidence == [evidence]
    assert "my training" in client.get("/training/my/").content.decode().lower()
    assert "83%" in client.get("/training/my/").content.decode()

    # The assessor sees the quiz evidence with the rubric evidence, and can open it.
    trainer = signed_in("trainer")
    assess = trainer.get(f"/training/enrolments/{enrolment.pk}/assess/").content.decode()
    assert f"/training/evidence/{evidence.pk}/" in assess
    assert "Catalogue quiz" in assess
    assert trainer.get(f"/training/evidence/{evidence.pk}/").status_code == 200
    stranger = teacher("stranger")
    assert signed_in(stranger.username).get(f"/training/evidence/{evidence.pk}/").status_code == 403


def test_a_failed_attempt_is_evidence_that_does_not_count(bank: str) -> None:
    quiz = make_quiz(bank, items=["q-choice", "q-number"], pass_percent=100)
    cohort = quiz.programme.cohorts.get()
    enrolment = services.enrol(by=coordinator(), cohort=cohort, teacher=teacher("budi"))
    evidence = services.quiz_submit(
        teacher=enrolment.teacher, enrolment=enrolment, quiz=quiz, responses=[["a"], ["30"]]
    )
    assert (evidence.total, evidence.passed) == (50, False)
    row = next(
        r for r in enrolment_progress(enrolment).competencies if r.competency == quiz.competency
    )
    assert not row.passed


def test_only_the_enrolled_teacher_takes_the_quiz(bank: str) -> None:
    quiz = make_quiz(bank, items=["q-choice"])
    enrolment = services.enrol(
        by=coordinator(), cohort=quiz.programme.cohorts.get(), teacher=teacher("chen")
    )
    other = teacher("dewi")
    url = f"/training/enrolments/{enrolment.pk}/quizzes/{quiz.pk}/"
    assert signed_in(other.username).post(url, {"q1": "a"}).status_code == 403
    with pytest.raises(services.TrainingError, match="Only the enrolled teacher"):
        services.quiz_submit(teacher=other, enrolment=enrolment, quiz=quiz, responses=[["a"]])


def test_quiz_evidence_completes_a_programme_and_stays_out_of_rubric_means(bank: str) -> None:
    quiz = make_quiz(bank, items=["q-choice"], pass_percent=100)
    cohort = quiz.programme.cohorts.get()
    eka = teacher("eka")
    enrolment = services.enrol(by=coordinator(), cohort=cohort, teacher=eka)
    services.quiz_submit(teacher=eka, enrolment=enrolment, quiz=quiz, responses=[["a"]])
    credential = finish(cohort, eka)  # rubric evidence for the other competency, attendance
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert (
        "quiz" in credential.document["credentialSubject"]["achievement"]["criteria"]["narrative"]
    )
    rubric_totals = list(
        Evidence.objects.filter(
            kind=EvidenceKind.RUBRIC, enrolment__cohort__generation=cohort.generation
        ).values_list("total", flat=True)
    )
    generation = next(g for g in cascade_generations() if g.generation == cohort.generation)
    assert generation.mean_score == sum(rubric_totals) / len(rubric_totals)
    # After completion the quiz is closed.
    with pytest.raises(services.TrainingError, match="already completed"):
        services.quiz_submit(teacher=eka, enrolment=enrolment, quiz=quiz, responses=[["a"]])


def test_the_coordinator_adds_a_quiz_on_the_programme_page(bank: str) -> None:
    cohort = make_cohort()
    programme = cohort.programme
    competency = programme.target_competencies.first()
    assert competency is not None
    client = signed_in("trainer")
    url = f"/training/programmes/{programme.pk}/quizzes/"
    bad = client.post(
        url, {"competency": competency.pk, "title": "Check", "items": f"{bank} q-essay"}
    )
    assert "quiz_error" in bad["Location"]
    page = client.get(bad["Location"]).content.decode()
    assert "scored by a person" in page
    assert not Quiz.objects.exists()
    good = client.post(url, {"competency": competency.pk, "title": "Check", "items": f"{bank}/q-choice",
                             "pass_percent": "100"})  # fmt: skip
    assert good.status_code == 302
    assert Quiz.objects.get().items == [{"bank": bank, "item": "q-choice"}]
    assert "Check" in client.get(f"/training/programmes/{programme.pk}/").content.decode()
