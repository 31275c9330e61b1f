"""Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite (W3C VC-DI-EDDSA 1.0, section 3.3).

hashData = SHA-256(canonical proof configuration) || SHA-256(canonical document without proof);
proofValue = multibase base58btc of the Ed25519 signature over hashData. Signing takes a
`sign(bytes) -> bytes` callable so the node's private key never leaves its own module.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .canonical import canonical_nquads
from .contexts import LocalContextLoader
from .multibase import MultibaseError, multibase_decode, multibase_encode

CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"

Signer = Callable[[bytes], bytes]


class ProofError(ValueError):
    """A proof is malformed (missing fields, wrong type or cryptosuite, bad encoding)."""


@dataclass(frozen=True)
class HashData:
    """The two canonical forms and the bytes that are signed; kept for explanations and tests."""

    canonical_proof_config: str
    canonical_document: str
    data: bytes


def hash_data(
    document: Mapping[str, Any], proof_config: Mapping[str, Any], loader: LocalContextLoader
) -> HashData:
    """Transformation + hashing steps of eddsa-rdfc-2022 for an unsecured document."""
    config = dict(proof_config)
    config.pop("proofValue", None)
    if "@context" not in config and "@context" in document:
        config["@context"] = copy.deepcopy(document["@context"])
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    canonical_config = canonical_nquads(config, loader)
    canonical_document = canonical_nquads(unsecured, loader)
    data = (
        hashlib.sha256(canonical_config.encode("utf-8")).digest()
        + hashlib.sha256(canonical_document.encode("utf-8")).digest()
    )
    return HashData(canonical_config, canonical_document, data)


def proof_config(
    *,
    verification_method: str,
    created: str,
    context: Any,
    proof_purpose: str = "assertionMethod",
) -> dict[str, Any]:
    """A proof configuration (the proof without its value) in the field order the spec shows."""
    return {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
        "@context": copy.deepcopy(context),
    }


def add_proof(
    document: Mapping[str, Any],
    *,
    sign: Signer,
    verification_method: str,
    created: str,
    loader: LocalContextLoader,
    proof_purpose: str = "assertionMethod",
) -> dict[str, Any]:
    """Return a copy of `document` secured with an eddsa-rdfc-2022 DataIntegrityProof.

    `created` is an XML Schema dateTime string (passed in so results are reproducible).
    """
    if "proof" in document:
        raise ProofError("the document already carries a proof")
    config = proof_config(
        verification_method=verification_method,
        created=created,
        context=document.get("@context"),
        proof_purpose=proof_purpose,
    )
    hashed = hash_data(document, config, loader)
    signature = sign(hashed.data)
    proof = {key: value for key, value in config.items() if key != "@context"}
    proof["proofValue"] = multibase_encode(signature)
    secured = copy.deepcopy(dict(document))
    secured["proof"] = proof
    return secured


def single_proof(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document's one eddsa-rdfc-2022 proof, or ProofError saying what is wrong with it."""
    proof = document.get("proof")
    if isinstance(proof, list):
        if len(proof) != 1:
            raise ProofError("expected exactly one proof")
        proof = proof[0]
    if not isinstance(proof, dict):
        raise ProofError("the credential has no proof")
    if proof.get("type") != PROOF_TYPE:
        raise ProofError(f"proof type is {proof.get('type')!r}, expected {PROOF_TYPE!r}")
    if proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(f"cryptosuite is {proof.get('cryptosuite')!r}, expected {CRYPTOSUITE!r}")
    for field in ("verificationMethod", "proofPurpose", "proofValue"):
        if not isinstance(proof.get(field), str):
            raise ProofError(f"the proof lacks {field}")
    return proof


def verify_proof(
    document: Mapping[str, Any], *, public_key: bytes, loader: LocalContextLoader
) -> bool:
    """True when the document's proof is a valid Ed25519 signature by `public_key`."""
    proof = single_proof(document)
    try:
        signature = multibase_decode(proof["proofValue"])
    except MultibaseError as error:
        raise ProofError(f"proofValue is not multibase: {error}") from error
    if proof["proofValue"][0] != "z" or len(signature) != 64:
        raise ProofError("proofValue must be a base58btc-encoded 64-byte Ed25519 signature")
    config = {key: value for key, value in proof.items() if key != "proofValue"}
    if "@context" in config and config["@context"] != document.get("@context"):
        raise ProofError("the proof's @context differs from the credential's")
    hashed = hash_data(document, config, loader)
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, hashed.data)
    except InvalidSignature:
        return False
    return True
