"""HTTP API for accounts: who am I, and API keys for integrators."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from edubridge.accounts.models import ApiKey, User
from edubridge.accounts.roles import Permission
from edubridge.accounts.selectors import api_keys_of, user_has_permission, user_roles
from edubridge.accounts.services import api_key_create, api_key_revoke
from edubridge.core.http_auth import AUTH

router = Router(tags=["accounts"], auth=AUTH)


class OrganizationOut(Schema):
    id: UUID
    name: str
    country: str
    type: str


class MeOut(Schema):
    username: str
    roles: list[str]
    organization: OrganizationOut | None
    preferred_language: str


class ApiKeyOut(Schema):
    id: UUID
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyIn(Schema):
    name: str


class ApiKeyIssuedOut(ApiKeyOut):
    key: str


def _current(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@router.get("/me", response=MeOut, summary="The signed-in person or API-key owner")
def me(request: HttpRequest) -> dict[str, object]:
    user = _current(request)
    return {
        "username": user.username,
        "roles": [r.value for r in user_roles(user)],
        "organization": user.organization,
        "preferred_language": user.preferred_language,
    }


def _require_keys_permission(user: User) -> None:
    if not user_has_permission(user, Permission.MANAGE_API_KEYS):
        raise HttpError(403, "Only integrators and node administrators manage API keys.")


@router.get("/api-keys", response=list[ApiKeyOut], summary="Your API keys")
def list_keys(request: HttpRequest) -> list[ApiKey]:
    user = _current(request)
    _require_keys_permission(user)
    return list(api_keys_of(owner=user))


@router.post(
    "/api-keys",
    response={201: ApiKeyIssuedOut},
    summary="Issue an API key; the full key is shown only in this answer",
)
def create_key(request: HttpRequest, payload: ApiKeyIn) -> Status[dict[str, object]]:
    user = _current(request)
    _require_keys_permission(user)
    name = payload.name.strip()
    if not name or len(name) > 100:
        raise HttpError(422, "A key needs a name of 1 to 100 characters.")
    issued = api_key_create(owner=user, name=name, request=request)
    key = issued.key
    return Status(
        201,
        {
            "id": key.id,
            "name": key.name,
            "prefix": key.prefix,
            "created_at": key.created_at,
            "last_used_at": key.last_used_at,
            "revoked_at": key.revoked_at,
            "key": issued.plaintext,
        },
    )


@router.delete("/api-keys/{key_id}", response=ApiKeyOut, summary="Revoke one of your API keys")
def revoke_key(request: HttpRequest, key_id: UUID) -> ApiKey:
    user = _current(request)
    _require_keys_permission(user)
    key = get_object_or_404(ApiKey, id=key_id, owner=user)
    return api_key_revoke(key_id=key.id, by=user, request=request)
