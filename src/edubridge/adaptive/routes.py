"""HTTP API of the adaptive app: for learners the next item with its reason, answers and mastery
per skill; for teachers their classes, enrolment, assignments, the class's mastery by learner
and skill with who struggles and what to assign next, and a learner's timeline."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from edubridge.accounts.models import User
from edubridge.accounts.roles import Permission
from edubridge.accounts.selectors import user_has_permission
from edubridge.adaptive import selectors, services
from edubridge.adaptive.models import Assignment, Classroom, Skill
from edubridge.catalogue.models import Bank, Item
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


def _practising(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user_has_permission(user, Permission.PRACTISE):
        raise HttpError(403, "needs the permission practise")
    return user


def _learner(request: HttpRequest, classroom_id: int) -> tuple[User, Classroom]:
    user = _practising(request)
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
    user = _practising(request)
    # the usual case: the item chosen when the last answer was stored (one query)
    pending = services.pending_in_class(user=user, classroom_id=classroom)
    if pending is None:
        user, room = _learner(request, classroom)
        try:
            pending = services.next_item(user=user, classroom=room, found=None)
        except services.AdaptiveError as exc:
            raise HttpError(409, str(exc)) from exc
    if pending is None:
        return NextOut(
            classroom=classroom,
            item=None,
            item_identifier=None,
            kind="none",
            reason="nothing to practise now",
            numbers={},
            content=None,
        )
    return NextOut(
        classroom=classroom,
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
    user = _practising(request)
    try:
        outcome = services.answer_submit_in(
            user=user,
            classroom_id=payload.classroom,
            item_id=payload.item,
            response=payload.response,
        )
    except services.NotInClassError as exc:
        raise HttpError(404, "you are not a learner in this class") from exc
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
    return _mastery_out(user, room)


def _mastery_out(user: User, classroom: Classroom) -> list[MasteryOut]:
    """A learner's mastery per skill in a class, as the learner and the teacher see it."""
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
        for m in selectors.mastery_by_skill(user, classroom)
    ]


# ------------------------------------------------------------------ teachers
#
# The same work as the teacher's pages (views.py): classes, enrolment, assignments, the class's
# mastery, who struggles, suggestions and a learner's timeline. Every endpoint needs the
# permission view_class_mastery, and a class is seen and changed only by its own teacher.


class ClassIn(Schema):
    name: str
    bank: int | str  # the resource's id (a number) or slug (a string)
    learners: list[int | str] = []  # ids (numbers) or usernames (strings)


class ClassOut(Schema):
    id: int
    name: str
    bank: int
    bank_slug: str
    bank_title: str
    learner_count: int
    created_at: datetime


class LearnerOut(Schema):
    id: int
    username: str
    name: str


class SkillOut(Schema):
    id: int
    identifier: str
    code: str
    label: str


class ItemOut(Schema):
    id: int
    identifier: str
    title: str
    skill: int


class CellOut(Schema):
    skill: int
    mastery: float
    answers: int
    right: int
    mastered: bool


class MasteryRowOut(Schema):
    learner: int
    cells: list[CellOut]  # one per skill, in the order of the class's `skills`


class StruggleOut(Schema):
    learner: int
    skills: list[CellOut]  # the skills struggled with, lowest mastery first


class AssignmentOut(Schema):
    id: int
    title: str
    skill: int | None
    items: list[int]
    due: date | None
    note: str
    created_at: datetime
    done: int  # learners who finished it (skill mastered, or every item answered)
    learners: int
    mean_percent: int
    overdue: bool
    not_done: list[int]  # ids of the learners still working on it


class SuggestionOut(Schema):
    skill: int
    skill_label: str
    reason: str
    ready_below: int  # learners below mastery whose prerequisites are mastered
    waiting: int  # learners below mastery still missing a prerequisite
    mastered: int
    learners: int
    mean_mastery: float  # among the ready learners


class RulesOut(Schema):
    mastered_at: float
    struggling_below: float
    struggling_after_answers: int


class ClassViewOut(ClassOut):
    rules: RulesOut
    learners: list[LearnerOut]
    skills: list[SkillOut]
    items: list[ItemOut]
    mastery: list[MasteryRowOut]
    struggling: list[StruggleOut]
    assignments: list[AssignmentOut]
    suggestions: list[SuggestionOut]


