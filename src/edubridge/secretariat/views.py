"""Pages of the secretariat; every form works without JavaScript (post, then redirect)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import zoneinfo
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from edubridge.accounts.access import require_permission
from edubridge.accounts.access import signed_in_user as _user
from edubridge.accounts.models import Organization
from edubridge.accounts.roles import Permission
from edubridge.core.charts import Series, grouped_bars_with_target
from edubridge.secretariat import selectors, services
from edubridge.secretariat.access import can_run, require_run
from edubridge.secretariat.documents import registry_document, release_document
from edubridge.secretariat.feeds import public_bulletins_atom
from edubridge.secretariat.ical import event_ics as build_event_ics
from edubridge.secretariat.ical import meeting_ics as build_ics
from edubridge.secretariat.models import (
    Access,
    ActionItem,
    AdoptionStatus,
    Agreement,
    AgreementKind,
    AttendanceMode,
    BulletinDraft,
    DecisionMethod,
    Event,
    EventKind,
    EventSession,
    JointProject,
    KnowledgeArticle,
    Meeting,
    MeetingSeries,
    Member,
    MemberKey,
    MembershipApplication,
    MemberStatus,
    Milestone,
    PolicyTopic,
    Registration,
    RegistrationStatus,
    Release,
    ReleaseStatus,
    Standard,
    TicketPriority,
    TicketStatus,
    VoteChoice,
)
from edubridge.secretariat.tasks import send_action_reminders, send_meeting_invitations

COMMON_ZONES = (
    "UTC",
    "Asia/Shanghai",
    "Asia/Jakarta",
    "America/New_York",
    "Africa/Addis_Ababa",
    "Africa/Cairo",
    "Asia/Kolkata",
)


def _posted(queryset: Any, value: object, **filters: Any) -> Any:
    """The row a form names by id; a malformed or unknown id is a 404, never a server error."""
    try:
        return get_object_or_404(queryset, pk=value, **filters)
    except (ValueError, ValidationError) as exc:
        raise Http404("no such row") from exc


def _posted_or_none(model: Any, value: object) -> Any:
    """An optional row named by a form; malformed or unknown ids read as none chosen."""
    if not value:
        return None
    try:
        return model.objects.filter(pk=value).first()
    except (ValueError, ValidationError):
        return None


def _attempt(request: HttpRequest, work: Callable[[], object], done: str) -> str:
    """Run one service call; on refusal return the reason (nothing was stored)."""
    try:
        work()
    except services.SecretariatError as exc:
        return str(exc)
    messages.success(request, done)
    return ""


# ---------------------------------------------------------------- dashboard


def _members_chart() -> str:
    rows = selectors.members_by_country()
    return grouped_bars_with_target(
        title=_("Active members by country"),
        categories=[country for country, _n in rows],
        series=[Series(_("members"), [n for _c, n in rows])],
    )


@require_permission(Permission.RUN_SECRETARIAT)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "secretariat/dashboard.html",
        {
            "chart": _members_chart(),
            "meetings": selectors.upcoming_meetings(),
            "overdue": selectors.overdue_actions(),
            "awaiting": selectors.releases_awaiting_signatures(),
            "pending": MembershipApplication.objects.filter(status="pending").count(),
            "member_count": Member.objects.filter(status=MemberStatus.ACTIVE).count(),
            "open_tickets": selectors.open_tickets().count(),
            "overdue_tickets": selectors.overdue_tickets(),
            "renewing": selectors.agreements_renewing(),
        },
    )


@require_permission(Permission.RUN_SECRETARIAT)
@require_POST
def send_reminders(request: HttpRequest) -> HttpResponse:
    result = send_action_reminders.enqueue(timezone.now().date().isoformat())
    messages.success(
        request, _("Reminders queued (task %s); emails go out through the worker.") % result.id
    )
    return redirect("secretariat:dashboard")


# ---------------------------------------------------------------- members


@login_required
@require_GET
def member_list(request: HttpRequest) -> HttpResponse:
    members = Member.objects.select_related("organization").prefetch_related("keys")
    return render(
        request,
        "secretariat/member_list.html",
        {"members": members, "running": can_run(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_detail(request: HttpRequest, member_id: UUID) -> HttpResponse:
    member = get_object_or_404(Member.objects.select_related("organization"), pk=member_id)
    error = ""
    if request.method == "POST":
        require_run(request.user)
        by = _user(request)
        what = request.POST.get("do", "")
        if what == "status":
            error = _attempt(
                request,
                lambda: services.member_set_status(
                    member=member,
                    status=request.POST.get("status", ""),
                    note=request.POST.get("note", ""),
                    by=by,
                ),
                _("Member status changed."),
            )
        elif what == "add-key":
            error = _attempt(
                request,
                lambda: services.member_key_add(
                    member=member, public_key=request.POST.get("public_key", ""), by=by
                ),
                _("Key registered; the previous key is retired."),
            )
        elif what == "rotate-hosted":
            error = _attempt(
                request,
                lambda: services.member_key_rotate_hosted(member=member, by=by),
                _("New hosted key created; the previous key is retired."),
            )
        elif what == "revoke":
            key = _posted(MemberKey, request.POST.get("key"), member=member)
            error = _attempt(
                request,
                lambda: services.member_key_revoke(
                    key=key, by=by, reason=request.POST.get("reason", "")
                ),
                _("Key revoked."),
            )
        if not error:
            return redirect("secretariat:member", member_id=member.pk)
    return render(
        request,
        "secretariat/member_detail.html",
        {
            "member": member,
            "keys": member.keys.order_by("-created_at"),
            "running": can_run(request.user),
            "actions": selectors.open_actions_of(member),
            "statuses": MemberStatus.choices,
            "error": error,
        },
        status=400 if error else 200,
    )


@require_GET
def registry_json(request: HttpRequest) -> JsonResponse:
    """The signed member registry, public at a stable URL for other nodes."""
    return JsonResponse(registry_document(), json_dumps_params={"ensure_ascii": False})


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    error = ""
    if request.method == "POST":
        organization = user.organization
        error = _attempt(
            request,
            lambda: services.application_submit(
                organization=organization,
                by=user,
                contact_name=request.POST.get("contact_name", ""),
                contact_email=request.POST.get("contact_email", ""),
                node_descriptor_url=request.POST.get("node_descriptor_url", ""),
                public_key=request.POST.get("public_key", ""),
                motivation=request.POST.get("motivation", ""),
            ),
            _("Application sent to the secretariat."),
        )
        if not error:
            return redirect("secretariat:members")
    return render(
        request,
        "secretariat/apply.html",
        {"organization": user.organization, "error": error, "posted": request.POST},
        status=400 if error else 200,
    )


@require_permission(Permission.RUN_SECRETARIAT)
@require_http_methods(["GET", "POST"])
def applications(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        application = _posted(MembershipApplication, request.POST.get("application"))
        approve = request.POST.get("do") == "approve"
        error = _attempt(
            request,
            lambda: services.application_decide(
                application=application,
                by=_user(request),
                approve=approve,
                note=request.POST.get("note", ""),
            ),
            _("Application approved.") if approve else _("Application rejected."),
        )
        if not error:
            return redirect("secretariat:applications")
    return render(
        request,
        "secretariat/applications.html",
        {
            "applications": MembershipApplication.objects.select_related("organization"),
            "error": error,
        },
        status=400 if error else 200,
    )


# ---------------------------------------------------------------- releases


@login_required
@require_GET
def release_list(request: HttpRequest) -> HttpResponse:
    releases = Release.objects.prefetch_related("signers").order_by("-created_at")
    return render(
        request,
        "secretariat/release_list.html",
        {"releases": releases, "running": can_run(request.user)},
    )


@require_permission(Permission.RUN_SECRETARIAT)
@require_http_methods(["GET", "POST"])
def release_new(request: HttpRequest) -> HttpResponse:
    error = ""
    members = Member.objects.filter(status=MemberStatus.ACTIVE).select_related("organization")
    if request.method == "POST":
        created: list[Release] = []
        try:
            threshold = int(request.POST.get("threshold", "0"))
        except ValueError:
            threshold = 0
        error = _attempt(
            request,
            lambda: created.append(
                services.release_create(
                    title=request.POST.get("title", ""),
                    text=request.POST.get("text", ""),
                    signer_ids=request.POST.getlist("signers"),
                    threshold=threshold,
                    language=request.POST.get("language", "en") or "en",
                    by=_user(request),
                )
            ),
            _("Draft created."),
        )
        if not error:
            return redirect("secretariat:release", release_id=created[0].pk)
    return render(
        request,
        "secretariat/release_new.html",
        {"members": members, "error": error, "posted": request.POST},
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def release_detail(request: HttpRequest, release_id: UUID) -> HttpResponse:
    release = get_object_or_404(Release, pk=release_id)
    user = _user(request)
    running = can_run(user)
    my_member = selectors.member_for_user(user)
    error = ""
    if request.method == "POST":
        what = request.POST.get("do", "")
        if what == "sign":
            # A member's person uploads the signature made with the member's own key.
            error = _attempt(
                request,
                lambda: services.release_sign(
                    release=release,
                    organization=user.organization,
                    signature=request.POST.get("signature", ""),
                    by=user,
                ),
                _("Signature recorded."),
            )
        else:
            require_run(user)
            if what == "version":
                error = _attempt(
                    request,
                    lambda: services.release_version_add(
                        release=release,
                        text=request.POST.get("text", ""),
                        note=request.POST.get("note", ""),
                        by=user,
                    ),
                    _("New version saved."),
                )
            elif what == "open":
                error = _attempt(
                    request,
                    lambda: services.release_open_for_signatures(release=release, by=user),
                    _("The release now awaits signatures."),
                )
            elif what == "sign-on-behalf":
                member = _posted(Member, request.POST.get("member"))
                error = _attempt(
                    request,
                    lambda: services.release_sign_on_behalf(
                        release=release, member=member, by=user
                    ),
                    _("The node signed with %s's hosted demo key.") % member,
                )
        if not error:
            return redirect("secretariat:release", release_id=release.pk)
        release.refresh_from_db()
    versions = list(release.versions.order_by("number"))
    payload_b64 = (
        base64.urlsafe_b64encode(services.release_payload_bytes(release)).decode("ascii")
        if release.statement
        else ""
    )
    return render(
        request,
        "secretariat/release_detail.html",
        {
            "release": release,
            "versions": versions,
            "latest": versions[-1] if versions else None,
            "signer_rows": selectors.release_signer_rows(release),
            "signed_count": release.signatures.count(),
            "running": running,
            "my_member": my_member,
            "can_sign": my_member is not None
            and release.status == ReleaseStatus.SIGNING
            and release.signers.filter(pk=my_member.pk).exists(),
            "payload_b64": payload_b64,
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_GET
def release_diff(request: HttpRequest, release_id: UUID, a: int, b: int) -> HttpResponse:
    release = get_object_or_404(Release, pk=release_id)
    older = get_object_or_404(release.versions, number=a)
    newer = get_object_or_404(release.versions, number=b)
    return render(
        request,
        "secretariat/release_diff.html",
        {
            "release": release,
            "older": older,
            "newer": newer,
            "rows": selectors.version_diff(older, newer),
        },
    )


def _download(document: dict[str, object], filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def release_json(request: HttpRequest, release_id: UUID) -> HttpResponse:
    """RELEASE.json of a published release: public, for offline verification."""
    release = get_object_or_404(Release, pk=release_id)
    if release.status != ReleaseStatus.PUBLISHED:
        raise Http404("not published")
    return _download(release_document(release), "RELEASE.json")


@require_GET
def release_registry_json(request: HttpRequest, release_id: UUID) -> HttpResponse:
    get_object_or_404(Release, pk=release_id, status=ReleaseStatus.PUBLISHED)
    return _download(registry_document(), "REGISTRY.json")


# ---------------------------------------------------------------- meetings


@login_required
@require_http_methods(["GET", "POST"])
def meeting_list(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        require_run(request.user)
        series_id = request.POST.get("series") or None
        series = _posted(MeetingSeries, series_id) if series_id else None
        zone = request.POST.get("time_zone", "UTC")

        def schedule() -> Meeting:
            day = request.POST.get("date", "")
            return services.meeting_schedule(
                title=request.POST.get("title", ""),
                series=series,
                starts_at=services.local_datetime(day, request.POST.get("start", ""), zone),
                ends_at=services.local_datetime(day, request.POST.get("end", ""), zone),
                time_zone=zone,
                room=request.POST.get("room", ""),
                online_url=request.POST.get("online_url", ""),
                by=_user(request),
            )

        error = _attempt(request, schedule, _("Meeting scheduled."))
        if not error:
            return redirect("secretariat:meetings")
    return render(
        request,
        "secretariat/meeting_list.html",
        {
            "meetings": Meeting.objects.select_related("series").order_by("-starts_at"),
            "series": MeetingSeries.objects.all(),
            "zones": COMMON_ZONES,
            "running": can_run(request.user),
            "error": error,
            "posted": request.POST,
        },
        status=400 if error else 200,
    )


def _meeting_post(request: HttpRequest, meeting: Meeting) -> str:
    user = _user(request)
    what = request.POST.get("do", "")
    if what == "propose":
        member = selectors.member_for_user(user)
        return _attempt(
            request,
            lambda: services.agenda_item_propose(
                meeting=meeting,
                member=member,
                title=request.POST.get("title", ""),
                document_url=request.POST.get("document_url", ""),
            ),
            _("Agenda item proposed."),
        )
    require_run(user)
    if what == "invite":
        result = send_meeting_invitations.enqueue(str(meeting.pk))
        messages.success(
            request, _("Invitations queued (task %s); the worker emails them.") % result.id
        )
        return ""
    if what == "attendance":
        member = _posted(Member, request.POST.get("member"))
        return _attempt(
            request,
            lambda: services.attendance_record(
                meeting=meeting,
                member=member,
                mode=request.POST.get("mode", ""),
                delegate=request.POST.get("delegate", ""),
            ),
            _("Attendance recorded."),
        )
    if what == "minutes":
        return _attempt(
            request,
            lambda: services.minutes_save(
                meeting=meeting,
                text=request.POST.get("minutes", ""),
                approve=request.POST.get("approve") == "1",
                by=user,
            ),
            _("Minutes saved."),
        )
    if what == "decision":
        votes = {
            key.removeprefix("vote_"): str(request.POST.get(key, ""))
            for key in request.POST
            if key.startswith("vote_") and request.POST.get(key)
        }
        return _attempt(
            request,
            lambda: services.decision_record(
                meeting=meeting,
                text=request.POST.get("text", ""),
                method=request.POST.get("method", ""),
                votes=votes,
                by=user,
            ),
            _("Decision recorded."),
        )
    if what == "action":
        owner_id = request.POST.get("owner") or None
        owner = _posted_or_none(Member, owner_id)
        try:
            due = dt.date.fromisoformat(request.POST.get("due_on", ""))
        except ValueError:
            due = None
        return _attempt(
            request,
            lambda: services.action_add(
                meeting=meeting,
                title=request.POST.get("title", ""),
                owner=owner,
                due_on=due,
                by=user,
            ),
            _("Action added."),
        )
    if what == "action-status":
        action = _posted(ActionItem, request.POST.get("action"), meeting=meeting)
        return _attempt(
            request,
            lambda: services.action_set_status(
                action=action, status=request.POST.get("status", ""), by=user
            ),
            _("Action updated."),
        )
    return _("Unknown request.")


@login_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, meeting_id: UUID) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("series"), pk=meeting_id)
    error = ""
    if request.method == "POST":
        error = _meeting_post(request, meeting)
        if not error:
            return redirect("secretariat:meeting", meeting_id=meeting.pk)
    members = Member.objects.filter(status=MemberStatus.ACTIVE).select_related("organization")
    return render(
        request,
        "secretariat/meeting_detail.html",
        {
            "meeting": meeting,
            "agenda": meeting.agenda.select_related("proposed_by__organization"),
            "attendance": meeting.attendance.select_related("member__organization"),
            "decisions": meeting.decisions.prefetch_related("votes__member__organization"),
            "actions": meeting.actions.select_related("owner__organization"),
            "documents": selectors.documents_visible_to(request.user).filter(meeting=meeting),
            "members": members,
            "modes": AttendanceMode.choices,
            "methods": DecisionMethod.choices,
            "vote_choices": VoteChoice.choices,
            "running": can_run(request.user),
            "my_member": selectors.member_for_user(request.user),
            "local_start": meeting.starts_at.astimezone(_zone(meeting.time_zone)),
            "local_end": meeting.ends_at.astimezone(_zone(meeting.time_zone)),
            "error": error,
            "posted": request.POST,
        },
        status=400 if error else 200,
    )


def _zone(name: str) -> dt.tzinfo:
    return zoneinfo.ZoneInfo(name)


@login_required
@require_GET
def meeting_ics(request: HttpRequest, meeting_id: UUID) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    response = HttpResponse(build_ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@login_required
@require_GET
def my_actions(request: HttpRequest) -> HttpResponse:
    member = selectors.member_for_user(request.user)
    return render(
        request,
        "secretariat/my_actions.html",
        {
            "member": member,
            "actions": selectors.open_actions_of(member) if member else [],
            "today": timezone.now().date(),
        },
    )


# ---------------------------------------------------------------- bulletins


@require_http_methods(["GET", "POST"])
def bulletin_list(request: HttpRequest) -> HttpResponse:
    """Bulletins the viewer may read (anonymous people see public ones); the secretariat writes."""
    error = ""
    if request.method == "POST":
        require_run(request.user)
        group_id = request.POST.get("group") or None
        group = _posted_or_none(MeetingSeries, group_id)
        error = _attempt(
            request,
            lambda: services.bulletin_publish(
                title=request.POST.get("title", ""),
                body=request.POST.get("body", ""),
                access=request.POST.get("access", ""),
                group=group,
                language=request.POST.get("language", "en"),
                by=_user(request),
            ),
            _("Bulletin published."),
        )
        if not error:
            return redirect("secretariat:bulletins")
    return render(
        request,
        "secretariat/bulletin_list.html",
        {
            "bulletins": selectors.bulletins_visible_to(request.user)[:100],
            "running": can_run(request.user),
            "accesses": Access.choices,
            "groups": MeetingSeries.objects.all(),
            "error": error,
            "posted": request.POST,
        },
        status=400 if error else 200,
    )


def _translation_context(request: HttpRequest, bulletin: Any) -> dict[str, Any]:
    """What the secretariat needs to ask for a machine translation, or why it cannot."""
    from django.conf import settings

    from edubridge.localization.services import translation_provider
    from edubridge.secretariat.translation import provider_label

    if not can_run(request.user):
        return {}
    provider = translation_provider()
    return {
        "provider": provider_label(provider) if provider else None,
        "languages": [
            (code, name) for code, name in settings.LANGUAGES if code != bulletin.language
        ],
        "drafts": bulletin.drafts.filter(published__isnull=True),
    }


@require_GET
def bulletin_detail(request: HttpRequest, bulletin_id: UUID) -> HttpResponse:
    bulletin = get_object_or_404(selectors.bulletins_visible_to(request.user), pk=bulletin_id)
    return render(
        request,
        "secretariat/bulletin_detail.html",
        {
            "bulletin": bulletin,
            "running": can_run(request.user),
            "translations": bulletin.translations.all(),
            **_translation_context(request, bulletin),
        },
    )


@login_required
@require_POST
def bulletin_translate(request: HttpRequest, bulletin_id: UUID) -> HttpResponse:
    """The secretariat asks for a machine-translated draft; it opens for review, unpublished."""
    require_run(request.user)
    bulletin = get_object_or_404(selectors.bulletins_visible_to(request.user), pk=bulletin_id)
    try:
        draft = services.bulletin_translate(
            bulletin=bulletin, language=request.POST.get("language", ""), by=_user(request)
        )
    except services.SecretariatError as exc:
        context = {
            "bulletin": bulletin,
            "running": True,
            "translations": bulletin.translations.all(),
            "error": str(exc),
            **_translation_context(request, bulletin),
        }
        return render(request, "secretariat/bulletin_detail.html", context, status=400)
    return redirect("secretariat:bulletin-draft", draft_id=draft.pk)


@login_required
@require_http_methods(["GET", "POST"])
def bulletin_draft(request: HttpRequest, draft_id: UUID) -> HttpResponse:
    """Review a machine-translated draft: correct it, then publish it (marked as such)."""
    require_run(request.user)
    draft = get_object_or_404(BulletinDraft.objects.select_related("source"), pk=draft_id)
    error = ""
    if request.method == "POST":
        if draft.published_id is not None:
            return redirect("secretariat:bulletin", bulletin_id=draft.published_id)
        if request.POST.get("do") == "discard":
            source_id = draft.source_id
            draft.delete()
            messages.success(request, _("Draft discarded."))
            return redirect("secretariat:bulletin", bulletin_id=source_id)
        published: list[Any] = []
        error = _attempt(
            request,
            lambda: published.append(
                services.bulletin_draft_publish(
                    draft=draft,
                    by=_user(request),
                    title=request.POST.get("title", ""),
                    body=request.POST.get("body", ""),
                )
            ),
            _("Translated bulletin published."),
        )
        if not error:
            return redirect("secretariat:bulletin", bulletin_id=published[0].pk)
    return render(
        request,
        "secretariat/bulletin_draft.html",
        {"draft": draft, "error": error, "posted": request.POST},
        status=400 if error else 200,
    )


@require_GET
def bulletins_atom(request: HttpRequest) -> HttpResponse:
    return HttpResponse(public_bulletins_atom(), content_type="application/atom+xml; charset=utf-8")


# ---------------------------------------------------------------- support desk


@login_required
@require_http_methods(["GET", "POST"])
def ticket_list(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        created: list[object] = []
        error = _attempt(
            request,
            lambda: created.append(
                services.ticket_open(
                    title=request.POST.get("title", ""),
                    description=request.POST.get("description", ""),
                    topic=request.POST.get("topic", ""),
                    priority=request.POST.get("priority", TicketPriority.NORMAL),
                    by=_user(request),
                )
            ),
            _("Ticket opened."),
        )
        if not error:
            return redirect("secretariat:tickets")
    now = timezone.now()
    return render(
        request,
        "secretariat/ticket_list.html",
        {
            "tickets": selectors.tickets_visible_to(request.user)[:200],
            "priorities": TicketPriority.choices,
            "running": can_run(request.user),
            "now": now,
            "error": error,
            "posted": request.POST,
        },
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def ticket_detail(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = get_object_or_404(selectors.tickets_visible_to(request.user), pk=ticket_id)
    error = ""
    if request.method == "POST" and request.POST.get("do") == "keep-answer":
        require_run(request.user)
        error = _attempt(
            request,
            lambda: services.knowledge_article_from_ticket(ticket=ticket, by=_user(request)),
            _("The answer is now in the knowledge base."),
        )
        if not error:
            return redirect("secretariat:ticket", ticket_id=ticket.pk)
    elif request.method == "POST":
        require_run(request.user)
        error = _attempt(
            request,
            lambda: services.ticket_move(
                ticket=ticket,
                status=request.POST.get("status", ""),
                resolution=request.POST.get("resolution", ""),
                by=_user(request),
            ),
            _("Ticket updated."),
        )
        if not error:
            return redirect("secretariat:ticket", ticket_id=ticket.pk)
        ticket.refresh_from_db()
    return render(
        request,
        "secretariat/ticket_detail.html",
        {
            "ticket": ticket,
            "next_states": [
                (v, label)
                for v, label in TicketStatus.choices
                if v in services.TRANSITIONS[ticket.status]
            ],
            "running": can_run(request.user),
            "overdue": ticket.first_response_at is None and ticket.respond_by < timezone.now(),
            "error": error,
        },
        status=400 if error else 200,
    )


# ---------------------------------------------------------------- forums and events


@login_required
@require_http_methods(["GET", "POST"])
def event_list(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        require_run(request.user)
        zone = request.POST.get("time_zone", "UTC")

        def create() -> Event:
            try:
                capacity = int(request.POST.get("capacity", "0"))
            except ValueError:
                capacity = 0
            return services.event_create(
                title=request.POST.get("title", ""),
                kind=request.POST.get("kind", EventKind.FORUM),
                venue=request.POST.get("venue", ""),
                starts_at=services.local_datetime(
                    request.POST.get("start_date", ""), request.POST.get("start", ""), zone
                ),
                ends_at=services.local_datetime(
                    request.POST.get("end_date", ""), request.POST.get("end", ""), zone
                ),
                time_zone=zone,
                capacity=capacity,
                waiting_list=request.POST.get("waiting_list") == "1",
                by=_user(request),
            )

        error = _attempt(request, create, _("Event created."))
        if not error:
            return redirect("secretariat:events")
    return render(
        request,
        "secretariat/event_list.html",
        {
            "events": Event.objects.order_by("-starts_at"),
            "kinds": EventKind.choices,
            "zones": COMMON_ZONES,
            "running": can_run(request.user),
            "error": error,
            "posted": request.POST,
        },
        status=400 if error else 200,
    )


def _event_url(request: HttpRequest, event: Event) -> str:
    """The public address of the event page: the achievement id of its certificates."""
    from django.conf import settings
    from django.urls import reverse

    base = str(settings.NODE["BASE_URL"]).rstrip("/")
    return base + reverse("secretariat:event", args=[event.pk])


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def event_ics(request: HttpRequest, event_id: UUID) -> HttpResponse:
    """The event and every programme session, in the event's time zone."""
    event = get_object_or_404(Event, pk=event_id)
    return _calendar_response(build_event_ics(event), "event.ics")


