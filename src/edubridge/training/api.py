"""The training app's Python interface for other apps: certificates of attendance.

The secretariat issues certificates of attendance for its events through the same credential
machinery as programme completions (signature, status list, verification page). Other apps
import only this module; it returns plain frozen data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from django.urls import reverse

from edubridge.accounts.models import User
from edubridge.training import services
from edubridge.training.models import IssuedCredential

CredentialError = services.TrainingError


@dataclass(frozen=True)
class CredentialInfo:
    id: UUID
    title: str
    issued_at: dt.datetime
    revoked_at: dt.datetime | None
    revoked_reason: str
    json_url: str
    verify_url: str


def _info(credential: IssuedCredential) -> CredentialInfo:
    return CredentialInfo(
        id=credential.pk,
        title=credential.title,
        issued_at=credential.issued_at,
        revoked_at=credential.revoked_at,
        revoked_reason=credential.revoked_reason,
        json_url=reverse("training:credential-json", args=[credential.pk]),
        verify_url=reverse("training:verify") + f"?credential={credential.pk}",
    )


def attendance_credential_issue(
    *,
    by: User | None,
    holder: User,
    reference: str,
    event_name: str,
    event_description: str,
    event_url: str,
    issuer_name: str,
    attended_at: dt.datetime,
    language: str = "en",
) -> CredentialInfo:
    """Issue the certificate of attendance for `reference` (once; later calls return it)."""
    return _info(
        services.attendance_credential_issue(
            by=by,
            holder=holder,
            reference=reference,
            event_name=event_name,
            event_description=event_description,
            event_url=event_url,
            issuer_name=issuer_name,
            attended_at=attended_at,
            language=language,
        )
    )


def credential_info(credential_id: UUID) -> CredentialInfo | None:
    credential = IssuedCredential.objects.filter(pk=credential_id).first()
    return _info(credential) if credential else None


def credentials_info(ids: list[UUID]) -> dict[UUID, CredentialInfo]:
    return {c.pk: _info(c) for c in IssuedCredential.objects.filter(pk__in=ids)}


def credential_revoke(*, by: User, credential_id: UUID, reason: str) -> CredentialInfo:
    credential = IssuedCredential.objects.get(pk=credential_id)
    return _info(services.credential_revoke(by=by, credential=credential, reason=reason))
