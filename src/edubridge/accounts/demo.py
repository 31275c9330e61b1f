"""The demo network's organizations and people. All names are invented; no real person is named."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.contrib.auth.hashers import make_password

from edubridge.accounts.models import OrganizationType
from edubridge.accounts.roles import Role
from edubridge.accounts.services import organization_ensure, user_ensure

DEMO_PASSWORD = "edubridge-demo"  # noqa: S105  demo only; printed by `edubridge demo`

ORGANIZATIONS: list[tuple[str, str, OrganizationType]] = [
    ("Bureau of Basic Education, Lanshan Province", "CN", OrganizationType.MINISTRY),
    ("Xinhe Normal University", "CN", OrganizationType.UNIVERSITY),
    ("Nusantara Digital Learning Agency", "ID", OrganizationType.MINISTRY),
    ("Teacher Academy of Sumber Ilmu", "ID", OrganizationType.TRAINING_CENTRE),
    ("Riverbend Unified School Network", "US", OrganizationType.SCHOOL),
    ("Lakeshore Learning Technologies", "US", OrganizationType.COMPANY),
    ("Abay Regional Teacher Training Centre", "ET", OrganizationType.TRAINING_CENTRE),
    ("Delta Institute of Educational Research", "EG", OrganizationType.UNIVERSITY),
    ("Saraswati Schools Collective", "IN", OrganizationType.SCHOOL),
    ("EduBridge Network Secretariat", "ID", OrganizationType.MINISTRY),
]

# username, role, organization, first name, last name, preferred language, minor
USERS: list[tuple[str, Role, str, str, str, str, bool]] = [
    ("publisher", Role.PUBLISHER, "Xinhe Normal University", "Lin", "Qiaoyu", "zh-hans", False),
    (
        "localizer",
        Role.LOCALIZER,
        "Nusantara Digital Learning Agency",
        "Sari",
        "Wulandari",
        "id",
        False,
    ),
    ("learner", Role.LEARNER, "Saraswati Schools Collective", "Meera", "Kanvi", "en", True),
    ("teacher", Role.TEACHER, "Riverbend Unified School Network", "Jordan", "Ellery", "en", False),
    (
        "steward",
        Role.DATA_STEWARD,
        "Delta Institute of Educational Research",
        "Nadia",
        "Samir",
        "ar",
        False,
    ),
    (
        "steward2",
        Role.DATA_STEWARD,
        "Nusantara Digital Learning Agency",
        "Dewi",
        "Lestari",
        "id",
        False,
    ),
    (
        "trainer",
        Role.TRAINING_COORDINATOR,
        "Abay Regional Teacher Training Centre",
        "Hana",
        "Tesfaye",
        "en",
        False,
    ),
    (
        "exchange",
        Role.EXCHANGE_COORDINATOR,
        "Lakeshore Learning Technologies",
        "Casey",
        "Marlowe",
        "en",
        False,
    ),
    (
        "secretariat",
        Role.SECRETARIAT,
        "EduBridge Network Secretariat",
        "Rina",
        "Kartika",
        "id",
        False,
    ),
    (
        "integrator",
        Role.INTEGRATOR,
        "Lakeshore Learning Technologies",
        "Sam",
        "Okafor",
        "en",
        False,
    ),
    (
        "admin",
        Role.NODE_ADMIN,
        "Bureau of Basic Education, Lanshan Province",
        "Wei",
        "Anlan",
        "zh-hans",
        False,
    ),
]

STEPS = len(ORGANIZATIONS) + len(USERS)


@cache
def _demo_password_hash() -> str:
    """One Argon2 hash shared by every demo user: they share the password, and hashing is slow."""
    return make_password(DEMO_PASSWORD)


def load(advance: Callable[[str], None]) -> list[tuple[str, str, str]]:
    """Create the demo organizations and one user per role; returns (username, password, role) rows."""
    orgs = {}
    for name, country, org_type in ORGANIZATIONS:
        orgs[name], _ = organization_ensure(name=name, country=country, type=org_type)
        advance(f"organization {name}")
    logins = []
    for username, role, org_name, first, last, language, minor in USERS:
        user_ensure(
            username=username,
            password=DEMO_PASSWORD,
            roles=[role],
            organization=orgs[org_name],
            first_name=first,
            last_name=last,
            preferred_language=language,
            is_minor=minor,
            password_hash=_demo_password_hash(),
        )
        logins.append((username, DEMO_PASSWORD, role.value))
        advance(f"user {username}")
    return logins
