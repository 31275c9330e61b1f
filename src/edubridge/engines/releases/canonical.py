"""Canonical JSON: the exact bytes a signature covers, so any two implementations agree.

Rules (docs/adr/0019): UTF-8; object keys sorted by code point; no whitespace between tokens;
strings as JSON escapes only what JSON requires (non-ASCII kept as UTF-8); integers only
(no floats, so no number formatting ambiguity); text normalised to Unicode NFC with ``\\n`` line
endings before hashing. For ASCII keys this equals RFC 8785 (JCS) output.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from typing import Any

RELEASE_FORMAT = "edubridge-release/1"
REGISTRY_FORMAT = "edubridge-registry/1"
# Domain separation: a member's signature on a release can never be replayed as anything else.
RELEASE_DOMAIN = b"EDUBRIDGE-RELEASE-V1\n"
REGISTRY_DOMAIN = b"EDUBRIDGE-REGISTRY-V1\n"


class CanonicalError(ValueError):
    """A value that has no canonical form (a float, a non-string key, an unknown type)."""


def _check(value: Any, where: str) -> None:
    if value is None or isinstance(value, (bool, int, str)):
        return
    if isinstance(value, float):
        raise CanonicalError(f"{where}: floats have no canonical form; use an integer or a string")
    if isinstance(value, list):
        for k, item in enumerate(value):
            _check(item, f"{where}[{k}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalError(f"{where}: object keys must be strings")
            _check(item, f"{where}.{key}")
        return
    raise CanonicalError(f"{where}: {type(value).__name__} is not JSON")


def canonical_json(value: Any) -> bytes:
    """The canonical UTF-8 bytes of a JSON value (see the module docstring)."""
    _check(value, "$")
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def normalise_text(text: str) -> str:
    """NFC, ``\\n`` line endings: the same statement typed on two systems hashes the same."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_hash(text: str) -> str:
    """SHA-256 (hex) of the normalised text's UTF-8 bytes."""
    return sha256_hex(normalise_text(text).encode("utf-8"))


# The fields of a release that a signature covers; the text itself is covered through its hash.
SIGNED_FIELDS = (
    "format",
    "id",
    "title",
    "version",
    "language",
    "issued_by",
    "signers",
    "threshold",
    "metadata",
    "text_sha256",
)


def release_statement(release: dict[str, Any]) -> dict[str, Any]:
    """The signed statement: the release's signed fields only (text replaced by its hash)."""
    missing = [f for f in SIGNED_FIELDS if f not in release]
    if missing:
        raise CanonicalError("the release lacks " + ", ".join(missing))
    return {f: release[f] for f in SIGNED_FIELDS}


def release_payload(release: dict[str, Any]) -> bytes:
    """The exact bytes every member signs for a release."""
    return RELEASE_DOMAIN + canonical_json(release_statement(release))


def registry_payload(registry: dict[str, Any]) -> bytes:
    """The exact bytes the secretariat node signs for the registry body."""
    return REGISTRY_DOMAIN + canonical_json(registry)


def release_body(
    *,
    release_id: str,
    title: str,
    version: int,
    language: str,
    issued_by: str,
    signers: list[str],
    threshold: int,
    metadata: dict[str, Any],
    text: str,
) -> dict[str, Any]:
    """A release body (signed fields plus the normalised text) in its one canonical shape."""
    clean = normalise_text(text)
    return {
        "format": RELEASE_FORMAT,
        "id": release_id,
        "title": title,
        "version": version,
        "language": language,
        "issued_by": issued_by,
        "signers": sorted(signers),
        "threshold": threshold,
        "metadata": metadata,
        "text_sha256": text_hash(clean),
        "text": clean,
    }
