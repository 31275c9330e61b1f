"""Forums and events: seats up to capacity, then the waiting list in order, or a clear refusal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from edubridge.accounts.models import User
from edubridge.secretariat import services
from edubridge.secretariat.demo import FORUM
from edubridge.secretariat.models import Event, Registration

pytestmark = pytest.mark.usefixtures("demo_network")

START = dt.datetime(2030, 6, 1, 8, tzinfo=dt.UTC)


def event(capacity: int = 2, *, waiting_list: bool = True) -> Event:
    return services.event_create(
        title="Forum",
        kind="forum",
        starts_at=START,
        ends_at=START + dt.timedelta(hours=8),
        time_zone="Africa/Cairo",
        capacity=capacity,
        waiting_list=waiting_list,
        by=None,
    )


def people(n: int) -> list[User]:
    return [
        User.objects.create(username=f"attendee-{k}", password=make_password(None))
        for k in range(n)
    ]


def test_people_beyond_capacity_wait_in_order_and_move_up_when_a_seat_frees() -> None:
    forum = event(capacity=2)
    a, b, c, d = people(4)
    statuses = [services.event_register(event=forum, person=p).status for p in (a, b, c, d)]
    assert statuses == ["registered", "registered", "waiting", "waiting"]
    promoted = services.registration_cancel(registration=Registration.objects.get(person=a))
    assert promoted is not None
    assert promoted.person == c


def test_a_full_event_without_waiting_list_refuses_with_the_reason() -> None:
    forum = event(capacity=1, waiting_list=False)
    first, second = people(2)
    services.event_register(event=forum, person=first)
    with pytest.raises(services.SecretariatError, match="full: all 1 seats are taken"):
        services.event_register(event=forum, person=second)
    assert not Registration.objects.filter(person=second).exists()


def test_registering_twice_is_refused() -> None:
    forum = event()
    (person,) = people(1)
    services.event_register(event=forum, person=person)
    with pytest.raises(services.SecretariatError, match="already registered"):
        services.event_register(event=forum, person=person)


def test_only_seat_holders_check_in_and_only_once() -> None:
    forum = event(capacity=1)
    seated, waiting = people(2)
    seat = services.event_register(event=forum, person=seated)
    wait = services.event_register(event=forum, person=waiting)
    services.registration_check_in(registration=seat)
    with pytest.raises(services.SecretariatError, match="Already checked in"):
        services.registration_check_in(registration=seat)
    with pytest.raises(services.SecretariatError, match="holding a seat"):
        services.registration_check_in(registration=wait)


def test_two_sessions_in_one_room_at_once_are_refused() -> None:
    forum = event()
    services.session_add(
        event=forum,
        title="A",
        room="Hall 1",
        starts_at=START,
        ends_at=START + dt.timedelta(hours=1),
    )
    with pytest.raises(services.SecretariatError, match=r"(?i)hall 1 already has a session"):
        services.session_add(
            event=forum,
            title="B",
            room="hall 1",
            starts_at=START + dt.timedelta(minutes=30),
            ends_at=START + dt.timedelta(hours=2),
        )


def test_the_demo_forum_is_full_and_a_late_registration_joins_the_waiting_list_on_the_page() -> (
    None
):
    forum = Event.objects.get(title=FORUM)
    client = Client()
    client.force_login(User.objects.get(username="steward"))
    assert client.post(f"/secretariat/events/{forum.pk}/", {"do": "register"}).status_code == 302
    page = client.get(f"/secretariat/events/{forum.pk}/").content.decode()
    assert "On the waiting list" in page
    assert "3 of 3 taken; 2 waiting" in page
