"""The node as a credential issuer: its DID (did:key or did:web), its signer, the local contexts,
the status lists.

`settings.EDUBRIDGE_CREDENTIAL_ISSUER` chooses the DID new credentials name: "did:key" (the
default; any verifier recovers the key from the identifier) or "did:web" (`did:web:<host of
NODE["BASE_URL"]>`, whose document this node serves at /.well-known/did.json). The node trusts,
and its verification page resolves locally, both of its own DIDs, so switching the setting leaves
every credential already issued verifiable. Signing goes through
edubridge.core.identity.node_sign, so the private key never leaves the identity module.
"""

from __future__ import annotations

import base64
from contextlib import suppress
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

from edubridge.core.identity import node_identity_ensure, node_sign
from edubridge.engines.credentials.contexts import LocalContextLoader, default_context_dir
from edubridge.engines.credentials.did import did_document, did_web_from_url
from edubridge.engines.credentials.issue import IssuerKey

STATUS_LIST_NUMBER = 1
DID_KEY = "did:key"
DID_WEB = "did:web"


def node_public_key() -> bytes:
    text = node_identity_ensure().public_key
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issuer_method() -> str:
    """ "did:key" or "did:web", from settings.EDUBRIDGE_CREDENTIAL_ISSUER (default did:key)."""
    value = str(getattr(settings, "EDUBRIDGE_CREDENTIAL_ISSUER", DID_KEY) or DID_KEY).strip()
    if value not in (DID_KEY, DID_WEB):
        raise ValueError(
            f"EDUBRIDGE_CREDENTIAL_ISSUER is {value!r}; it must be {DID_KEY!r} or {DID_WEB!r}"
        )
    return value


def node_did_web() -> str:
    """`did:web:<host>` of the node's configured public URL (settings.NODE["BASE_URL"])."""
    return did_web_from_url(base_url())


def node_issuer(method: str | None = None) -> IssuerKey:
    """The node's issuer key under `method` (default: the configured one)."""
    method = method or issuer_method()
    web = node_did_web() if method == DID_WEB else None
    return IssuerKey(public_key=node_public_key(), sign=node_sign, web_did=web)


def node_dids() -> dict[str, str]:
    """Both DIDs of this node -> the method name; the verification page trusts both."""
    dids = {node_issuer(DID_KEY).did: DID_KEY}
    with suppress(ValueError):  # no usable host in BASE_URL: the node has no did:web
        dids[node_did_web()] = DID_WEB
    return dids


def node_did_document() -> dict[str, Any]:
    """The node's DID document: its Ed25519 key as a Multikey assertion method."""
    return did_document(node_did_web(), [node_public_key()])


@lru_cache(maxsize=4)
def _loader(folder: str) -> LocalContextLoader:
    return LocalContextLoader(Path(folder))


def context_loader() -> LocalContextLoader:
    """Local-only JSON-LD loader; settings.EDUBRIDGE_CREDENTIAL_CONTEXTS overrides the folder."""
    folder = getattr(settings, "EDUBRIDGE_CREDENTIAL_CONTEXTS", None) or default_context_dir()
    return _loader(str(folder))


def base_url() -> str:
    return str(settings.NODE["BASE_URL"]).rstrip("/")


def status_list_url(method: str | None = None) -> str:
    """One status list per issuer DID (same indexes, same revocations), each signed by its DID,
    because a verifier accepts a status list only from the credential's own issuer."""
    if (method or issuer_method()) == DID_WEB:
        return f"{base_url()}/training/credentials/status/web/{STATUS_LIST_NUMBER}"
    return f"{base_url()}/training/credentials/status/{STATUS_LIST_NUMBER}"
