"""Export manifests: what was released, under which policy and protections, signed with Ed25519.

The manifest is plain JSON-able data. It is signed over its canonical JSON (sorted keys, no
insignificant whitespace, UTF-8), so any node holding the public key can check that neither the
manifest nor, through its SHA-256, the file has been changed. The private key is passed in as raw
bytes and never stored in the result.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from .errors import PrivacyInputError

MANIFEST_FORMAT = "edubridge-export-manifest/1"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_manifest(
    *,
    what: str,
    file_name: str,
    file_bytes: bytes,
    policy_id: str,
    policy_version: str,
    decision_rule: str,
    protections: Mapping[str, Any],
    row_counts: Mapping[str, int],
    created_at: datetime,
    node: str,
    destination: str,
    purpose: str,
) -> dict[str, Any]:
    """The manifest of one export; ``protections`` carries each protection with its parameters.

    ``row_counts`` typically has ``input``, ``output`` and ``suppressed``.
    """
    if created_at.tzinfo is None:
        raise PrivacyInputError("manifest times must be timezone-aware")
    for name, count in row_counts.items():
        if not isinstance(count, int) or count < 0:
            raise PrivacyInputError(f"row count {name!r} must be a non-negative integer")
    return {
        "format": MANIFEST_FORMAT,
        "what": what,
        "node": node,
        "destination": destination,
        "purpose": purpose,
        "created_at": created_at.isoformat(),
        "policy": {"id": policy_id, "version": policy_version, "rule": decision_rule},
        "protections": json.loads(json.dumps(dict(protections), sort_keys=True)),
        "row_counts": dict(sorted(row_counts.items())),
        "file": {"name": file_name, "bytes": len(file_bytes), "sha256": sha256_hex(file_bytes)},
    }


def canonical_json(manifest: Mapping[str, Any]) -> bytes:
    return json.dumps(
        manifest, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def _private_key(private_key: bytes) -> Ed25519PrivateKey:
    if len(private_key) != 32:
        raise PrivacyInputError("an Ed25519 private key is 32 raw bytes")
    return Ed25519PrivateKey.from_private_bytes(private_key)


def public_key_bytes(private_key: bytes) -> bytes:
    return _private_key(private_key).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def sign_manifest(manifest: Mapping[str, Any], private_key: bytes) -> dict[str, Any]:
    """``{"manifest": ..., "signature": {...}}`` with a base64 Ed25519 signature and key id."""
    key = _private_key(private_key)
    signature = key.sign(canonical_json(manifest))
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return {
        "manifest": dict(manifest),
        "signature": {
            "algorithm": "Ed25519",
            "public_key": base64.b64encode(public).decode("ascii"),
            "key_id": sha256_hex(public)[:16],
            "value": base64.b64encode(signature).decode("ascii"),
        },
    }


def verify_manifest(
    signed: Mapping[str, Any], public_key: bytes, file_bytes: bytes | None = None
) -> bool:
    """True when the signature is valid for ``public_key`` (and the file matches, if given)."""
    try:
        signature = base64.b64decode(signed["signature"]["value"], validate=True)
        Ed25519PublicKey.from_public_bytes(public_key).verify(
            signature, canonical_json(signed["manifest"])
        )
    except (InvalidSignature, KeyError, TypeError, ValueError):
        return False
    if file_bytes is not None:
        return bool(signed["manifest"]["file"]["sha256"] == sha256_hex(file_bytes))
    return True
