"""did:key for Ed25519 Multikeys: the node's issuer identifier, resolvable without a network.

The node issues as `did:key:<multikey>`, and its verification method is
`did:key:<multikey>#<multikey>`. A verifier recovers the public key from the identifier itself,
so a credential can be checked anywhere; whether the key is *trusted* is a separate question
answered by the verifier's list of known issuer keys.
"""

from __future__ import annotations

from .multibase import MultibaseError, public_key_from_multibase, public_key_multibase


class DidError(ValueError):
    """A DID or verification method cannot be resolved locally."""


def did_key_from_public_key(raw: bytes) -> str:
    """`did:key:z6Mk...` of a 32-byte Ed25519 public key."""
    return "did:key:" + public_key_multibase(raw)


def verification_method_for(raw: bytes) -> str:
    """The did:key verification method URL (`did:key:X#X`) used in proofs."""
    multikey = public_key_multibase(raw)
    return f"did:key:{multikey}#{multikey}"


def controller_of(verification_method: str) -> str:
    """The DID that controls a verification method (the part before '#')."""
    return verification_method.split("#", 1)[0]


def resolve_verification_method(verification_method: str) -> bytes:
    """Raw Ed25519 public key of a did:key verification method; DidError otherwise."""
    if not verification_method.startswith("did:key:"):
        raise DidError(
            f"cannot resolve verification method {verification_method!r} offline "
            "(only did:key is resolvable; other issuers must be in the known keys)"
        )
    did, _, fragment = verification_method.partition("#")
    multikey = did[len("did:key:") :]
    if fragment and fragment != multikey:
        raise DidError("did:key fragment does not match the key in the identifier")
    try:
        return public_key_from_multibase(multikey)
    except MultibaseError as error:
        raise DidError(f"bad did:key: {error}") from error
