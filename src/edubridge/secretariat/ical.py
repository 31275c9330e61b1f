"""iCalendar invitations: times carry their IANA zone (with VTIMEZONE), so every member's
calendar shows the meeting at its own local time."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.utils import timezone

from edubridge.secretariat.models import Meeting


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
