"""iCalendar invitations: times carry their IANA zone (with VTIMEZONE), so every member's
calendar shows the meeting at its own local time."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.conf import settings
from django.utils import timezone

from edubridge.secretariat.models import Event, EventSession, Meeting


def meeting_ics(meeting: Meeting) -> bytes:
    # Imported here so the node still starts if the dependency is missing; only invitations fail.
    import icalendar

    zone = zoneinfo.ZoneInfo(meeting.time_zone)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//EduBridge//Secretariat//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = icalendar.Event()
    event.add("uid", f"{meeting.pk}@{settings.NODE['BASE_URL']}")
    event.add("summary", meeting.title)
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("dtstamp", timezone.now())
    if meeting.room:
        event.add("location", meeting.room)
    if meeting.online_url:
        event.add("url", meeting.online_url)
    agenda = [f"{a.position}. {a.title}" for a in meeting.agenda.all()]
    if agenda:
        event.add("description", "\n".join(agenda))
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _event_component(
    uid: str, summary: str, start: dt.datetime, end: dt.datetime, zone: zoneinfo.ZoneInfo
) -> Any:
    import icalendar

    component = icalendar.Event()
    component.add("uid", uid)
    component.add("summary", summary)
    component.add("dtstart", start.astimezone(zone))
    component.add("dtend", end.astimezone(zone))
    component.add("dtstamp", timezone.now())
    return component


def event_ics(event: Event, session: EventSession | None = None) -> bytes:
    """The event (and each of its programme sessions), or one session, as iCalendar.

    Times carry the event's IANA zone with a VTIMEZONE, so each participant's calendar shows
    them at its own local time, daylight saving included."""
    import icalendar

    zone = zoneinfo.ZoneInfo(event.time_zone)
    host = str(settings.NODE["BASE_URL"]).split("//", 1)[-1].rstrip("/")
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//EduBridge//Secretariat events//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", event.title)
    sessions = [session] if session is not None else list(event.sessions.all())
    if session is None:
        whole = _event_component(
            f"event-{event.pk}@{host}", event.title, event.starts_at, event.ends_at, zone
        )
        if event.venue:
            whole.add("location", event.venue)
        whole.add("description", event.get_kind_display())
        calendar.add_component(whole)
    for item in sessions:
        component = _event_component(
            f"event-session-{item.pk}@{host}",
            f"{item.title} · {event.title}",
            item.starts_at,
            item.ends_at,
            zone,
        )
        where = ", ".join(part for part in (item.room, event.venue) if part)
        if where:
            component.add("location", where)
        if item.speakers:
            component.add("description", item.speakers)
        calendar.add_component(component)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
