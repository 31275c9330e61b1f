"""k-of-n verification: distinct designated members, unrevoked registry keys, untampered text.

Each signature is judged on its own and either counted or refused with a reason; the release is
valid when the text matches its hash and the counted distinct members reach the threshold.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .canonical import CanonicalError, registry_payload, release_payload, text_hash
from .documents import DocumentError, Registry, Release, Signature, b64url_decode


def ed25519_verify(public_key: str, signature: str, payload: bytes) -> bool:
    """True when ``signature`` (base64url) is a valid Ed25519 signature of payload by public_key."""
    try:
        key = Ed25519PublicKey.from_public_bytes(b64url_decode(public_key))
        key.verify(b64url_decode(signature), payload)
    except (InvalidSignature, ValueError, DocumentError):
        return False
    return True


@dataclass(frozen=True)
class SignatureVerdict:
    member: str
    key: str
    counted: bool
    reason: str


@dataclass(frozen=True)
class Verdict:
    valid: bool
    threshold: int
    designated: int
    counted_members: tuple[str, ...]
    signatures: tuple[SignatureVerdict, ...]
    reasons: tuple[str, ...] = field(default=())  # why the release is not valid; empty if valid

    def as_dict(self) -> dict[str, object]:
        return {
            "valid": self.valid,
            "threshold": self.threshold,
            "designated": self.designated,
            "counted_members": list(self.counted_members),
            "reasons": list(self.reasons),
            "signatures": [
                {"member": s.member, "key": s.key, "counted": s.counted, "reason": s.reason}
                for s in self.signatures
            ],
        }


def verify_registry(registry: Registry, pinned_issuer_key: str | None = None) -> str | None:
    """None when the registry carries its issuer's valid signature, else the reason."""
    if pinned_issuer_key is not None and pinned_issuer_key != registry.issuer_public_key:
        return "the registry is signed by a different node than the pinned issuer key"
    try:
        payload = registry_payload(registry.body)
    except CanonicalError as exc:
        return f"the registry has no canonical form: {exc}"
    if not ed25519_verify(registry.issuer_public_key, registry.signature, payload):
        return "the registry's signature does not match its content (altered registry)"
    return None


def _judge(
    sig: Signature,
    *,
    payload: bytes,
    registry: Registry,
    designated: frozenset[str],
    seen_keys: set[str],
    counted: list[str],
) -> SignatureVerdict:
    def refuse(reason: str) -> SignatureVerdict:
        return SignatureVerdict(sig.member, sig.key, False, reason)

    if sig.key in seen_keys:
        return refuse(f"duplicate signer: key {sig.key[:12]}… already signed; counted once")
    seen_keys.add(sig.key)
    member = registry.members.get(sig.member)
    if member is None:
        return refuse(f"unknown member {sig.member}: not in the registry")
    owner = registry.key_owner(sig.key)
    if owner is None or owner[0].id != member.id:
        return refuse(f"key {sig.key[:12]}… is not a registered key of {member.name}")
    key = owner[1]
    if key.revoked_at is not None:
        return refuse(f"revoked key: {member.name}'s key was revoked at {key.revoked_at}")
    if member.id not in designated:
        return refuse(f"{member.name} is not a designated signer of this release")
    if member.id in counted:
        return refuse(f"duplicate signer: {member.name} already counted with another key")
    if not ed25519_verify(sig.key, sig.signature, payload):
        return refuse(f"{member.name}'s signature does not match the release (altered or forged)")
    counted.append(member.id)
    return SignatureVerdict(sig.member, sig.key, True, f"counted: {member.name}")


def verify_release(release: Release, registry: Registry) -> Verdict:
    """Judge every signature and the release as a whole (see the module docstring)."""
    reasons: list[str] = []
    designated = frozenset(release.signers)
    threshold = release.threshold
    if len(designated) != len(release.signers):
        reasons.append("the designated signers list a member twice")
    if not 1 <= threshold <= len(designated):
        reasons.append(f"threshold {threshold} is not between 1 and {len(designated)} signers")
    if text_hash(release.body["text"]) != release.body["text_sha256"]:
        reasons.append("tampered text: the text does not match the signed text hash")
    try:
        payload = release_payload(release.body)
    except CanonicalError as exc:
        reasons.append(f"the release has no canonical form: {exc}")
        payload = b""
    counted: list[str] = []
    seen: set[str] = set()
    verdicts = tuple(
        _judge(
            s,
            payload=payload,
            registry=registry,
            designated=designated,
            seen_keys=seen,
            counted=counted,
        )
        for s in release.signatures
    )
    if len(counted) < threshold:
        refused = [v.reason for v in verdicts if not v.counted]
        reasons.append(
            f"below threshold: {len(counted)} of {threshold} required distinct member signatures"
            + (" (" + "; ".join(refused) + ")" if refused else "")
        )
    return Verdict(
        valid=not reasons,
        threshold=threshold,
        designated=len(designated),
        counted_members=tuple(counted),
        signatures=verdicts,
        reasons=tuple(reasons),
    )
