"""Helpers for secretariat tests: members with keys whose private halves the test holds."""

from __future__ import annotations

import datetime as dt

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.contrib.auth.hashers import make_password

from edubridge.accounts.models import Organization, OrganizationType, User
from edubridge.core.identity import b64url, public_key_text
from edubridge.secretariat import services
from edubridge.secretariat.models import Member


def organization(name: str, country: str = "ID") -> Organization:
    return Organization.objects.create(name=name, country=country, type=OrganizationType.UNIVERSITY)


def member_with_key(name: str, country: str = "ID") -> tuple[Member, Ed25519PrivateKey]:
    """A member keeping its own key (not hosted): the test signs like the member's node would."""
    key = Ed25519PrivateKey.generate()
    member = services.member_admit(
        organization=organization(name, country),
        by=None,
        joined_on=dt.date(2026, 1, 1),
        contact_email=f"{name.split()[0].lower()}@example.org",
        public_key=public_key_text(key.public_key()),
    )
    return member, key


def person_of(member: Member, username: str) -> User:
    return User.objects.create(
        username=username, password=make_password(None), organization=member.organization
    )


def sign(key: Ed25519PrivateKey, payload: bytes) -> str:
    return b64url(key.sign(payload))
