"""HTTP API of the training app: verify a credential, read the status list, list my credentials."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from edubridge.accounts.models import User
from edubridge.core.http_auth import AUTH
from edubridge.training import selectors, services
from edubridge.training.models import IssuedCredential

router = Router(tags=["training"])


class CheckOut(Schema):
    name: str
    ok: bool | None
    detail: str


class VerificationOut(Schema):
    valid: bool
    reason: str | None
    revoked: bool
    revoked_at: str | None
    issuer_trusted: bool
    changed_fields: list[str]
    summary: dict[str, Any]
    checks: list[CheckOut]


@router.post(
    "/verify",
    response=VerificationOut,
    auth=None,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
            "description": "the credential (an Open Badges 3.0 / VC 2.0 JSON object)",
        }
    },
)
def verify(request: HttpRequest) -> dict[str, Any]:
    """Verify a presented credential (the JSON body is the credential). Public, like the page."""
    try:
        credential = json.loads(request.body or b"")
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise HttpError(400, f"the body is not JSON: {error}") from error
    if not isinstance(credential, dict):
        raise HttpError(400, "a credential is a JSON object")
    result = selectors.credential_verify(credential)
    report = result.report.to_dict()
    return {
        **report,
        "revoked_at": result.revoked_at.isoformat() if result.revoked_at else None,
        "changed_fields": result.changed,
    }


@router.get("/status/1", auth=None)
def status_list(request: HttpRequest) -> dict[str, Any]:
    """The node's signed BitstringStatusListCredential (revocation)."""
    return services.status_list_document()


class CredentialOut(Schema):
    id: str
    programme: str
    issued_at: str
    revoked_at: str | None
    document: dict[str, Any]


@router.get("/credentials", response=list[CredentialOut], auth=AUTH)
def my_credentials(request: HttpRequest) -> list[dict[str, Any]]:
    """The signed credentials issued to the caller."""
    user = request.user
    assert isinstance(user, User)
    rows = IssuedCredential.objects.filter(enrolment__teacher=user).select_related(
        "enrolment__cohort__programme"
    )
    return [
        {
            "id": str(row.pk),
            "programme": row.enrolment.cohort.programme.name,
            "issued_at": row.issued_at.isoformat(),
            "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None,
            "document": row.document,
        }
        for row in rows
    ]
