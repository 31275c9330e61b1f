"""HTTP API of the adaptive app: the next item with its reason, answers, mastery per skill."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from edubridge.accounts.models import User
from edubridge.accounts.roles import Permission
from edubridge.accounts.selectors import user_has_permission
from edubridge.adaptive import selectors, services
from edubridge.adaptive.models import Classroom
from edubridge.core.http_auth import AUTH

router = Router(tags=["adaptive"], auth=AUTH)


class NextOut(Schema):
    classroom: int
    item: int | None
    item_identifier: str | None
    kind: str
    reason: str
    numbers: dict[str, float | int | None]
    content: dict | None  # type: ignore[type-arg]


class AnswerIn(Schema):
    classroom: int
    item: int
    response: str


class AnswerOut(Schema):
    answer: int
    correct: bool
    correct_response: str
    feedback: str
    skill: str
    mastery_before: float
    mastery_after: float
    statement_id: str


class MasteryOut(Schema):
    skill: int
    identifier: str
    label: str
    mastery: float
    mastered: bool
    answers: int
    right: int


def _learner(request: HttpRequest, classroom_id: int) -> tuple[User, Classroom]:
    user = request.user
    if not isinstance(user, User) or not user_has_permission(user, Permission.PRACTISE):
        raise HttpError(403, "needs the permission practise")
    classroom = (
        Classroom.objects.select_related("bank")
        .filter(pk=classroom_id, learners=user)
        .order_by()
        .first()
    )
    if classroom is None:
        raise HttpError(404, "you are not a learner in this class")
    return user, classroom


@router.get("/next", response=NextOut, summary="The next item for the learner, and why")
def next_item(request: HttpRequest, classroom: int) -> NextOut:
    """Returns the pending item if the learner has one (practice resumes), else the policy's
    choice: `reason` in words and `numbers` (mastery, predicted_success, band, threshold).
    `content` is the item without its correct response and feedback (those come with the
    answer)."""
    user, room = _learner(request, classroom)
    try:
        pending = services.next_item(user=user, classroom=room)
    except services.AdaptiveError as exc:
        raise HttpError(409, str(exc)) from exc
    if pending is None:
        return NextOut(
            classroom=room.pk,
            item=None,
            item_identifier=None,
            kind="none",
            reason="nothing to practise now",
            numbers={},
            content=None,
        )
    return NextOut(
        classroom=room.pk,
        item=pending.item_id,
        item_identifier=pending.item.identifier,
        kind=pending.kind,
        reason=pending.reason,
        numbers=pending.numbers,
        content=learner_view(pending.item.data),
    )


#: Parts of an item a learner must not see before answering.
HIDDEN = frozenset({"correct_response", "feedback"})


def learner_view(data: dict) -> dict:  # type: ignore[type-arg]
    """The item as a learner may see it: without its correct response and answer feedback."""
    return {k: v for k, v in data.items() if k not in HIDDEN}


@router.post("/answers", response={201: AnswerOut}, summary="Submit an answer to the pending item")
def submit(request: HttpRequest, payload: AnswerIn) -> Status[AnswerOut]:
    """Scores the answer, updates mastery in O(1) and records the answer and its xAPI statement
    in one transaction. A second answer to the same item is refused with 409 and stores nothing."""
    user, room = _learner(request, payload.classroom)
    try:
        outcome = services.answer_submit(
            user=user, classroom=room, item_id=payload.item, response=payload.response
        )
    except services.AdaptiveError as exc:
        raise HttpError(
            409 if isinstance(exc, services.AlreadyAnsweredError) else 400, str(exc)
        ) from exc
    return Status(
        201,
        AnswerOut(
            answer=outcome.answer.pk,
            correct=outcome.correct,
            correct_response=outcome.correct_text,
            feedback=outcome.feedback,
            skill=outcome.skill.label,
            mastery_before=round(outcome.mastery_before, 4),
            mastery_after=round(outcome.answer.mastery_after, 4),
            statement_id=outcome.answer.statement["id"],
        ),
    )


@router.get("/mastery", response=list[MasteryOut], summary="The learner's mastery per skill")
def mastery(request: HttpRequest, classroom: int) -> list[MasteryOut]:
    user, room = _learner(request, classroom)
    return [
        MasteryOut(
            skill=m.skill.pk,
            identifier=m.skill.identifier,
            label=m.skill.label,
            mastery=round(m.mastery, 4),
            mastered=m.mastered,
            answers=m.answers,
            right=m.right,
        )
        for m in selectors.mastery_by_skill(user, room)
    ]
