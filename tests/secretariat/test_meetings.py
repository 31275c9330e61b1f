"""Meetings: rooms are not double-booked, actions have owners, decisions record how they were
reached, reminders go by email, invitations carry time zones."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.utils import timezone

from edubridge.secretariat import selectors, services
from edubridge.secretariat.ical import meeting_ics
from edubridge.secretariat.models import ActionItem, Meeting, Member
from edubridge.secretariat.tasks import send_action_reminders, send_meeting_invitations

pytestmark = pytest.mark.usefixtures("demo_network")

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2030, 3, 4, hour, minute, tzinfo=JAKARTA)


def schedule(start: int, end: int, room: str = "Hall B", title: str = "WG") -> Meeting:
    return services.meeting_schedule(
        title=title,
        starts_at=at(start),
        ends_at=at(end),
        time_zone="Asia/Jakarta",
        room=room,
        by=None,
    )


def member() -> Member:
    found = Member.objects.order_by("organization__name").first()
    assert found is not None
    return found


def test_an_overlapping_meeting_in_the_same_room_is_refused_and_not_stored() -> None:
    schedule(9, 11, title="Standards WG")
    with pytest.raises(services.SecretariatError, match="already booked for “Standards WG”"):
        schedule(10, 12, room="hall  b", title="Privacy WG")
    assert not Meeting.objects.filter(title="Privacy WG").exists()


def test_back_to_back_meetings_and_other_rooms_are_fine() -> None:
    schedule(9, 11)
    schedule(11, 12)
    schedule(10, 12, room="Hall C")
    assert Meeting.objects.filter(starts_at__date=dt.date(2030, 3, 4)).count() == 3


def test_a_meeting_that_ends_before_it_starts_or_in_an_unknown_zone_is_refused() -> None:
    with pytest.raises(services.SecretariatError, match="ends before"):
        schedule(11, 9)
    with pytest.raises(services.SecretariatError, match="Unknown time zone"):
        services.local_datetime("2030-03-04", "09:00", "Mars/Olympus")


def test_an_action_without_an_owner_is_refused() -> None:
    meeting = schedule(9, 11)
    with pytest.raises(services.SecretariatError, match="needs an owner"):
        services.action_add(
            meeting=meeting, title="Write", owner=None, due_on=dt.date(2030, 4, 1), by=None
        )
    assert not meeting.actions.exists()


def test_a_vote_records_every_vote_and_adopts_on_a_majority() -> None:
    meeting = schedule(9, 11)
    a, b, c = list(Member.objects.order_by("organization__name")[:3])
    decision = services.decision_record(
        meeting=meeting,
        text="Adopt QTI 3",
        method="vote",
        votes={str(a.pk): "for", str(b.pk): "for", str(c.pk): "against"},
        by=None,
    )
    assert decision.adopted
    assert decision.votes.count() == 3
    with pytest.raises(services.SecretariatError, match="consensus decision records no votes"):
        services.decision_record(
            meeting=meeting, text="x", method="consensus", votes={str(a.pk): "for"}, by=None
        )


def test_a_member_sees_its_open_actions_across_meetings() -> None:
    owner = member()
    first, second = schedule(9, 10), schedule(10, 11)
    for meeting in (first, second):
        services.action_add(
            meeting=meeting,
            title=f"Do {meeting.pk}",
            owner=owner,
            due_on=dt.date(2030, 4, 1),
            by=None,
        )
    mine = selectors.open_actions_of(owner)
    assert {a.meeting_id for a in mine} >= {first.pk, second.pk}


def test_reminders_email_owners_of_due_and_overdue_actions_once_a_day() -> None:
    today = timezone.now().date()
    owner = member()
    meeting = schedule(9, 10)
    services.action_add(
        meeting=meeting,
        title="Overdue thing",
        owner=owner,
        due_on=today - dt.timedelta(days=1),
        by=None,
    )
    services.action_add(
        meeting=meeting,
        title="Far thing",
        owner=owner,
        due_on=today + dt.timedelta(days=60),
        by=None,
    )
    mail.outbox.clear()
    result = send_action_reminders.call(today.isoformat())
    subjects = [m.subject for m in mail.outbox]
    assert "Overdue action: Overdue thing" in subjects
    assert not any("Far thing" in s for s in subjects)
    assert result["sent"] == len(mail.outbox)
    assert services.action_reminders_send(today=today) == 0
    assert ActionItem.objects.get(title="Overdue thing").last_reminded_on == today


def test_the_invitation_carries_the_hosts_time_zone() -> None:
    meeting = schedule(9, 11)
    services.agenda_item_propose(meeting=meeting, member=member(), title="Standards survey")
    ics = meeting_ics(meeting).decode()
    assert "BEGIN:VTIMEZONE" in ics
    assert "TZID:Asia/Jakarta" in ics
    assert "DTSTART;TZID=Asia/Jakarta:20300304T090000" in ics
    assert "Standards survey" in ics


def test_invitations_go_to_every_member_contact_with_the_calendar_attached() -> None:
    meeting = schedule(9, 11)
    mail.outbox.clear()
    result = send_meeting_invitations.call(str(meeting.pk))
    contacts = Member.objects.filter(status="active").exclude(contact_email="").count()
    assert result["sent"] == contacts == len(mail.outbox)
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert name == "invite.ics"
    assert mimetype.startswith("text/calendar")
    assert "TZID:Asia/Jakarta" in (content if isinstance(content, str) else content.decode())