@login_required
@require_GET
def event_session_ics(request: HttpRequest, event_id: UUID, session_id: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=event_id)
    session = get_object_or_404(EventSession, pk=session_id, event=event)
    return _calendar_response(build_event_ics(event, session), f"session-{session.pk}.ics")


def _event_post(request: HttpRequest, event: Event) -> str:
    user = _user(request)
    what = request.POST.get("do", "")
    if what == "register":
        return _attempt(
            request, lambda: services.event_register(event=event, person=user), _("Registered.")
        )
    if what == "cancel":
        mine = get_object_or_404(Registration, event=event, person=user)
        return _attempt(
            request, lambda: services.registration_cancel(registration=mine), _("Cancelled.")
        )
    if what == "certificate":
        mine = get_object_or_404(Registration, event=event, person=user)
        return _attempt(
            request,
            lambda: services.registration_certificate(
                registration=mine, by=user, event_url=_event_url(request, event)
            ),
            _("Your certificate of attendance is ready."),
        )
    require_run(user)
    if what == "certificates":
        checked_in = event.registrations.filter(
            checked_in_at__isnull=False, credential_id__isnull=True
        )

        def issue_all() -> None:
            for registration in checked_in:
                services.registration_certificate(
                    registration=registration, by=user, event_url=_event_url(request, event)
                )

        return _attempt(request, issue_all, _("Certificates issued to everyone checked in."))
    if what == "revoke-certificate":
        registration = _posted(Registration, request.POST.get("registration"), event=event)
        return _attempt(
            request,
            lambda: services.registration_certificate_revoke(
                registration=registration, by=user, reason=request.POST.get("reason", "")
            ),
            _("Certificate revoked."),
        )
    if what == "check-in":
        registration = _posted(Registration, request.POST.get("registration"), event=event)
        return _attempt(
            request,
            lambda: services.registration_check_in(registration=registration),
            _("Checked in."),
        )
    if what == "session":
        zone = event.time_zone
        day = request.POST.get("date", "")
        return _attempt(
            request,
            lambda: services.session_add(
                event=event,
                title=request.POST.get("title", ""),
                speakers=request.POST.get("speakers", ""),
                room=request.POST.get("room", ""),
                starts_at=services.local_datetime(day, request.POST.get("start", ""), zone),
                ends_at=services.local_datetime(day, request.POST.get("end", ""), zone),
            ),
            _("Session added."),
        )
    return _("Unknown request.")


