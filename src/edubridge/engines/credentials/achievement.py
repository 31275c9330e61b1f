"""Build unsigned Open Badges 3.0 AchievementCredentials (W3C VC 2.0 data model).

The recipient is named by an IdentityObject (identityType "name", not hashed) because OB 3.0's
AchievementSubject has no `name`; competencies are Alignments to the framework's CASE items.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .contexts import OB_V3, VC_V2


@dataclass(frozen=True)
class Competency:
    """One competency the achievement aligns to (a CASE CFItem)."""

    code: str
    name: str
    url: str
    framework: str


@dataclass(frozen=True)
class StatusEntry:
    """Where this credential's revocation bit lives in a Bitstring Status List."""

    list_url: str
    index: int


@dataclass(frozen=True)
class AchievementClaim:
    """Everything an AchievementCredential states; plain data, no keys."""

    credential_id: str
    issuer_id: str
    issuer_name: str
    subject_id: str
    subject_name: str
    achievement_id: str
    achievement_name: str
    achievement_description: str
    criteria: str
    valid_from: str
    valid_until: str | None = None
    achievement_type: str = "Certificate"
    language: str = "en"
    issuer_url: str | None = None
    competencies: Sequence[Competency] = field(default_factory=tuple)
    status: StatusEntry | None = None


def achievement_credential(claim: AchievementClaim) -> dict[str, Any]:
    """The unsigned credential for `claim`, ready for `proof.add_proof`."""
    issuer: dict[str, Any] = {"id": claim.issuer_id, "type": ["Profile"], "name": claim.issuer_name}
    if claim.issuer_url:
        issuer["url"] = claim.issuer_url
    achievement: dict[str, Any] = {
        "id": claim.achievement_id,
        "type": ["Achievement"],
        "achievementType": claim.achievement_type,
        "name": claim.achievement_name,
        "description": claim.achievement_description,
        "criteria": {"narrative": claim.criteria},
        "inLanguage": claim.language,
    }
    if claim.competencies:
        achievement["alignment"] = [
            {
                "type": ["Alignment"],
                "targetCode": item.code,
                "targetName": item.name,
                "targetUrl": item.url,
                "targetFramework": item.framework,
                "targetType": "CFItem",
            }
            for item in claim.competencies
        ]
    credential: dict[str, Any] = {
        "@context": [VC_V2, OB_V3],
        "id": claim.credential_id,
        "type": ["VerifiableCredential", "AchievementCredential"],
        "issuer": issuer,
        "validFrom": claim.valid_from,
        "name": claim.achievement_name,
        "credentialSubject": {
            "id": claim.subject_id,
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": claim.subject_name,
                    "identityType": "name",
                    "hashed": False,
                }
            ],
            "achievement": achievement,
        },
    }
    if claim.valid_until:
        credential["validUntil"] = claim.valid_until
    if claim.status is not None:
        credential["credentialStatus"] = {
            "id": f"{claim.status.list_url}#{claim.status.index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(claim.status.index),
            "statusListCredential": claim.status.list_url,
        }
    return credential


def credential_summary(credential: dict[str, Any]) -> dict[str, Any]:
    """Who issued it, to whom, for what: the fields a person reads on a verification page."""
    issuer = credential.get("issuer")
    subject = credential.get("credentialSubject")
    subject = subject if isinstance(subject, dict) else {}
    achievement = subject.get("achievement")
    achievement = achievement if isinstance(achievement, dict) else {}
    names = [
        entry.get("identityHash")
        for entry in subject.get("identifier", [])
        if isinstance(entry, dict)
        and entry.get("identityType") == "name"
        and not entry.get("hashed")
    ]
    alignments = achievement.get("alignment", [])
    return {
        "id": credential.get("id"),
        "issuer_id": issuer.get("id") if isinstance(issuer, dict) else issuer,
        "issuer_name": issuer.get("name") if isinstance(issuer, dict) else None,
        "subject_id": subject.get("id"),
        "subject_name": names[0] if names else None,
        "achievement": achievement.get("name"),
        "competencies": [
            f"{item.get('targetCode')} {item.get('targetName')}".strip()
            for item in alignments
            if isinstance(item, dict)
        ],
        "valid_from": credential.get("validFrom"),
        "valid_until": credential.get("validUntil"),
    }


def changed_fields(original: Any, presented: Any, path: str = "") -> list[str]:
    """Paths where `presented` differs from `original` (the proof is ignored).

    The node keeps every credential it issued, so when a presented copy fails its signature the
    verification page can say *which* field was changed, not only that something was.
    """
    if isinstance(original, dict) and isinstance(presented, dict):
        keys = sorted(set(original) | set(presented), key=str)
        out: list[str] = []
        for key in keys:
            if not path and key == "proof":
                continue
            child = f"{path}.{key}" if path else str(key)
            if key not in original or key not in presented:
                out.append(child)
            else:
                out.extend(changed_fields(original[key], presented[key], child))
        return out
    if (
        isinstance(original, list)
        and isinstance(presented, list)
        and len(original) == len(presented)
    ):
        out = []
        for position, (left, right) in enumerate(zip(original, presented, strict=True)):
            out.extend(changed_fields(left, right, f"{path}[{position}]"))
        return out
    return [] if original == presented else [path or "(document)"]
