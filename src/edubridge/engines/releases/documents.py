"""RELEASE.json and REGISTRY.json read into plain data, with one clear reason when malformed."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from .canonical import REGISTRY_FORMAT, RELEASE_FORMAT


class DocumentError(ValueError):
    """The document is not a release or registry this engine can read."""


def b64url_decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:
        raise DocumentError(f"not base64url: {text[:20]!r}") from exc


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class RegistryKey:
    public_key: str  # raw 32-byte Ed25519 public key, base64url without padding
    created_at: str
    retired_at: str | None  # rotated out: signs nothing new, past signatures still count
    revoked_at: str | None  # compromised or withdrawn: no signature by it counts


@dataclass(frozen=True)
class RegistryMember:
    id: str
    name: str
    country: str
    status: str
    keys: tuple[RegistryKey, ...]


@dataclass(frozen=True)
class Registry:
    body: dict[str, Any]  # the signed body, kept for verifying the issuer's signature
    issuer_public_key: str
    signature: str
    members: dict[str, RegistryMember]

    def key_owner(self, public_key: str) -> tuple[RegistryMember, RegistryKey] | None:
        for member in self.members.values():
            for key in member.keys:
                if key.public_key == public_key:
                    return member, key
        return None


@dataclass(frozen=True)
class Signature:
    member: str
    key: str
    signed_at: str
    signature: str


@dataclass(frozen=True)
class Release:
    body: dict[str, Any]  # signed fields plus "text"
    signatures: tuple[Signature, ...]

    @property
    def threshold(self) -> int:
        return int(self.body["threshold"])

    @property
    def signers(self) -> tuple[str, ...]:
        return tuple(self.body["signers"])


def _field(obj: Any, name: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(obj, dict) or name not in obj:
        raise DocumentError(f"{where} lacks {name!r}")
    value = obj[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise DocumentError(f"{where}.{name} has the wrong type")
    return value


def _optional_str(obj: dict[str, Any], name: str, where: str) -> str | None:
    value = obj.get(name)
    if value is not None and not isinstance(value, str):
        raise DocumentError(f"{where}.{name} must be a string or null")
    return value


def parse_registry(data: Any) -> Registry:
    """Read a REGISTRY.json object; raises DocumentError naming the first problem."""
    body = _field(data, "registry", dict, "registry document")
    if body.get("format") != REGISTRY_FORMAT:
        raise DocumentError(f"registry format is not {REGISTRY_FORMAT}")
    issuer = _field(body, "issuer", dict, "registry")
    members: dict[str, RegistryMember] = {}
    for k, raw in enumerate(_field(body, "members", list, "registry")):
        where = f"registry.members[{k}]"
        keys = tuple(
            RegistryKey(
                public_key=_field(rk, "public_key", str, f"{where}.keys[{j}]"),
                created_at=_field(rk, "created_at", str, f"{where}.keys[{j}]"),
                retired_at=_optional_str(rk, "retired_at", f"{where}.keys[{j}]"),
                revoked_at=_optional_str(rk, "revoked_at", f"{where}.keys[{j}]"),
            )
            for j, rk in enumerate(_field(raw, "keys", list, where))
        )
        member = RegistryMember(
            id=_field(raw, "id", str, where),
            name=_field(raw, "name", str, where),
            country=_field(raw, "country", str, where),
            status=_field(raw, "status", str, where),
            keys=keys,
        )
        if member.id in members:
            raise DocumentError(f"registry lists member {member.id} twice")
        members[member.id] = member
    return Registry(
        body=body,
        issuer_public_key=_field(issuer, "public_key", str, "registry.issuer"),
        signature=_field(data, "signature", str, "registry document"),
        members=members,
    )


def parse_release(data: Any) -> Release:
    """Read a RELEASE.json object; raises DocumentError naming the first problem."""
    body = _field(data, "release", dict, "release document")
    if body.get("format") != RELEASE_FORMAT:
        raise DocumentError(f"release format is not {RELEASE_FORMAT}")
    for name, kind in (
        ("id", str),
        ("title", str),
        ("version", int),
        ("language", str),
        ("issued_by", str),
        ("signers", list),
        ("threshold", int),
        ("metadata", dict),
        ("text_sha256", str),
        ("text", str),
    ):
        _field(body, name, kind, "release")
    if not all(isinstance(s, str) for s in body["signers"]):
        raise DocumentError("release.signers must be member ids (strings)")
    signatures = tuple(
        Signature(
            member=_field(raw, "member", str, f"signatures[{k}]"),
            key=_field(raw, "key", str, f"signatures[{k}]"),
            signed_at=_field(raw, "signed_at", str, f"signatures[{k}]"),
            signature=_field(raw, "signature", str, f"signatures[{k}]"),
        )
        for k, raw in enumerate(_field(data, "signatures", list, "release document"))
    )
    return Release(body=body, signatures=signatures)
