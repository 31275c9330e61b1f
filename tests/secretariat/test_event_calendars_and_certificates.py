"""Events as iCalendar files (the event and each session, in the event's time zone) and
certificates of attendance issued through the training credentials after check-in."""

from __future__ import annotations

import datetime as dt
import uuid

import icalendar
import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from edubridge.accounts.models import User
from edubridge.secretariat import services
from edubridge.secretariat.models import Event, Registration
from edubridge.training.models import IssuedCredential
from edubridge.training.selectors import credential_verify

pytestmark = pytest.mark.usefixtures("demo_network")

# 1 June 2030, 09:00 in Cairo (UTC+3 in summer since Egypt restored daylight saving in 2023).
START = dt.datetime(2030, 6, 1, 6, tzinfo=dt.UTC)


def forum() -> Event:
    event = services.event_create(
        title="AI in Education Forum",
        kind="forum",
        venue="Cairo Conference Centre",
        starts_at=START,
        ends_at=START + dt.timedelta(hours=8),
        time_zone="Africa/Cairo",
        capacity=10,
        by=None,
    )
    services.session_add(
        event=event,
        title="Opening",
        speakers="Dr. Hassan",
        room="Hall A",
        starts_at=START + dt.timedelta(hours=1),
        ends_at=START + dt.timedelta(hours=2),
    )
    return event


def person(name: str) -> User:
    return User.objects.create(username=name, first_name=name.title(), password=make_password(None))


def client_for(user: User | str) -> Client:
    client = Client()
    client.force_login(user if isinstance(user, User) else User.objects.get(username=user))
    return client


def test_the_event_calendar_holds_the_event_and_each_session_in_the_event_zone() -> None:
    event = forum()
    attendee = person("nadia")
    services.event_register(event=event, person=attendee)
    client = client_for(attendee)
    page = client.get(f"/secretariat/events/{event.pk}/").content.decode()
    assert f"/secretariat/events/{event.pk}/event.ics" in page
    session = event.sessions.get()
    assert f"/secretariat/events/{event.pk}/sessions/{session.pk}.ics" in page

    response = client.get(f"/secretariat/events/{event.pk}/event.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == [
        "AI in Education Forum",
        "Opening · AI in Education Forum",
    ]
    whole, opening = events
    assert whole["dtstart"].dt.tzinfo is not None
    assert str(whole["dtstart"].params["TZID"]) == "Africa/Cairo"
    assert whole["dtstart"].dt.replace(tzinfo=None) == dt.datetime(2030, 6, 1, 9, 0)
    assert whole["dtstart"].dt == START
    assert opening["dtstart"].dt == START + dt.timedelta(hours=1)
    assert "Hall A" in str(opening["location"])
    assert [str(t["tzid"]) for t in calendar.walk("VTIMEZONE")] == ["Africa/Cairo"]

    one = icalendar.Calendar.from_ical(
        client.get(f"/secretariat/events/{event.pk}/sessions/{session.pk}.ics").content
    )
    assert [str(e["summary"]) for e in one.walk("VEVENT")] == ["Opening · AI in Education Forum"]
    other = forum()
    wrong = client.get(f"/secretariat/events/{other.pk}/sessions/{session.pk}.ics")
    assert wrong.status_code == 404


def test_a_checked_in_participant_gets_a_verifiable_revocable_certificate() -> None:
    event = forum()
    attendee = person("omar")
    registration = services.event_register(event=event, person=attendee)
    client = client_for(attendee)
    url = f"/secretariat/events/{event.pk}/"

    # Before check-in there is no certificate to get, and asking is refused with the reason.
    assert "Get my certificate of attendance" not in client.get(url).content.decode()
    with pytest.raises(services.SecretariatError, match="follows check-in"):
        services.registration_certificate(registration=registration, by=None, event_url=url)

    services.registration_check_in(registration=registration)
    assert "Get my certificate of attendance" in client.get(url).content.decode()
    assert client.post(url, {"do": "certificate"}).status_code == 302
    registration.refresh_from_db()
    credential = IssuedCredential.objects.get(pk=registration.credential_id)
    document = credential.document
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "ext:Attendance"
    assert achievement["name"] == "AI in Education Forum"
    assert achievement["id"].endswith(f"/secretariat/events/{event.pk}/")
    assert document["credentialSubject"]["identifier"][0]["identityHash"] == "Omar"
    assert credential.holder == attendee
    assert credential_verify(document).report.valid

    # Asking again returns the same certificate; the holder downloads it and sees it in training.
    client.post(url, {"do": "certificate"})
    assert IssuedCredential.objects.filter(holder=attendee).count() == 1
    page = client.get(url).content.decode()
    assert f"/training/credentials/{credential.pk}.json" in page
    assert client.get(f"/training/credentials/{credential.pk}.json").status_code == 200
    assert "AI in Education Forum" in client.get("/training/my/").content.decode()
    verify_page = Client().get(f"/training/verify/?credential={credential.pk}").content.decode()
    assert "Valid credential" in verify_page

    # The secretariat revokes it; the verification page says so and why.
    secretariat = client_for("secretariat")
    refused = secretariat.post(
        url, {"do": "revoke-certificate", "registration": registration.pk, "reason": ""}
    )
    assert refused.status_code == 400
    secretariat.post(
        url,
        {"do": "revoke-certificate", "registration": registration.pk, "reason": "did not attend"},
    )
    result = credential_verify(document)
    assert not result.report.valid
    assert result.report.revoked
    assert result.revoked_reason == "did not attend"


def test_the_secretariat_issues_certificates_to_everyone_checked_in() -> None:
    event = forum()
    here, absent = person("rania"), person("samir")
    for p in (here, absent):
        services.event_register(event=event, person=p)
    services.registration_check_in(registration=Registration.objects.get(person=here))
    response = client_for("secretariat").post(
        f"/secretariat/events/{event.pk}/", {"do": "certificates"}
    )
    assert response.status_code == 302
    assert Registration.objects.get(person=here).credential_id is not None
    assert Registration.objects.get(person=absent).credential_id is None
    page = client_for("secretariat").get(f"/secretariat/events/{event.pk}/").content.decode()
    assert "issued" in page


def test_someone_else_cannot_download_a_certificate() -> None:
    event = forum()
    attendee = person("tariq")
    registration = services.event_register(event=event, person=attendee)
    services.registration_check_in(registration=registration)
    info = services.registration_certificate(registration=registration, by=None, event_url="x")
    assert isinstance(info.id, uuid.UUID)
    stranger = client_for(person("umar"))
    assert stranger.get(f"/training/credentials/{info.id}.json").status_code == 403
