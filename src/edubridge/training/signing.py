"""The node as a credential issuer: its did:key, its signer, the local contexts, the status list.

The issuer is `did:key:<multikey of the node's Ed25519 public key>`, so any verifier can recover
the key from the credential itself; this node trusts exactly its own did:key. Signing goes through
edubridge.core.identity.node_sign, so the private key never leaves the identity module.
"""

from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from edubridge.core.identity import node_identity_ensure, node_sign
from edubridge.engines.credentials.contexts import LocalContextLoader, default_context_dir
from edubridge.engines.credentials.issue import IssuerKey

STATUS_LIST_NUMBER = 1


def node_public_key() -> bytes:
    text = node_identity_ensure().public_key
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def node_issuer() -> IssuerKey:
    return IssuerKey(public_key=node_public_key(), sign=node_sign)


@lru_cache(maxsize=4)
def _loader(folder: str) -> LocalContextLoader:
    return LocalContextLoader(Path(folder))


def context_loader() -> LocalContextLoader:
    """Local-only JSON-LD loader; settings.EDUBRIDGE_CREDENTIAL_CONTEXTS overrides the folder."""
    folder = getattr(settings, "EDUBRIDGE_CREDENTIAL_CONTEXTS", None) or default_context_dir()
    return _loader(str(folder))


def base_url() -> str:
    return str(settings.NODE["BASE_URL"]).rstrip("/")


def status_list_url() -> str:
    return f"{base_url()}/training/credentials/status/{STATUS_LIST_NUMBER}"
