"""Issue signed credentials: an issuer is a DID (did:key, or a did:web naming the key) plus a signer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .achievement import AchievementClaim, achievement_credential
from .contexts import LocalContextLoader
from .did import did_key_from_public_key, did_web_verification_method, verification_method_for
from .proof import Signer, add_proof
from .status_list import status_list_credential


@dataclass(frozen=True)
class IssuerKey:
    """The issuer's public key and a function that signs bytes with the matching private key.

    With `web_did` (`did:web:<host>`) the issuer is that did:web and the verification method is
    `<did>#<multikey>` in its DID document; otherwise the did:key of the public key."""

    public_key: bytes
    sign: Signer
    web_did: str | None = None

    @property
    def did(self) -> str:
        return self.web_did or did_key_from_public_key(self.public_key)

    @property
    def verification_method(self) -> str:
        if self.web_did:
            return did_web_verification_method(self.web_did, self.public_key)
        return verification_method_for(self.public_key)


def issue_achievement(
    claim: AchievementClaim, *, key: IssuerKey, created: str, loader: LocalContextLoader
) -> dict[str, Any]:
    """A signed AchievementCredential; `claim.issuer_id` must be the key's DID."""
    if claim.issuer_id != key.did:
        raise ValueError(f"issuer id {claim.issuer_id} is not the signing key's {key.did}")
    return add_proof(
        achievement_credential(claim),
        sign=key.sign,
        verification_method=key.verification_method,
        created=created,
        loader=loader,
    )


def issue_status_list(
    *,
    list_url: str,
    revoked: set[int] | frozenset[int],
    key: IssuerKey,
    created: str,
    loader: LocalContextLoader,
) -> dict[str, Any]:
    """A signed BitstringStatusListCredential with the `revoked` indexes set."""
    unsigned = status_list_credential(
        list_url=list_url, issuer_id=key.did, valid_from=created, revoked=revoked
    )
    return add_proof(
        unsigned,
        sign=key.sign,
        verification_method=key.verification_method,
        created=created,
        loader=loader,
    )