@login_required
@require_http_methods(["GET", "POST"])
def event_detail(request: HttpRequest, event_id: UUID) -> HttpResponse:
    event = get_object_or_404(Event, pk=event_id)
    error = ""
    if request.method == "POST":
        error = _event_post(request, event)
        if not error:
            return redirect("secretariat:event", event_id=event.pk)
    from edubridge.training import api as credentials

    zone = _zone(event.time_zone)
    registrations = event.registrations.select_related("person__organization")
    mine = registrations.filter(person=_user(request)).first()
    issued = credentials.credentials_info(
        [r.credential_id for r in registrations if r.credential_id is not None]
    )
    return render(
        request,
        "secretariat/event_detail.html",
        {
            "event": event,
            "local_start": event.starts_at.astimezone(zone),
            "local_end": event.ends_at.astimezone(zone),
            "sessions": [
                (s, s.starts_at.astimezone(zone), s.ends_at.astimezone(zone))
                for s in event.sessions.all()
            ],
            "seats_taken": registrations.filter(status=RegistrationStatus.REGISTERED).count(),
            "waiting": registrations.filter(status=RegistrationStatus.WAITING).count(),
            "mine": mine,
            "my_certificate": issued.get(mine.credential_id)
            if mine and mine.credential_id
            else None,
            "registrations": [
                (r, issued.get(r.credential_id) if r.credential_id else None)
                for r in registrations.exclude(status=RegistrationStatus.CANCELLED)
            ],
            "running": can_run(request.user),
            "error": error,
        },
        status=400 if error else 200,
    )


