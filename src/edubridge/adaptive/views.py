"""Practice pages for learners and the mastery dashboard for teachers; no JavaScript needed."""

from __future__ import annotations

import contextlib
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from edubridge.accounts.access import require_permission
from edubridge.accounts.access import signed_in_user as _user
from edubridge.accounts.roles import Permission
from edubridge.adaptive import selectors, services
from edubridge.adaptive.models import Classroom, Pending


def reason_words(pending: Pending) -> str:
    """The engine's reason in the learner's language, with its numbers."""
    n = pending.numbers
    skill = services.practice_bank(pending.classroom.bank).skills.get(int(n.get("skill", 0)))
    values: dict[str, Any] = {
        "skill": skill.label if skill else "",
        "mastery": round(float(n.get("mastery", 0)) * 100),
        "success": round(float(n.get("predicted_success", 0)) * 100),
        "low": round(float(n.get("band_low", 0)) * 100),
        "high": round(float(n.get("band_high", 0)) * 100),
        "days": float(n.get("days_since_practice", 0)),
    }
    if pending.kind == "review":
        return (
            _(
                "Review: you mastered “%(skill)s” (%(mastery)d%%) and last practised it %(days).1f days "
                "ago; spaced review keeps it. We expect you to get this one right %(success)d%% of the time."
            )
            % values
        )
    if pending.kind == "test-out":
        return (
            _(
                "Testing out of “%(skill)s” (now %(mastery)d%% mastery): prerequisites are not required. "
                "We expect you to get this one right %(success)d%% of the time."
            )
            % values
        )
    return (
        _(
            "“%(skill)s” is at %(mastery)d%% mastery and its prerequisites are met. We expect you to "
            "get this item right %(success)d%% of the time: inside the %(low)d–%(high)d%% band where "
            "practice helps most."
            if values["low"] <= values["success"] <= values["high"]
            else "“%(skill)s” is at %(mastery)d%% mastery and its prerequisites are met. We expect you "
            "to get this item right %(success)d%% of the time, the closest to the %(low)d–%(high)d%% "
            "band among the items left."
        )
        % values
    )


def _learner_classroom(request: HttpRequest, classroom_id: int | None) -> Classroom | None:
    user = _user(request)
    rooms = selectors.classrooms_of(user)
    if classroom_id is None:
        return rooms.first()
    room = rooms.filter(pk=classroom_id).first()
    if room is None:
        raise Http404(_("You are not a learner in this class."))
    return room


@require_permission(Permission.PRACTISE)
@require_GET
def practice(request: HttpRequest, classroom_id: int | None = None) -> HttpResponse:
    user = _user(request)
    classroom = _learner_classroom(request, classroom_id)
    if classroom is None:
        return render(request, "adaptive/practice.html", {"classroom": None})
    test_out = request.GET.get("test_out")
    try:
        pending = services.next_item(
            user=user,
            classroom=classroom,
            test_out=int(test_out) if test_out and test_out.isdigit() else None,
        )
    except services.AdaptiveError as exc:
        return render(
            request,
            "adaptive/practice.html",
            {"classroom": classroom, "error": str(exc)},
            status=409,
        )
    return _practice_page(request, classroom, pending)


def _practice_page(
    request: HttpRequest,
    classroom: Classroom,
    pending: Pending | None,
    *,
    error: str = "",
    status: int = 200,
    response: str = "",
) -> HttpResponse:
    user = _user(request)
    hints = pending.item.data.get("hints", [])[: pending.hints_shown] if pending else []
    return render(
        request,
        "adaptive/practice.html",
        {
            "classroom": classroom,
            "classrooms": selectors.classrooms_of(user),
            "pending": pending,
            "item": pending.item.data if pending else None,
            "reason": reason_words(pending) if pending else "",
            "hints": hints,
            "more_hints": pending is not None
            and pending.hints_shown < len(pending.item.data.get("hints", [])),
            "mastery": selectors.mastery_by_skill(user, classroom),
            "error": error,
            "response": response,
        },
        status=status,
    )


@require_permission(Permission.PRACTISE)
@require_POST
def answer(request: HttpRequest, classroom_id: int) -> HttpResponse:
    user = _user(request)
    classroom = _learner_classroom(request, classroom_id)
    assert classroom is not None
    response = request.POST.get("response", "")
    try:
        item_id = int(request.POST.get("item", ""))
    except ValueError:
        item_id = -1
    try:
        outcome = services.answer_submit(
            user=user, classroom=classroom, item_id=item_id, response=response
        )
    except services.AdaptiveError as exc:
        pending = services.next_item(user=user, classroom=classroom)
        return _practice_page(
            request, classroom, pending, error=str(exc), status=400, response=response
        )
    answer_row = outcome.answer
    return render(
        request,
        "adaptive/feedback.html",
        {
            "classroom": classroom,
            "outcome": outcome,
            "item": answer_row.item.data,
            "mastery_after": round(answer_row.mastery_after * 100),
            "mastery_before": round(outcome.mastery_before * 100),
            "hints": answer_row.item.data.get("hints", []),
        },
    )


@require_permission(Permission.PRACTISE)
@require_POST
def hint(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = _learner_classroom(request, classroom_id)
    assert classroom is not None
    with contextlib.suppress(services.AdaptiveError):
        services.show_hint(user=_user(request), classroom=classroom)
    return redirect("adaptive:practice-class", classroom_id=classroom.pk)


# ------------------------------------------------------------------ teachers


def _taught(request: HttpRequest, classroom_id: int) -> Classroom:
    classroom = get_object_or_404(
        Classroom.objects.select_related("bank", "teacher"), pk=classroom_id
    )
    if classroom.teacher_id != _user(request).pk:
        raise PermissionDenied(_("Only the class's teacher sees its mastery."))
    return classroom


@require_permission(Permission.VIEW_CLASS_MASTERY)
@require_GET
def classes(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "adaptive/classes.html",
        {"classrooms": selectors.classrooms_taught(_user(request))},
    )


@require_permission(Permission.VIEW_CLASS_MASTERY)
@require_GET
def dashboard(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = _taught(request, classroom_id)
    view = selectors.class_view(classroom)
    rows = [
        (learner, [view.cells[(learner.pk, s.pk)] for s in view.skills])
        for learner in view.learners
    ]
    _model, fitted = services.current_model()
    card = None
    if fitted is not None:
        from edubridge.governance.models import ModelCard

        card = ModelCard.objects.filter(name=fitted.name).order_by("-pk").first()
    return render(
        request,
        "adaptive/dashboard.html",
        {
            "classroom": classroom,
            "view": view,
            "rows": rows,
            "svg": mark_safe(selectors.heat_map_svg(view)),  # noqa: S308 - every text is escaped
            "fitted": fitted,
            "card": card,
            "threshold": round(services.POLICY.mastery_threshold * 100),
        },
    )


@require_permission(Permission.VIEW_CLASS_MASTERY)
@require_GET
def learner_timeline(request: HttpRequest, classroom_id: int, learner_id: int) -> HttpResponse:
    classroom = _taught(request, classroom_id)
    learner = classroom.learners.filter(pk=learner_id).first()
    if learner is None:
        raise Http404(_("No such learner in this class."))
    return render(
        request,
        "adaptive/timeline.html",
        {
            "classroom": classroom,
            "learner": learner,
            "name": selectors.display_name(learner),
            "answers": selectors.timeline(learner, classroom),
            "mastery": selectors.mastery_by_skill(learner, classroom),
        },
    )
