"""DIDs for Ed25519 Multikeys: did:key (resolvable from the identifier) and did:web (a document).

did:key: the node issues as `did:key:<multikey>` and its verification method is
`did:key:<multikey>#<multikey>`; a verifier recovers the public key from the identifier itself.

did:web (W3C CCG did:web method): `did:web:<host>` (a port is written `%3A`, a path adds
`:segment`s) names the DID document served at `https://<host>/.well-known/did.json` (or
`https://<host>/<path>/did.json`). The engine never fetches it: a verifier passes a resolver
(`did -> document or None`) that answers from what it already holds, so verification is offline
and a DID document cannot change behind the verifier's back. Whether a key is *trusted* is a
separate question answered by the verifier's list of known issuers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from .multibase import MultibaseError, public_key_from_multibase, public_key_multibase

DID_V1 = "https://www.w3.org/ns/did/v1"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"

DidResolver = Callable[[str], Mapping[str, Any] | None]


class DidError(ValueError):
    """A DID or verification method cannot be resolved locally."""


def did_key_from_public_key(raw: bytes) -> str:
    """`did:key:z6Mk...` of a 32-byte Ed25519 public key."""
    return "did:key:" + public_key_multibase(raw)


def verification_method_for(raw: bytes) -> str:
    """The did:key verification method URL (`did:key:X#X`) used in proofs."""
    multikey = public_key_multibase(raw)
    return f"did:key:{multikey}#{multikey}"


def did_web_from_url(base_url: str) -> str:
    """The did:web naming the site at `base_url` (`https://node.example:8443/x` ->
    `did:web:node.example%3A8443:x`). The host is lower-cased; the port colon is percent-encoded."""
    parts = urlsplit(base_url)
    host = (parts.hostname or "").lower()
    if not host:
        raise DidError(f"no host in {base_url!r}; did:web needs the node's public host name")
    if ":" in host:
        raise DidError("did:web cannot name an IPv6 literal host; configure a host name")
    netloc = f"{host}:{parts.port}" if parts.port else host
    segments = [quote(s, safe="") for s in parts.path.split("/") if s]
    return ":".join(["did:web", quote(netloc, safe=""), *segments])


def did_web_document_url(did: str) -> str:
    """Where a did:web document is published (for people and for the DID document's `id` check)."""
    if not did.startswith("did:web:"):
        raise DidError(f"{did!r} is not a did:web")
    host, *path = did[len("did:web:") :].split(":")
    base = "https://" + unquote(host)
    return (
        f"{base}/{'/'.join(unquote(p) for p in path)}/did.json"
        if path
        else (f"{base}/.well-known/did.json")
    )


def did_web_verification_method(did: str, raw: bytes) -> str:
    """The verification method id of `raw` inside `did`'s document: `<did>#<multikey>`."""
    return f"{did}#{public_key_multibase(raw)}"


def did_document(did: str, keys: list[bytes]) -> dict[str, Any]:
    """A DID document listing `keys` as Multikey verification methods usable for assertions.

    The first key is the current one; earlier ones stay listed so credentials they signed still
    resolve (a key removed from the document no longer verifies anything)."""
    methods = [
        {
            "id": did_web_verification_method(did, raw),
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": public_key_multibase(raw),
        }
        for raw in keys
    ]
    ids = [m["id"] for m in methods]
    return {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
        "authentication": ids,
    }


def controller_of(verification_method: str) -> str:
    """The DID that controls a verification method (the part before '#')."""
    return verification_method.split("#", 1)[0]


def _method_key(document: Mapping[str, Any], verification_method: str) -> bytes:
    """The raw key of `verification_method` inside a DID document, if listed for assertions."""
    did = controller_of(verification_method)
    if document.get("id") != did:
        raise DidError(f"the DID document found for {did} names {document.get('id')!r}")

    def full(ref: str) -> str:
        return did + ref if ref.startswith("#") else ref

    assertion = document.get("assertionMethod", [])
    listed = {
        full(a if isinstance(a, str) else str(a.get("id", "")))
        for a in (assertion if isinstance(assertion, list) else [])
        if isinstance(a, (str, dict))
    }
    if verification_method not in listed:
        raise DidError(f"{verification_method} is not an assertion method of {did}")
    candidates = list(document.get("verificationMethod", []) or [])
    candidates += (
        [a for a in assertion if isinstance(a, dict)] if isinstance(assertion, list) else []
    )
    for method in candidates:
        if not isinstance(method, dict) or full(str(method.get("id", ""))) != verification_method:
            continue
        if method.get("type") != "Multikey" or not isinstance(
            method.get("publicKeyMultibase"), str
        ):
            raise DidError(f"{verification_method} is not an Ed25519 Multikey")
        try:
            return public_key_from_multibase(method["publicKeyMultibase"])
        except MultibaseError as error:
            raise DidError(f"bad publicKeyMultibase in {verification_method}: {error}") from error
    raise DidError(f"{verification_method} is not in the DID document of {did}")


def resolve_verification_method(
    verification_method: str, resolver: DidResolver | None = None
) -> bytes:
    """Raw Ed25519 public key of a verification method; DidError when it cannot be resolved.

    did:key resolves from the identifier; did:web through `resolver(did)`, which answers from
    documents the verifier already holds (never the network)."""
    if verification_method.startswith("did:web:"):
        did = controller_of(verification_method)
        document = resolver(did) if resolver is not None else None
        if document is None:
            raise DidError(
                f"cannot resolve {did} offline: its DID document ({did_web_document_url(did)}) "
                "is not known here, and the network is never used"
            )
        return _method_key(document, verification_method)
    if not verification_method.startswith("did:key:"):
        raise DidError(
            f"cannot resolve verification method {verification_method!r} offline "
            "(did:key resolves from the identifier; did:web needs its DID document)"
        )
    did, _, fragment = verification_method.partition("#")
    multikey = did[len("did:key:") :]
    if fragment and fragment != multikey:
        raise DidError("did:key fragment does not match the key in the identifier")
    try:
        return public_key_from_multibase(multikey)
    except MultibaseError as error:
        raise DidError(f"bad did:key: {error}") from error
