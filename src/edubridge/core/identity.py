"""The node's Ed25519 identity: created once, private key kept in a 0600 file, never in the database."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import transaction

from edubridge.core.audit import audit_record
from edubridge.core.models import NodeIdentity

PRIVATE_KEY_FILE = "node-ed25519.pem"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _key_path() -> Path:
    folder = Path(str(settings.NODE["KEY_DIR"]))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder / PRIVATE_KEY_FILE


def _load_or_create_private_key() -> tuple[Ed25519PrivateKey, bool]:
    path = _key_path()
    if path.exists():
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(loaded, Ed25519PrivateKey):
            raise RuntimeError(f"{path} does not hold an Ed25519 private key")
        return loaded, False
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # Create with 0600 from the start so the key is never readable by others, even briefly.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return key, True


def public_key_text(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return b64url(raw)


def node_identity_ensure() -> NodeIdentity:
    """Return the node identity, creating the key pair on first use (first migrate)."""
    key, created_key = _load_or_create_private_key()
    public = public_key_text(key.public_key())
    with transaction.atomic():
        identity = NodeIdentity.objects.select_for_update().first()
        if identity is not None and identity.public_key == public:
            return identity
        fingerprint = hashlib.sha256(public.encode("ascii")).hexdigest()
        if identity is None:
            identity = NodeIdentity.objects.create(public_key=public, key_fingerprint=fingerprint)
        else:
            identity.public_key, identity.key_fingerprint = public, fingerprint
            identity.save(update_fields=["public_key", "key_fingerprint"])
        audit_record(
            action="node.key_created" if created_key else "node.key_registered",
            target=str(identity.node_id),
            details={"fingerprint": fingerprint},
        )
    return identity


def node_sign(payload: bytes) -> bytes:
    """Sign bytes with the node's private key (used by federation, releases and credentials)."""
    key, _ = _load_or_create_private_key()
    return key.sign(payload)


def node_verify(payload: bytes, signature: bytes, public_key_b64url: str) -> bool:
    padded = public_key_b64url + "=" * (-len(public_key_b64url) % 4)
    public = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(padded))
    try:
        public.verify(signature, payload)
    except Exception:
        return False
    return True
