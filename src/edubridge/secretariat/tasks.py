"""Background tasks of the secretariat: ids and dates in, a service does the work."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from edubridge.secretariat.models import Meeting
from edubridge.secretariat.services import (
    action_reminders_send,
    agreement_renewal_reminders_send,
    meeting_invitations_send,
)


@task()
def send_action_reminders(today: str) -> dict[str, object]:
    """Email owners of actions due within a week or overdue, and the parties of agreements
    renewing within 30 days (Django's email backend)."""
    day = dt.date.fromisoformat(today)
    return {
        "sent": action_reminders_send(today=day),
        "renewals": agreement_renewal_reminders_send(today=day),
        "date": today,
    }


@task()
def send_meeting_invitations(meeting_id: str) -> dict[str, object]:
    """Email the iCalendar invitation of one meeting to every active member's contact."""
    meeting = Meeting.objects.get(pk=meeting_id)
    return {"sent": meeting_invitations_send(meeting=meeting), "meeting": meeting_id}