# ---------------------------------------------------------------- policy dialogue and standards


@login_required
@require_GET
def policy_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "secretariat/policy_list.html",
        {"topics": PolicyTopic.objects.all(), "running": can_run(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_topic(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = get_object_or_404(PolicyTopic, pk=topic_id)
    error = ""
    if request.method == "POST":
        require_run(request.user)
        member = _posted(Member, request.POST.get("member"))
        error = _attempt(
            request,
            lambda: services.policy_position_record(
                topic=topic,
                member=member,
                rules=request.POST.get("rules", ""),
                position=request.POST.get("position", ""),
                source_url=request.POST.get("source_url", ""),
                by=_user(request),
            ),
            _("Position recorded."),
        )
        if not error:
            return redirect("secretariat:policy-topic", topic_id=topic.pk)
    return render(
        request,
        "secretariat/policy_topic.html",
        {
            "topic": topic,
            "rows": selectors.policy_comparison(topic),
            "members": Member.objects.filter(status=MemberStatus.ACTIVE).select_related(
                "organization"
            ),
            "running": can_run(request.user),
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def standards_matrix(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        require_run(request.user)
        member = _posted(Member, request.POST.get("member"))
        standard = _posted(Standard, request.POST.get("standard"))
        error = _attempt(
            request,
            lambda: services.standard_adoption_set(
                member=member, standard=standard, status=request.POST.get("status", "")
            ),
            _("Adoption recorded."),
        )
        if not error:
            return redirect("secretariat:standards")
    standards, rows = selectors.adoption_matrix()
    labels = dict(AdoptionStatus.choices)
    return render(
        request,
        "secretariat/standards.html",
        {
            "standards": standards,
            "rows": [(m, [(s, str(labels.get(s, "—"))) for s in cells]) for m, cells in rows],
            "statuses": AdoptionStatus.choices,
            "members": [m for m, _cells in rows],
            "running": can_run(request.user),
            "error": error,
        },
        status=400 if error else 200,
    )


def _date_or_none(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def agreement_list(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        require_run(request.user)
        error = _attempt(
            request,
            lambda: services.agreement_record(
                kind=request.POST.get("kind", ""),
                title=request.POST.get("title", ""),
                subject=request.POST.get("subject", ""),
                terms=request.POST.get("terms", ""),
                party_ids=request.POST.getlist("parties"),
                starts_on=_date_or_none(request.POST.get("starts_on", "")),
                renews_on=_date_or_none(request.POST.get("renews_on", "")),
                by=_user(request),
            ),
            _("Agreement recorded."),
        )
        if not error:
            return redirect("secretariat:agreements")
    return render(
        request,
        "secretariat/agreements.html",
        {
            "agreements": Agreement.objects.prefetch_related("parties"),
            "kinds": AgreementKind.choices,
            "organizations": Organization.objects.order_by("country", "name"),
            "running": can_run(request.user),
            "today": timezone.now().date(),
            "error": error,
            "posted": request.POST,
        },
        status=400 if error else 200,
    )


@login_required
@require_GET
def knowledge_base(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    articles = KnowledgeArticle.objects.all()
    if query:
        articles = articles.filter(
            Q(question__icontains=query) | Q(answer__icontains=query) | Q(topic__icontains=query)
        )
    return render(
        request, "secretariat/knowledge_base.html", {"articles": articles[:100], "query": query}
    )


# ---------------------------------------------------------------- joint projects


@login_required
@require_http_methods(["GET", "POST"])
def project_list(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        require_run(request.user)
        agreement_id = request.POST.get("agreement") or None
        error = _attempt(
            request,
            lambda: services.project_create(
                title=request.POST.get("title", ""),
                description=request.POST.get("description", ""),
                institution_ids=request.POST.getlist("institutions"),
                agreement=_posted_or_none(Agreement, agreement_id),
                by=_user(request),
            ),
            _("Project created."),
        )
        if not error:
            return redirect("secretariat:projects")
    return render(
        request,
        "secretariat/project_list.html",
        {
            "projects": JointProject.objects.prefetch_related("institutions", "milestones"),
            "organizations": Organization.objects.order_by("country", "name"),
            "agreements": Agreement.objects.filter(kind=AgreementKind.MOU),
            "running": can_run(request.user),
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_object_or_404(JointProject, pk=project_id)
    error = ""
    if request.method == "POST":
        require_run(request.user)
        if request.POST.get("do") == "reach":
            milestone = _posted(Milestone, request.POST.get("milestone"), project=project)
            error = _attempt(
                request,
                lambda: services.milestone_reach(
                    milestone=milestone, output_url=request.POST.get("output_url", "")
                ),
                _("Milestone reached."),
            )
        else:
            error = _attempt(
                request,
                lambda: services.milestone_add(
                    project=project,
                    title=request.POST.get("title", ""),
                    due_on=_date_or_none(request.POST.get("due_on", "")),
                ),
                _("Milestone added."),
            )
        if not error:
            return redirect("secretariat:project", project_id=project.pk)
    return render(
        request,
        "secretariat/project_detail.html",
        {
            "project": project,
            "milestones": project.milestones.all(),
            "today": timezone.now().date(),
            "running": can_run(request.user),
            "error": error,
        },
        status=400 if error else 200,
    )


# ---------------------------------------------------------------- document library


@require_http_methods(["GET", "POST"])
def document_list(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        require_run(request.user)
        group_id = request.POST.get("group") or None
        meeting_id = request.POST.get("meeting") or None
        error = _attempt(
            request,
            lambda: services.document_upload(
                title=request.POST.get("title", ""),
                upload=request.FILES.get("file"),
                access=request.POST.get("access", ""),
                group=_posted_or_none(MeetingSeries, group_id),
                meeting=_posted_or_none(Meeting, meeting_id),
                by=_user(request),
            ),
            _("Document uploaded."),
        )
        if not error:
            return redirect("secretariat:documents")
    return render(
        request,
        "secretariat/document_list.html",
        {
            "documents": selectors.documents_visible_to(request.user)[:200],
            "running": can_run(request.user),
            "accesses": Access.choices,
            "groups": MeetingSeries.objects.all(),
            "meetings": Meeting.objects.order_by("-starts_at")[:50],
            "error": error,
        },
        status=400 if error else 200,
    )


@require_GET
def document_download(request: HttpRequest, document_id: UUID) -> FileResponse:
    document = get_object_or_404(selectors.documents_visible_to(request.user), pk=document_id)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=(document.file.name or "document").rsplit("/", 1)[-1],
    )