class EnrolIn(Schema):
    add: list[int | str] = []  # ids (numbers) or usernames (strings)
    remove: list[int | str] = []


class EnrolOut(Schema):
    added: int
    removed: int
    learners: list[LearnerOut]


class AssignmentIn(Schema):
    skill: int | None = None
    items: list[int] = []
    due: date | None = None
    title: str = ""
    note: str = ""


class TimelineAnswerOut(Schema):
    answer: int
    at: datetime
    item: int
    item_identifier: str
    item_title: str
    skill: int
    skill_label: str
    correct: bool
    mastery_after: float
    reason: str


class TimelineOut(Schema):
    learner: LearnerOut
    mastery: list[MasteryOut]
    answers: list[TimelineAnswerOut]  # newest first


def _teacher(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user_has_permission(user, Permission.VIEW_CLASS_MASTERY):
        raise HttpError(403, "needs the permission view_class_mastery")
    return user


def _taught(request: HttpRequest, classroom_id: int) -> tuple[User, Classroom]:
    """The caller and the class they teach: 404 when there is no such class, 403 when it is
    another teacher's."""
    user = _teacher(request)
    classroom = Classroom.objects.select_related("bank").filter(pk=classroom_id).first()
    if classroom is None:
        raise HttpError(404, "no such class")
    if classroom.teacher_id != user.pk:
        raise HttpError(403, "only the class's teacher may see or change it")
    return user, classroom


def _refused(exc: services.AdaptiveError) -> HttpError:
    return HttpError(400, str(exc))


def _people(refs: list[int | str]) -> list[User]:
    """The people named by id or username, each once; 400 naming those that do not exist."""
    ids = [r for r in refs if isinstance(r, int)]
    names = [r for r in refs if isinstance(r, str)]
    found = list(User.objects.filter(Q(pk__in=ids) | Q(username__in=names)))
    by_id = {u.pk: u for u in found}
    by_name = {u.username: u for u in found}
    out: dict[int, User] = {}
    missing = []
    for ref in refs:
        user = by_id.get(ref) if isinstance(ref, int) else by_name.get(ref)
        if user is None:
            missing.append(str(ref))
        else:
            out[user.pk] = user
    if missing:
        raise HttpError(400, f"no such people: {', '.join(missing)}")
    return list(out.values())


def _bank(ref: int | str) -> Bank:
    bank = Bank.objects.filter(**({"pk": ref} if isinstance(ref, int) else {"slug": ref})).first()
    if bank is None:
        raise HttpError(400, f"no such resource: {ref}")
    return bank


def _class_out(classroom: Classroom, learner_count: int) -> ClassOut:
    return ClassOut(
        id=classroom.pk,
        name=classroom.name,
        bank=classroom.bank_id,
        bank_slug=classroom.bank.slug,
        bank_title=classroom.bank.title,
        learner_count=learner_count,
        created_at=classroom.created_at,
    )


def _learner_out(user: User) -> LearnerOut:
    return LearnerOut(id=user.pk, username=user.username, name=selectors.display_name(user))


def _skill_out(skill: Skill) -> SkillOut:
    return SkillOut(id=skill.pk, identifier=skill.identifier, code=skill.code, label=skill.label)


def _cell_out(cell: selectors.SkillMastery) -> CellOut:
    return CellOut(
        skill=cell.skill.pk,
        mastery=round(cell.mastery, 4),
        answers=cell.answers,
        right=cell.right,
        mastered=cell.mastered,
    )


def _assignment_out(p: selectors.AssignmentProgress) -> AssignmentOut:
    a = p.assignment
    return AssignmentOut(
        id=a.pk,
        title=a.title,
        skill=a.skill_id,
        items=sorted(i.pk for i in a.items.all()),
        due=a.due,
        note=a.note,
        created_at=a.created_at,
        done=p.done,
        learners=p.learners,
        mean_percent=p.mean_percent,
        overdue=p.overdue,
        not_done=[u.pk for u in p.not_done],
    )


def _progress(classroom: Classroom) -> list[AssignmentOut]:
    view = selectors.class_view(classroom)
    return [_assignment_out(p) for p in selectors.assignment_progress(classroom, view)]


@router.get("/classes", response=list[ClassOut], summary="The classes the caller teaches")
def classes(request: HttpRequest) -> list[ClassOut]:
    """Each class with its resource and number of learners, by name: the ids the other class
    endpoints take."""
    user = _teacher(request)
    rooms = selectors.classrooms_taught(user).annotate(n_learners=Count("learners"))
    return [_class_out(room, room.n_learners) for room in rooms]


@router.post("/classes", response={201: ClassOut}, summary="Create a class practising a resource")
def class_create(request: HttpRequest, payload: ClassIn) -> Status[ClassOut]:
    """The caller becomes the class's teacher. The resource must be published and have items to
    practise; learners must hold the learner role. Anything refused is 400 with the reason, and
    then no class is created."""
    user = _teacher(request)
    bank = _bank(payload.bank)
    learners = _people(payload.learners)
    try:
        classroom = services.classroom_create(
            teacher=user, name=payload.name, bank=bank, learners=learners
        )
    except services.AdaptiveError as exc:
        raise _refused(exc) from exc
    return Status(201, _class_out(classroom, len(learners)))


@router.get(
    "/classes/{classroom_id}",
    response=ClassViewOut,
    summary="A class's mastery by learner and skill, who struggles, progress and suggestions",
)
def class_detail(request: HttpRequest, classroom_id: int) -> ClassViewOut:
    """What the teacher's dashboard shows, as numbers: `mastery` has one row per learner and one
    cell per skill (a never-practised skill shows the model's prior with 0 answers);
    `struggling` lists learners with at least `rules.struggling_after_answers` answers and
    mastery below `rules.struggling_below` on a skill, most struggles first; `assignments`
    carries the class's progress on each; `suggestions` are skills worth assigning next, with
    the reason in words and the counts behind it. `items` are the practisable items, the ids
    an assignment of items takes."""
    _user, classroom = _taught(request, classroom_id)
    view = selectors.class_view(classroom)
    bank = services.practice_bank(classroom.bank)
    items = Item.objects.filter(pk__in=list(bank.item_skill)).order_by("position")
    return ClassViewOut(
        **_class_out(classroom, len(view.learners)).model_dump(),
        rules=RulesOut(
            mastered_at=services.POLICY.mastery_threshold,
            struggling_below=selectors.STRUGGLE_MASTERY,
            struggling_after_answers=selectors.STRUGGLE_ANSWERS,
        ),
        learners=[_learner_out(u) for u in view.learners],
        skills=[_skill_out(s) for s in view.skills],
        items=[
            ItemOut(id=i.pk, identifier=i.identifier, title=i.title, skill=bank.item_skill[i.pk])
            for i in items
        ],
        mastery=[
            MasteryRowOut(
                learner=u.pk,
                cells=[_cell_out(view.cells[(u.pk, s.pk)]) for s in view.skills],
            )
            for u in view.learners
        ],
        struggling=[
            StruggleOut(learner=u.pk, skills=[_cell_out(c) for c in cells])
            for u, cells in view.struggling
        ],
        assignments=[_assignment_out(p) for p in selectors.assignment_progress(classroom, view)],
        suggestions=[
            SuggestionOut(
                skill=s.skill.pk,
                skill_label=s.skill.label,
                reason=s.reason,
                ready_below=s.ready_below,
                waiting=s.waiting,
                mastered=s.mastered,
                learners=s.learners,
                mean_mastery=round(s.mean_mastery, 4),
            )
            for s in selectors.suggestions(classroom, view)
        ],
    )


@router.post(
    "/classes/{classroom_id}/learners",
    response=EnrolOut,
    summary="Enrol learners in a class and take others out",
)
def class_enrol(request: HttpRequest, classroom_id: int, payload: EnrolIn) -> EnrolOut:
    """`add` and `remove` name people by id or username. Only people with the learner role can
    be enrolled; someone taken out keeps their answers and loses their pending item. Unknown
    people, someone both added and removed, or removing someone not in the class is 400, and
    then nothing changes. Adding someone already enrolled changes nothing."""
    user, classroom = _taught(request, classroom_id)
    add = _people(payload.add)
    remove = _people(payload.remove)
    both = {u.pk for u in add} & {u.pk for u in remove}
    if both:
        names = ", ".join(u.username for u in add if u.pk in both)
        raise HttpError(400, f"both added and removed: {names}")
    current = set(classroom.learners.values_list("pk", flat=True))
    outside = [u.username for u in remove if u.pk not in current]
    if outside:
        raise HttpError(400, f"not learners in this class: {', '.join(outside)}")
    add = [u for u in add if u.pk not in current]
    try:
        services.classroom_enrol(classroom=classroom, by=user, add=add, remove=remove)
    except services.AdaptiveError as exc:
        raise _refused(exc) from exc
    return EnrolOut(
        added=len(add),
        removed=len(remove),
        learners=[_learner_out(u) for u in classroom.learners.order_by("username")],
    )


@router.get(
    "/classes/{classroom_id}/assignments",
    response=list[AssignmentOut],
    summary="A class's assignments and the class's progress on each",
)
def assignments(request: HttpRequest, classroom_id: int) -> list[AssignmentOut]:
    """Earliest due first (no due date last). A skill is done when the learner has mastered it,
    chosen items when the learner has answered each since it was assigned; `overdue` is a due
    date gone by with learners not done."""
    _user, classroom = _taught(request, classroom_id)
    return _progress(classroom)


@router.post(
    "/classes/{classroom_id}/assignments",
    response={201: AssignmentOut},
    summary="Assign a skill or chosen items to a class",
)
def assignment_create(
    request: HttpRequest, classroom_id: int, payload: AssignmentIn
) -> Status[AssignmentOut]:
    """Give either `skill` (done when mastered) or `items` (done when each is answered), both
    of the class's resource, with an optional due date (not in the past). Learners are steered
    to it from their next item on. Anything refused is 400 with the reason, and then nothing is
    assigned."""
    user, classroom = _taught(request, classroom_id)
    try:
        created = services.assignment_create(
            classroom=classroom,
            by=user,
            skill_id=payload.skill,
            item_ids=payload.items,
            due=payload.due,
            title=payload.title,
            note=payload.note,
        )
    except services.AdaptiveError as exc:
        raise _refused(exc) from exc
    return Status(201, next(a for a in _progress(classroom) if a.id == created.pk))


@router.delete(
    "/classes/{classroom_id}/assignments/{assignment_id}",
    response={204: None},
    summary="Remove an assignment from a class",
)
def assignment_delete(request: HttpRequest, classroom_id: int, assignment_id: int) -> Status[None]:
    """Learners' answers stay; practice is no longer steered toward it."""
    user, classroom = _taught(request, classroom_id)
    assignment = Assignment.objects.filter(pk=assignment_id, classroom=classroom).first()
    if assignment is None:
        raise HttpError(404, "no such assignment in this class")
    services.assignment_delete(assignment=assignment, by=user)
    return Status(204, None)


@router.get(
    "/classes/{classroom_id}/learners/{learner_id}/timeline",
    response=TimelineOut,
    summary="One learner's mastery per skill and answers in a class, newest first",
)
def learner_timeline(request: HttpRequest, classroom_id: int, learner_id: int) -> TimelineOut:
    """For a learner enrolled in the class (else 404): each answer with its skill, item, result,
    mastery after it and why the item was offered."""
    _user, classroom = _taught(request, classroom_id)
    learner = classroom.learners.filter(pk=learner_id).first()
    if learner is None:
        raise HttpError(404, "no such learner in this class")
    return TimelineOut(
        learner=_learner_out(learner),
        mastery=_mastery_out(learner, classroom),
        answers=[
            TimelineAnswerOut(
                answer=a.pk,
                at=a.at,
                item=a.item_id,
                item_identifier=a.item.identifier,
                item_title=a.item.title,
                skill=a.skill_id,
                skill_label=a.skill.label,
                correct=a.correct,
                mastery_after=round(a.mastery_after, 4),
                reason=a.reason,
            )
            for a in selectors.timeline(learner, classroom)
        ],
    )
