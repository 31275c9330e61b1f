"""Secretariat pages and API through HTTP: dashboard, registry, releases, meetings, my actions."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from huey.contrib.djhuey import HUEY

from edubridge.accounts.models import User
from edubridge.secretariat.demo import AWAITING_RELEASE, NEXT_MEETING, PUBLISHED_RELEASE
from edubridge.secretariat.models import Bulletin, Meeting, MeetingSeries, Member, Release, Ticket

pytestmark = pytest.mark.usefixtures("demo_network")


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_dashboard_shows_members_by_country_overdue_actions_and_awaiting_releases() -> None:
    page = signed_in("secretariat").get("/secretariat/").content.decode()
    assert "<svg" in page
    assert "Active members by country" in page
    assert "Book the forum venue" in page  # overdue in the demo
    assert AWAITING_RELEASE in page


def test_only_the_secretariat_opens_the_dashboard() -> None:
    assert signed_in("learner").get("/secretariat/").status_code == 403


def test_the_reminder_button_queues_the_background_task() -> None:
    before = HUEY.pending_count()
    response = signed_in("secretariat").post("/secretariat/reminders/")
    assert response.status_code == 302
    assert HUEY.pending_count() == before + 1
    HUEY.flush()


def test_the_signed_registry_is_public_at_a_stable_url() -> None:
    anonymous = Client()
    doc = json.loads(anonymous.get("/secretariat/registry.json").content)
    assert doc["registry"]["format"] == "edubridge-registry/1"
    assert doc["signature"]
    api_doc = anonymous.get("/api/secretariat/registry").json()
    assert api_doc["registry"]["members"] == doc["registry"]["members"]


def test_a_published_release_offers_both_files_for_download() -> None:
    release = Release.objects.get(title=PUBLISHED_RELEASE)
    client = signed_in("teacher")
    page = client.get(f"/secretariat/releases/{release.pk}/").content.decode()
    assert "RELEASE.json" in page
    assert "REGISTRY.json" in page
    download = Client().get(f"/secretariat/releases/{release.pk}/RELEASE.json")
    assert download["Content-Disposition"] == 'attachment; filename="RELEASE.json"'
    assert json.loads(download.content)["release"]["id"] == str(release.pk)


def test_an_unpublished_release_has_no_release_file() -> None:
    release = Release.objects.get(title=AWAITING_RELEASE)
    assert Client().get(f"/secretariat/releases/{release.pk}/RELEASE.json").status_code == 404


def test_the_secretariat_signs_for_a_hosted_member_through_the_page() -> None:
    release = Release.objects.get(title=AWAITING_RELEASE)
    unsigned = release.signers.exclude(pk__in=release.signatures.values("member")).first()
    assert unsigned is not None
    response = signed_in("secretariat").post(
        f"/secretariat/releases/{release.pk}/", {"do": "sign-on-behalf", "member": unsigned.pk}
    )
    assert response.status_code == 302
    assert release.signatures.filter(member=unsigned, signed_by_node=True).exists()


def test_a_non_member_uploading_a_signature_gets_the_reason_from_the_api() -> None:
    release = Release.objects.get(title=AWAITING_RELEASE)
    admin = User.objects.get(username="admin")  # Lanshan Bureau: applied, not yet a member
    response = signed_in("admin").post(
        f"/api/secretariat/releases/{release.pk}/signatures",
        data={"signature": "AAAA"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "is not a member of the network" in response.json()["detail"]
    assert admin.organization is not None


def test_the_diff_between_versions_shows_added_and_removed_lines() -> None:
    release = Release.objects.get(title=PUBLISHED_RELEASE)
    page = (
        signed_in("secretariat")
        .get(f"/secretariat/releases/{release.pk}/diff/1/2/")
        .content.decode()
    )
    assert "<ins>+ Members review these commitments every year at the plenary.</ins>" in page
    assert "<del>" in page


def test_a_double_booked_room_shows_the_reason_on_the_page() -> None:
    client = signed_in("secretariat")
    form = {
        "title": "Standards WG",
        "date": "2030-05-06",
        "start": "09:00",
        "end": "11:00",
        "time_zone": "Asia/Jakarta",
        "room": "Hall Z",
    }
    assert client.post("/secretariat/meetings/", form).status_code == 302
    response = client.post(
        "/secretariat/meetings/", form | {"title": "Clash", "start": "10:30", "end": "12:00"}
    )
    assert response.status_code == 400
    assert "Hall Z is already booked" in response.content.decode()
    assert not Meeting.objects.filter(title="Clash").exists()


def test_an_action_without_owner_is_refused_on_the_page() -> None:
    meeting = Meeting.objects.get(title=NEXT_MEETING)
    response = signed_in("secretariat").post(
        f"/secretariat/meetings/{meeting.pk}/",
        {"do": "action", "title": "X", "due_on": "2030-01-01"},
    )
    assert response.status_code == 400
    assert "needs an owner" in response.content.decode()


def test_a_member_sees_its_open_actions_and_downloads_the_invitation() -> None:
    owner = Member.objects.filter(actions__status="open").select_related("organization").first()
    assert owner is not None
    person = User.objects.filter(organization=owner.organization).first()
    assert person is not None
    client = Client()
    client.force_login(person)
    page = client.get("/secretariat/my-actions/").content.decode()
    assert owner.actions.filter(status="open").first().title in page  # type: ignore[union-attr]
    assert client.get("/api/secretariat/my-actions").status_code == 200
    meeting = Meeting.objects.get(title=NEXT_MEETING)
    ics = client.get(f"/secretariat/meetings/{meeting.pk}/invite.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"TZID:Africa/Cairo" in ics.content


def test_anonymous_people_read_only_public_bulletins_and_the_atom_feed() -> None:
    anonymous = Client()
    page = anonymous.get("/secretariat/bulletins/").content.decode()
    assert "The network welcomes three new members (demo)" in page
    assert "Plenary papers are online (demo)" not in page
    feed = anonymous.get("/secretariat/bulletins/feed.atom")
    assert feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    assert 'xmlns="http://www.w3.org/2005/Atom"' in body
    assert "The network welcomes three new members (demo)" in body
    assert "Plenary papers" not in body
    assert "privacy comparison" not in body


def test_group_bulletins_reach_only_the_groups_members() -> None:
    group = MeetingSeries.objects.get(name="Working group on data privacy")
    bulletin = Bulletin.objects.get(access="group")
    inside = group.participants.select_related("organization").first()
    outside = Member.objects.exclude(pk__in=group.participants.values("pk")).first()
    assert inside is not None
    assert outside is not None
    for member, status in ((inside, 200), (outside, 404)):
        person = User.objects.filter(
            organization=member.organization
        ).first() or User.objects.create(
            username=f"p-{member.pk}", organization=member.organization
        )
        client = Client()
        client.force_login(person)
        assert client.get(f"/secretariat/bulletins/{bulletin.pk}/").status_code == status


def test_a_group_bulletin_without_its_group_is_refused() -> None:
    response = signed_in("secretariat").post(
        "/secretariat/bulletins/", {"title": "T", "body": "B", "access": "group"}
    )
    assert response.status_code == 400
    assert "Choose the working group" in response.content.decode()
    assert not Bulletin.objects.filter(title="T").exists()


def test_a_partner_opens_a_ticket_and_the_desk_sees_it_overdue_on_the_dashboard() -> None:
    client = signed_in("teacher")
    response = client.post(
        "/secretariat/support/",
        {"title": "Login loop", "description": "After sign-in we land on sign-in again."},
    )
    assert response.status_code == 302
    assert "Login loop" in client.get("/secretariat/support/").content.decode()
    dashboard = signed_in("secretariat").get("/secretariat/").content.decode()
    assert "Imported QTI package shows no images (demo)" in dashboard  # 3 days, no response


def test_partners_see_only_their_own_tickets() -> None:
    page = signed_in("steward").get("/secretariat/support/").content.decode()
    assert "Imported QTI package" not in page


def test_the_ticket_workflow_refuses_a_skipped_step_and_needs_an_answer_to_resolve() -> None:
    ticket = Ticket.objects.get(title="Imported QTI package shows no images (demo)")
    desk = signed_in("secretariat")
    response = desk.post(f"/secretariat/support/{ticket.pk}/", {"status": "resolved"})
    assert response.status_code == 400
    assert "can become: assigned, closed" in response.content.decode()
    assert (
        desk.post(f"/secretariat/support/{ticket.pk}/", {"status": "assigned"}).status_code == 302
    )
    response = desk.post(f"/secretariat/support/{ticket.pk}/", {"status": "resolved"})
    assert "Write the answer" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == "assigned"
    assert ticket.first_response_at is not None


def test_a_resolved_answer_is_kept_in_the_searchable_knowledge_base() -> None:
    page = signed_in("teacher").get("/secretariat/support/answers/?q=rotate").content.decode()
    assert "How do we rotate our node key? (demo)" in page
    empty = signed_in("teacher").get("/secretariat/support/answers/?q=zebra").content.decode()
    assert "No answers found." in empty


def test_an_unresolved_ticket_cannot_enter_the_knowledge_base() -> None:
    ticket = Ticket.objects.get(title="Imported QTI package shows no images (demo)")
    response = signed_in("secretariat").post(
        f"/secretariat/support/{ticket.pk}/", {"do": "keep-answer"}
    )
    assert response.status_code == 400
    assert "Only a resolved ticket" in response.content.decode()


def test_the_library_serves_members_documents_to_members_only() -> None:
    from edubridge.secretariat.models import Document

    members_doc = Document.objects.get(title="Plenary background paper (demo)")
    public_doc = Document.objects.get(title="Network charter (demo)")
    anonymous = Client()
    assert anonymous.get(f"/secretariat/documents/{members_doc.pk}/download").status_code == 404
    assert anonymous.get(f"/secretariat/documents/{public_doc.pk}/download").status_code == 200
    member = Member.objects.select_related("organization").first()
    assert member is not None
    person = User.objects.create(username="member-reader", organization=member.organization)
    client = Client()
    client.force_login(person)
    download = client.get(f"/secretariat/documents/{members_doc.pk}/download")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"Members of the EduBridge network")


def test_an_empty_upload_is_refused_and_nothing_stored() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from edubridge.secretariat.models import Document

    before = Document.objects.count()
    response = signed_in("secretariat").post(
        "/secretariat/documents/",
        {"title": "Empty", "access": "public", "file": SimpleUploadedFile("e.txt", b"")},
    )
    assert response.status_code == 400
    assert "empty files are refused" in response.content.decode()
    assert Document.objects.count() == before


def test_malformed_ids_in_forms_are_refused_without_a_server_error() -> None:
    client = signed_in("secretariat")
    release = Release.objects.get(title=AWAITING_RELEASE)
    assert (
        client.post(
            f"/secretariat/releases/{release.pk}/", {"do": "sign-on-behalf", "member": "nope"}
        ).status_code
        == 404
    )
    response = client.post(
        "/secretariat/releases/new/",
        {"title": "T", "text": "x", "signers": ["not-a-uuid"], "threshold": "1"},
    )
    assert response.status_code == 400
    meeting = Meeting.objects.get(title=NEXT_MEETING)
    response = client.post(
        f"/secretariat/meetings/{meeting.pk}/",
        {"do": "action", "title": "X", "owner": "zzz", "due_on": "2030-01-01"},
    )
    assert response.status_code == 400
    assert "needs an owner" in response.content.decode()
