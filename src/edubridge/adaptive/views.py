"""Practice pages for learners and the mastery dashboard for teachers; no JavaScript needed."""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from edubridge.accounts.access import require_permission
from edubridge.accounts.access import signed_in_user as _user
from edubridge.accounts.models import User
from edubridge.accounts.roles import Permission
from edubridge.accounts.selectors import user_has_permission
from edubridge.adaptive import selectors, services
from edubridge.adaptive.models import Assignment, Classroom, FittedModel, Pending
from edubridge.catalogue.models import Bank, Item


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
    if pending.kind == "assigned":
        assignment = pending.classroom.assignments.filter(pk=int(n.get("assignment", 0))).first()
        values["title"] = assignment.title if assignment else ""
        if "items_total" in n:
            values["left"] = int(n.get("items_left", 0))
            values["total"] = int(n.get("items_total", 0))
            return (
                _(
                    "Your teacher assigned “%(title)s”: %(left)d of %(total)d items left. This one "
                    "practises “%(skill)s” (%(mastery)d%% mastery); we expect you to get it right "
                    "%(success)d%% of the time."
                )
                % values
            )
        return (
            _(
                "Your teacher assigned “%(skill)s” (now %(mastery)d%% mastery). We expect you to "
                "get this item right %(success)d%% of the time."
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
            "assignments": selectors.learner_assignments(user, classroom),
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


def _class_form_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "classrooms": selectors.classrooms_taught(_user(request)),
        "banks": services.practisable_banks(),
        "candidates": services.learner_candidates(),
        **extra,
    }


@require_permission(Permission.VIEW_CLASS_MASTERY)
@require_http_methods(["GET", "POST"])
def classes(request: HttpRequest) -> HttpResponse:
    """The teacher's classes, and the form that creates one (name, resource, learners)."""
    if request.method == "GET":
        return render(request, "adaptive/classes.html", _class_form_context(request))
    name = request.POST.get("name", "")
    chosen = _ids(request.POST.getlist("learners"))
    bank_id = _int(request.POST.get("bank"))
    bank = Bank.objects.filter(pk=bank_id).first() if bank_id is not None else None
    try:
        if bank is None:
            raise services.AdaptiveError(_("Choose the resource the class will practise."))
        learners = list(User.objects.filter(pk__in=chosen))
        classroom = services.classroom_create(
            teacher=_user(request), name=name, bank=bank, learners=learners
        )
    except services.AdaptiveError as exc:
        context = _class_form_context(
            request, error=str(exc), name=name, chosen=chosen, bank_id=bank.pk if bank else None
        )
        return render(request, "adaptive/classes.html", context, status=400)
    messages.success(request, _("Class “%(name)s” created.") % {"name": classroom.name})
    return redirect("adaptive:manage", classroom_id=classroom.pk)


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


def _manage_context(classroom: Classroom, **extra: Any) -> dict[str, Any]:
    bank = services.practice_bank(classroom.bank)
    items = Item.objects.filter(pk__in=list(bank.item_skill)).order_by("position")
    skills = sorted(bank.skills.values(), key=lambda s: s.label)
    return {
        "classroom": classroom,
        "candidates": services.learner_candidates(),
        "members": set(classroom.learners.values_list("pk", flat=True)),
        "skills": skills,
        "items": [(item, bank.skills[bank.item_skill[item.pk]]) for item in items],
        "assignments": services.open_assignments(classroom),
        **extra,
    }


@require_permission(Permission.VIEW_CLASS_MASTERY)
@require_GET
def manage(request: HttpRequest, classroom_id: int) -> HttpResponse:
    """Enrol learners and assign skills or items to the class."""
    classroom = _taught(request, classroom_id)
    return render(request, "adaptive/manage.html", _manage_context(classroom))


@require_permission(Permission.VIEW_CLASS_MASTERY)
@require_POST
def enrol(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = _taught(request, classroom_id)
    wanted = set(_ids(request.POST.getlist("learners")))
    current = set(classroom.learners.values_list("pk", flat=True))
    candidates = set(services.learner_candidates().values_list("pk", flat=True))
    # only people listed on the form (learners) are taken out; simulated or other members stay
    add = list(User.objects.filter(pk__in=wanted - current))
    remove = list(User.objects.filter(pk__in=(current & candidates) - wanted))
    try:
        services.classroom_enrol(classroom=classroom, by=_user(request), add=add, remove=remove)
    except services.AdaptiveError as exc:
        return render(
            request,
            "adaptive/manage.html",
            _manage_context(classroom, enrol_error=str(exc)),
            status=400,
        )
    messages.success(
        request,
        _("Enrolment saved: %(added)d added, %(removed)d removed.")
        % {"added": len(add), "removed": len(remove)},
    )
    return redirect("adaptive:manage", classroom_id=classroom.pk)


@require_permission(Permission.VIEW_CLASS_MASTERY)
@require_POST
def assign(request: HttpRequest, classroom_id: int) -> HttpResponse:
    """Assign a skill (also the one-click suggestion) or chosen items to the class."""
    classroom = _taught(request, classroom_id)
    post = request.POST
    skill_id = _int(post.get("skill")) if post.get("what", "skill") == "skill" else None
    item_ids = _ids(post.getlist("items")) if post.get("what") == "items" else []
    due_text = post.get("due", "").strip()
    try:
        due = None
        if due_text:
            try:
                due = date.fromisoformat(due_text)
            except ValueError:
                raise services.AdaptiveError(
                    _("The due date must be a date like 2027-03-31.")
                ) from None
        if post.get("what", "skill") == "skill" and skill_id is None:
            raise services.AdaptiveError(_("Choose the skill to assign."))
        assignment = services.assignment_create(
            classroom=classroom,
            by=_user(request),
            skill_id=skill_id,
            item_ids=item_ids,
            due=due,
            title=post.get("title", ""),
            note=post.get("note", ""),
        )
    except services.AdaptiveError as exc:
        context = _manage_context(
            classroom,
            assign_error=str(exc),
            form={
                "what": post.get("what", "skill"),
                "skill": skill_id,
                "items": set(item_ids),
                "due": due_text,
                "title": post.get("title", ""),
            },
        )
        return render(request, "adaptive/manage.html", context, status=400)
    messages.success(request, _("Assigned: %(title)s.") % {"title": assignment.title})
    return redirect("adaptive:dashboard", classroom_id=classroom.pk)


@require_permission(Permission.VIEW_CLASS_MASTERY)
@require_POST
def unassign(request: HttpRequest, classroom_id: int, assignment_id: int) -> HttpResponse:
    classroom = _taught(request, classroom_id)
    assignment = get_object_or_404(Assignment, pk=assignment_id, classroom=classroom)
    services.assignment_delete(assignment=assignment, by=_user(request))
    messages.success(request, _("Assignment removed: %(title)s.") % {"title": assignment.title})
    return redirect("adaptive:dashboard", classroom_id=classroom.pk)


# ------------------------------------------------------------------ the learner model


def _may_see_model(user: User) -> bool:
    return user_has_permission(user, Permission.VIEW_CLASS_MASTERY) or user_has_permission(
        user, Permission.USE_ADMIN
    )


@require_http_methods(["GET", "POST"])
def model_page(request: HttpRequest) -> HttpResponse:
    """The learner model in use: which, when fitted, why chosen (metrics per model), the refit
    task's status and progress, and a button to refit (POST)."""
    user = _user(request)
    if not _may_see_model(user):
        raise PermissionDenied(_("Only teachers and node administrators see the learner model."))
    if request.method == "POST":
        job = services.refit_start(by=user)
        messages.success(request, _("Refit queued; this page shows its progress."))
        return redirect(f"{reverse('adaptive:model')}#job-{job.pk}")
    _model, fitted = services.current_model()
    if fitted is not None:
        fitted = FittedModel.objects.get(pk=fitted.pk)
    jobs = selectors.refit_jobs()
    rows = []
    if fitted is not None and fitted.selection.get("mean_auc"):
        sel = fitted.selection
        for name, auc in sorted(sel["mean_auc"].items(), key=lambda kv: -kv[1]):
            rows.append(
                {
                    "name": name,
                    "auc": auc,
                    "folds": sel.get("fold_auc", {}).get(name, []),
                    "fit": sel.get("mean_fit_seconds", {}).get(name),
                    "log_loss": sel.get("mean_log_loss", {}).get(name),
                    "rmse": sel.get("mean_rmse", {}).get(name),
                    "chosen": name == fitted.name,
                }
            )
    return render(
        request,
        "adaptive/model.html",
        {
            "fitted": fitted,
            "rows": rows,
            "jobs": jobs,
            "running": any(j.running for j in jobs),
        },
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
            "progress": selectors.assignment_progress(classroom, view),
            "suggestions": selectors.suggestions(classroom, view),
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
