"""Ed25519 key text helpers and the demo's hosted member keys (private halves in the data folder).

Hosted keys exist for the demo only: a real member keeps its private key on its own node and
uploads signatures. The private key files are 0600 under NODE["KEY_DIR"]/members/, never in the
database.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from edubridge.core.identity import b64url, public_key_text
from edubridge.engines.releases.documents import DocumentError, b64url_decode


def parse_public_key(text: str) -> str | None:
    """The key in canonical base64url form, or None when it is not a 32-byte Ed25519 key."""
    text = text.strip()
    try:
        raw = b64url_decode(text)
        Ed25519PublicKey.from_public_bytes(raw)
    except (DocumentError, ValueError):
        return None
    return b64url(raw)


def _folder() -> Path:
    folder = Path(str(settings.NODE["KEY_DIR"])) / "members"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def hosted_key_create(member_id: object) -> str:
    """Generate a member key kept by this node (demo); returns the public key text."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = public_key_text(key.public_key())
    path = _folder() / f"{member_id}-{public[:16]}.pem"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return public


def hosted_key_load(member_id: object, public_key: str) -> Ed25519PrivateKey | None:
    path = _folder() / f"{member_id}-{public_key[:16]}.pem"
    if not path.exists():
        return None
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    return loaded if isinstance(loaded, Ed25519PrivateKey) else None
