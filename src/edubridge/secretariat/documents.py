"""The signed REGISTRY.json and the RELEASE.json of a release: what other nodes and the
``edubridge releases verify`` command read (formats in docs/adr/0019)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone

from edubridge.core.identity import b64url, node_identity_ensure, node_sign
from edubridge.engines.releases.canonical import REGISTRY_FORMAT, registry_payload
from edubridge.secretariat.models import Member, Release


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def registry_body(*, now: dt.datetime | None = None) -> dict[str, Any]:
    """The registry: every member with its keys (current, retired and revoked)."""
    node = node_identity_ensure()
    members = []
    for member in Member.objects.select_related("organization").prefetch_related("keys"):
        members.append(
            {
                "id": str(member.pk),
                "name": member.organization.name,
                "country": member.organization.country,
                "type": member.organization.type,
                "status": member.status,
                "joined_on": member.joined_on.isoformat(),
                "node_descriptor_url": member.node_descriptor_url,
                "keys": [
                    {
                        "public_key": k.public_key,
                        "created_at": _iso(k.created_at),
                        "retired_at": _iso(k.retired_at),
                        "revoked_at": _iso(k.revoked_at),
                    }
                    for k in sorted(member.keys.all(), key=lambda k: k.created_at)
                ],
            }
        )
    return {
        "format": REGISTRY_FORMAT,
        "issuer": {
            "node_id": str(node.node_id),
            "name": str(settings.NODE["NAME"]),
            "public_key": node.public_key,
            "base_url": str(settings.NODE["BASE_URL"]),
        },
        "issued_at": _iso(now or timezone.now()),
        "members": sorted(members, key=lambda m: m["id"]),
    }


def registry_document(*, now: dt.datetime | None = None) -> dict[str, Any]:
    """The registry signed by this node's Ed25519 key."""
    body = registry_body(now=now)
    return {"registry": body, "signature": b64url(node_sign(registry_payload(body)))}


def release_document(release: Release) -> dict[str, Any]:
    """RELEASE.json: the frozen statement with its text, and every signature recorded."""
    return {
        "release": release.statement,
        "signatures": [
            {
                "member": str(s.member_id),
                "key": s.key.public_key,
                "signed_at": _iso(s.signed_at),
                "signature": s.signature,
            }
            for s in release.signatures.select_related("key").order_by("signed_at", "pk")
        ],
    }
