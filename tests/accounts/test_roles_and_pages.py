"""Each demo role lands on a home page showing what it can do; pages are gated by role."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.html import escape

from edubridge.accounts.demo import ORGANIZATIONS, USERS
from edubridge.accounts.models import Organization, RoleAssignment, User
from edubridge.accounts.roles import ROLE_CAPABILITIES, Role
from edubridge.accounts.services import role_grant, role_revoke
from edubridge.core.models import AuditEvent

pytestmark = pytest.mark.usefixtures("demo_network")

DEMO_ROLES = [(username, role) for username, role, *_ in USERS]


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_demo_network_spans_the_six_required_countries() -> None:
    countries = set(Organization.objects.values_list("country", flat=True))
    assert {"CN", "ID", "US", "ET", "EG", "IN"} <= countries


def test_demo_has_one_user_for_every_role() -> None:
    held = set(RoleAssignment.objects.values_list("role", flat=True))
    assert held == {role.value for role in Role}


def test_loading_the_demo_twice_changes_nothing(demo_network: None) -> None:
    from io import StringIO

    from django.core.management import call_command

    counts = (Organization.objects.count(), User.objects.count(), RoleAssignment.objects.count())
    call_command("demo", quiet_logins=True, no_background=True, stdout=StringIO())
    assert (
        Organization.objects.count(),
        User.objects.count(),
        RoleAssignment.objects.count(),
    ) == counts
    assert counts[0] == len(ORGANIZATIONS)


@pytest.mark.parametrize(("username", "role"), DEMO_ROLES)
def test_each_role_home_lists_its_capabilities(username: str, role: Role) -> None:
    page = signed_in(username).get("/").content.decode()
    assert f'data-role="{role.value}"' in page
    for capability in ROLE_CAPABILITIES[role]:
        assert escape(str(capability.title)) in page


def test_anonymous_visitors_see_the_welcome_page_with_sign_in() -> None:
    page = Client().get("/").content.decode()
    assert "/accounts/login/" in page


@pytest.mark.parametrize(
    ("username", "status"), [("steward", 200), ("admin", 200), ("learner", 403)]
)
def test_data_class_page_is_for_stewards_and_admins(username: str, status: int) -> None:
    assert signed_in(username).get("/data-classes/").status_code == status


@pytest.mark.parametrize(
    ("username", "status"), [("admin", 200), ("steward", 200), ("teacher", 403)]
)
def test_audit_log_page_is_for_admins_and_stewards(username: str, status: int) -> None:
    assert signed_in(username).get("/audit/").status_code == status


def test_pages_that_need_a_sign_in_redirect_anonymous_visitors() -> None:
    response = Client().get("/data-classes/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("username", "allowed"),
    [("admin", True), ("secretariat", True), ("publisher", False), ("learner", False)],
)
def test_back_office_is_open_to_node_admins_and_the_secretariat(
    username: str, allowed: bool
) -> None:
    response = signed_in(username).get("/admin/")
    assert (response.status_code == 200) is allowed


def test_secretariat_may_edit_organizations_but_not_users() -> None:
    client = signed_in("secretariat")
    assert client.get("/admin/accounts/organization/add/").status_code == 200
    assert client.get("/admin/accounts/user/add/").status_code == 403


def test_granting_and_revoking_a_role_is_audited_and_updates_back_office_access() -> None:
    admin = User.objects.get(username="admin")
    teacher = User.objects.get(username="teacher")
    role_grant(user=teacher, role=Role.SECRETARIAT, by=admin)
    teacher.refresh_from_db()
    assert teacher.is_staff
    role_revoke(user=teacher, role=Role.SECRETARIAT, by=admin)
    teacher.refresh_from_db()
    assert not teacher.is_staff
    actions = list(AuditEvent.objects.filter(target="teacher").values_list("action", flat=True))
    assert "role.granted" in actions
    assert "role.revoked" in actions
