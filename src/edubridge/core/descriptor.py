"""The public node descriptor served at /.well-known/edubridge; holds nothing private by design."""

from __future__ import annotations

from typing import Any

from django.conf import settings

import edubridge
from edubridge.core.identity import node_identity_ensure

DESCRIPTOR_FORMAT = "edubridge-node/1"


def node_descriptor() -> dict[str, Any]:
    """Build the descriptor from an allow-list of public values only."""
    identity = node_identity_ensure()
    node_settings = settings.NODE
    base_url = str(node_settings["BASE_URL"]).rstrip("/")
    return {
        "format": DESCRIPTOR_FORMAT,
        "node_id": str(identity.node_id),
        "name": node_settings["NAME"],
        "organization": node_settings["ORGANIZATION"],
        "country": node_settings["COUNTRY"],
        "languages": [code for code, _label in settings.LANGUAGES],
        "public_key": {
            "type": "Ed25519",
            "encoding": "base64url",
            "value": identity.public_key,
            "fingerprint_sha256": identity.key_fingerprint,
        },
        "api_base": f"{base_url}/api",
        "openapi": f"{base_url}/api/openapi.json",
        "software": {"name": "EduBridge", "version": edubridge.__version__},
    }
