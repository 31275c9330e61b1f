"""HTTP API of the secretariat: the signed registry, releases and signatures, a member's actions."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from edubridge.accounts.models import User
from edubridge.core.http_auth import AUTH
from edubridge.secretariat import selectors, services
from edubridge.secretariat.documents import registry_document, release_document
from edubridge.secretariat.models import Member, Release, ReleaseStatus

router = Router(tags=["secretariat"])


class MemberOut(Schema):
    id: UUID
    name: str
    country: str
    type: str
    status: str
    joined_on: dt.date
    node_descriptor_url: str
    current_keys: list[str]


class ReleaseOut(Schema):
    id: UUID
    title: str
    status: str
    threshold: int
    signers: list[UUID]
    signed: list[UUID]
    published_at: dt.datetime | None


class SignatureIn(Schema):
    signature: str


class ActionOut(Schema):
    id: int
    title: str
    due_on: dt.date
    status: str
    meeting: str


def _release_out(release: Release) -> ReleaseOut:
    return ReleaseOut(
        id=release.pk,
        title=release.title,
        status=release.status,
        threshold=release.threshold,
        signers=[m.pk for m in release.signers.all()],
        signed=[s.member_id for s in release.signatures.all()],
        published_at=release.published_at,
    )


@router.get("/registry", auth=None, summary="The member registry, signed by this node")
def registry(request: HttpRequest) -> dict[str, Any]:
    return registry_document()


@router.get("/members", response=list[MemberOut], auth=None, summary="Members of the network")
def members(request: HttpRequest) -> list[MemberOut]:
    return [
        MemberOut(
            id=m.pk,
            name=m.organization.name,
            country=m.organization.country,
            type=m.organization.type,
            status=m.status,
            joined_on=m.joined_on,
            node_descriptor_url=m.node_descriptor_url,
            current_keys=[
                k.public_key for k in m.keys.all() if k.revoked_at is None and k.retired_at is None
            ],
        )
        for m in Member.objects.select_related("organization").prefetch_related("keys")
    ]


@router.get("/releases", response=list[ReleaseOut], auth=AUTH, summary="Joint releases")
def releases(request: HttpRequest) -> list[ReleaseOut]:
    return [
        _release_out(r) for r in Release.objects.prefetch_related("signers", "signatures").all()
    ]


@router.get(
    "/releases/{release_id}/document",
    auth=None,
    summary="RELEASE.json of a published release, for offline verification",
)
def release_doc(request: HttpRequest, release_id: UUID) -> dict[str, Any]:
    release = get_object_or_404(Release, pk=release_id, status=ReleaseStatus.PUBLISHED)
    return release_document(release)


@router.get(
    "/releases/{release_id}/payload",
    auth=AUTH,
    summary="The exact bytes a member signs (base64url) while the release awaits signatures",
)
def release_signing_payload(request: HttpRequest, release_id: UUID) -> dict[str, str]:
    from edubridge.core.identity import b64url

    release = get_object_or_404(Release, pk=release_id)
    try:
        return {"payload": b64url(services.release_payload_bytes(release))}
    except services.SecretariatError as exc:
        raise HttpError(409, str(exc)) from exc


@router.post(
    "/releases/{release_id}/signatures",
    response={201: ReleaseOut},
    auth=AUTH,
    summary="Upload your member's signature (Ed25519 over the payload, base64url)",
)
def release_sign(
    request: HttpRequest, release_id: UUID, body: SignatureIn
) -> tuple[int, ReleaseOut]:
    user = request.user
    assert isinstance(user, User)
    release = get_object_or_404(Release, pk=release_id)
    try:
        services.release_sign(
            release=release, organization=user.organization, signature=body.signature, by=user
        )
    except services.SecretariatError as exc:
        raise HttpError(400, str(exc)) from exc
    release.refresh_from_db()
    return 201, _release_out(release)


@router.get(
    "/my-actions", response=list[ActionOut], auth=AUTH, summary="Your member's open actions"
)
def my_actions(request: HttpRequest) -> list[ActionOut]:
    member = selectors.member_for_user(request.user)
    if member is None:
        raise HttpError(404, "Your organization is not a member of the network.")
    return [
        ActionOut(id=a.pk, title=a.title, due_on=a.due_on, status=a.status, meeting=a.meeting.title)
        for a in selectors.open_actions_of(member)
    ]
