"""The secretariat's Python interface for other apps: the member registry as the trust list.

Other apps (federation, credentials) import only this module; it returns plain frozen data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from edubridge.secretariat.models import Member, MemberKey, MemberStatus


@dataclass(frozen=True)
class MemberKeyInfo:
    member_id: str
    organization_id: str
    organization_name: str
    country: str
    public_key: str
    created_at: dt.datetime
    retired_at: dt.datetime | None
    revoked_at: dt.datetime | None
    member_active: bool


def member_keys() -> list[MemberKeyInfo]:
    """Every registered member key with its history (current, retired and revoked)."""
    return [
        MemberKeyInfo(
            member_id=str(k.member_id),
            organization_id=str(k.member.organization_id),
            organization_name=k.member.organization.name,
            country=k.member.organization.country,
            public_key=k.public_key,
            created_at=k.created_at,
            retired_at=k.retired_at,
            revoked_at=k.revoked_at,
            member_active=k.member.status == MemberStatus.ACTIVE,
        )
        for k in MemberKey.objects.select_related("member__organization").order_by("created_at")
    ]


def is_member_key_valid(public_key: str, at: dt.datetime) -> bool:
    """True when ``public_key`` belonged to an active member and could sign at moment ``at``:
    registered by then, not yet retired by then, and never revoked (revocation is retroactive)."""
    key = MemberKey.objects.select_related("member").filter(public_key=public_key).first()
    if key is None or key.revoked_at is not None or key.member.status != MemberStatus.ACTIVE:
        return False
    if at < key.created_at:
        return False
    return key.retired_at is None or at < key.retired_at


def member_keys_for_host(host: str) -> tuple[str, list[bytes]] | None:
    """The organization name and unrevoked Ed25519 keys (raw bytes; current first, then retired
    ones, which still verify what they signed) of the active member whose node descriptor URL is
    on `host` (`name` or `name:port`), or None. Credential verification resolves a member's
    did:web through this instead of fetching its DID document."""
    import base64
    from urllib.parse import urlsplit

    wanted = host.strip().lower()
    if not wanted:
        return None
    for member in (
        Member.objects.filter(status=MemberStatus.ACTIVE)
        .exclude(node_descriptor_url="")
        .select_related("organization")
    ):
        if urlsplit(member.node_descriptor_url).netloc.lower() != wanted:
            continue
        keys = member.keys.filter(revoked_at__isnull=True).order_by("retired_at", "-created_at")
        raw = [
            base64.urlsafe_b64decode(k.public_key + "=" * (-len(k.public_key) % 4)) for k in keys
        ]
        return (member.organization.name, raw) if raw else None
    return None
