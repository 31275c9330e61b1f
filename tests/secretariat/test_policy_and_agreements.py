"""Policy dialogue side by side, the standards-adoption matrix, MoUs and mutual recognition."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from edubridge.accounts.models import Organization, User
from edubridge.secretariat import selectors, services
from edubridge.secretariat.models import Agreement, Member, PolicyTopic, Standard

pytestmark = pytest.mark.usefixtures("demo_network")


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_a_topic_compares_every_member_side_by_side_with_blanks_where_unknown() -> None:
    topic = PolicyTopic.objects.get(name="Data privacy")
    rows = selectors.policy_comparison(topic)
    assert len(rows) == Member.objects.filter(status="active").count()
    assert any(r.rules for r in rows)
    assert any(not r.rules for r in rows)
    page = signed_in("teacher").get(f"/secretariat/policy/{topic.pk}/").content.decode()
    assert "(demo entry)" in page


def test_recording_a_position_again_updates_it() -> None:
    topic = PolicyTopic.objects.get(name="Algorithmic bias")
    member = Member.objects.first()
    assert member is not None
    services.policy_position_record(topic=topic, member=member, rules="First", by=None)
    services.policy_position_record(topic=topic, member=member, rules="Second", by=None)
    assert [p.rules for p in topic.positions.all()] == ["Second"]


def test_the_adoption_matrix_has_one_cell_per_member_and_standard() -> None:
    standards, rows = selectors.adoption_matrix()
    assert len(standards) == Standard.objects.count()
    assert all(len(cells) == len(standards) for _m, cells in rows)
    page = signed_in("secretariat").get("/secretariat/standards/").content.decode()
    assert "QTI 3" in page
    assert "Piloting" in page


def test_an_agreement_binds_at_least_two_institutions() -> None:
    one = Organization.objects.first()
    assert one is not None
    with pytest.raises(services.SecretariatError, match="at least two"):
        services.agreement_record(
            kind="mou", title="Solo", party_ids=[one.pk], starts_on=dt.date(2026, 1, 1), by=None
        )
    assert not Agreement.objects.filter(title="Solo").exists()


def test_the_dashboard_lists_agreements_due_for_renewal() -> None:
    page = signed_in("secretariat").get("/secretariat/").content.decode()
    assert "Joint research on multilingual mathematics items (demo)" in page


def test_a_joint_project_needs_two_institutions_and_tracks_milestones() -> None:
    one = Organization.objects.first()
    assert one is not None
    with pytest.raises(services.SecretariatError, match="at least two institutions"):
        services.project_create(title="Solo", institution_ids=[one.pk], by=None)
    page = signed_in("teacher").get("/secretariat/projects/").content.decode()
    assert "Multilingual mathematics item bank (demo)" in page


def test_parties_of_an_agreement_renewing_within_30_days_are_emailed() -> None:
    from django.core import mail

    mail.outbox.clear()
    today = dt.date.today()
    sent = services.agreement_renewal_reminders_send(today=today + dt.timedelta(days=45))
    assert sent == 1  # the demo MoU renews in 60 days: inside the 30-day notice from day 45
    assert "Joint research on multilingual mathematics items (demo)" in mail.outbox[0].subject
