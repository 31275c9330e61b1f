"""The node has an Ed25519 identity; its descriptor is public and holds nothing private."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.test import Client

from edubridge.core.identity import (
    PRIVATE_KEY_FILE,
    b64url,
    node_identity_ensure,
    node_sign,
    node_verify,
)
from edubridge.core.models import AuditEvent, NodeIdentity

pytestmark = pytest.mark.django_db


def _private_key_material() -> list[str]:
    pem = (Path(settings.NODE["KEY_DIR"]) / PRIVATE_KEY_FILE).read_bytes()
    key = serialization.load_pem_private_key(pem, password=None)
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return [pem.decode(), b64url(raw), raw.hex(), "PRIVATE"]


def test_identity_exists_after_migrate_with_one_row() -> None:
    assert NodeIdentity.objects.count() == 1


def test_private_key_file_is_readable_by_owner_only() -> None:
    path = Path(settings.NODE["KEY_DIR"]) / PRIVATE_KEY_FILE
    assert path.stat().st_mode & 0o077 == 0


def test_ensuring_identity_again_keeps_the_same_key() -> None:
    first = node_identity_ensure()
    assert node_identity_ensure().public_key == first.public_key


def test_descriptor_is_served_at_well_known_with_public_facts(client: Client) -> None:
    response = client.get("/.well-known/edubridge")
    assert response.status_code == 200
    body = response.json()
    identity = NodeIdentity.objects.get()
    assert body["node_id"] == str(identity.node_id)
    assert body["public_key"]["value"] == identity.public_key
    assert body["api_base"].endswith("/api")
    assert {"name", "organization", "country", "languages", "software"} <= set(body)


def test_descriptor_never_contains_private_material(client: Client) -> None:
    text = json.dumps(client.get("/.well-known/edubridge").json())
    for secret in _private_key_material():
        assert secret not in text
    assert settings.SECRET_KEY not in text


def test_database_never_holds_the_private_key() -> None:
    stored = json.dumps(list(NodeIdentity.objects.values()), default=str)
    for secret in _private_key_material()[:3]:
        assert secret not in stored


def test_signatures_verify_with_the_published_key() -> None:
    identity = node_identity_ensure()
    signature = node_sign(b"joint release v1")
    assert node_verify(b"joint release v1", signature, identity.public_key)
    assert not node_verify(b"joint release v2", signature, identity.public_key)


def test_key_registration_is_audited() -> None:
    assert AuditEvent.objects.filter(action__startswith="node.key_").exists()
