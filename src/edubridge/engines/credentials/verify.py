"""Verify an AchievementCredential and say why when it fails.

Checks, in order: shape (VC 2.0), contexts (local copies only), proof shape and that the proof's
key belongs to the issuer, issuer trust, signature, validity dates, revocation. Every check is
reported; the first failing one is the reason a person reads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .achievement import credential_summary
from .canonical import CanonicalizationError
from .contexts import VC_V2, LocalContextLoader, UnknownContextError, context_urls
from .did import DidError, DidResolver, controller_of, resolve_verification_method
from .proof import ProofError, single_proof, verify_proof
from .status_list import StatusListError, bit_is_set

StatusListProvider = Callable[[str], Mapping[str, Any] | None]


@dataclass(frozen=True)
class Check:
    """One verification step: ok True/False, or None when it could not be checked."""

    name: str
    ok: bool | None
    detail: str


@dataclass(frozen=True)
class VerificationReport:
    valid: bool
    reason: str | None
    checks: tuple[Check, ...]
    summary: dict[str, Any] = field(default_factory=dict)
    revoked: bool = False
    issuer_trusted: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "reason": self.reason,
            "revoked": self.revoked,
            "issuer_trusted": self.issuer_trusted,
            "summary": self.summary,
            "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in self.checks],
        }


def parse_datetime(text: Any) -> datetime:
    """An XML Schema dateTime with a time zone ('Z' or an offset) as an aware datetime."""
    if not isinstance(text, str):
        raise ValueError(f"{text!r} is not a date-time string")
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone")
    return value


JSONLD_KEYWORDS = frozenset(
    {
        "@context",
        "@id",
        "@type",
        "@value",
        "@language",
        "@direction",
        "@list",
        "@set",
        "@graph",
        "@included",
        "@index",
        "@json",
        "@nest",
        "@reverse",
        "@vocab",
        "@base",
        "@version",
        "@protected",
        "@container",
        "@prefix",
        "@propagate",
        "@import",
        "@none",
    }
)


def unknown_keywords(value: Any, path: str = "") -> list[str]:
    """Paths of '@'-keys that are not JSON-LD keywords.

    pyld has no "safe mode": such keys are dropped silently during canonicalization, so a field
    could be added to a signed credential without breaking the signature. Refuse them instead.
    """
    found: list[str] = []
    if isinstance(value, dict):
        for key, child in value.items():
            where = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and key.startswith("@") and key not in JSONLD_KEYWORDS:
                found.append(where)
            found.extend(unknown_keywords(child, where))
    elif isinstance(value, list):
        for position, child in enumerate(value):
            found.extend(unknown_keywords(child, f"{path}[{position}]"))
    return found


def _issuer_id(credential: Mapping[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    if isinstance(issuer, dict):
        value = issuer.get("id")
        return value if isinstance(value, str) else None
    return issuer if isinstance(issuer, str) else None


class _Run:
    def __init__(self) -> None:
        self.checks: list[Check] = []

    def add(self, name: str, ok: bool | None, detail: str) -> bool:
        self.checks.append(Check(name, ok, detail))
        return ok is not False

    def reason(self) -> str | None:
        return next((c.detail for c in self.checks if c.ok is False), None)


def verify_credential(
    credential: Mapping[str, Any],
    *,
    loader: LocalContextLoader,
    now: datetime,
    trusted_issuers: Mapping[str, str] | None = None,
    require_trusted_issuer: bool = False,
    status_lists: StatusListProvider | None = None,
    require_status: bool = False,
    did_resolver: DidResolver | None = None,
) -> VerificationReport:
    """Verify `credential` at time `now` (aware).

    `trusted_issuers` maps issuer ids (DIDs) this node knows to a label. An issuer outside it is
    still verified through its did:key, and the report says it is not known, unless
    `require_trusted_issuer` makes that a failure. `status_lists(url)` returns the
    BitstringStatusListCredential at `url`, or None when it is not available offline.
    `did_resolver(did)` returns a did:web issuer's DID document from what the verifier holds.
    """
    run = _Run()
    summary = credential_summary(dict(credential))
    report_flags = {"revoked": False, "trusted": False}

    def finish() -> VerificationReport:
        reason = run.reason()
        return VerificationReport(
            valid=reason is None,
            reason=reason,
            checks=tuple(run.checks),
            summary=summary,
            revoked=report_flags["revoked"],
            issuer_trusted=report_flags["trusted"],
        )

    contexts = context_urls(credential)
    types = credential.get("type")
    types = types if isinstance(types, list) else [types]
    issuer = _issuer_id(credential)
    if not contexts or contexts[0] != VC_V2 or "VerifiableCredential" not in types or not issuer:
        run.add(
            "shape",
            False,
            "not a W3C Verifiable Credential 2.0: it needs the VC 2.0 context first, "
            "the type VerifiableCredential and an issuer",
        )
        return finish()
    strange = unknown_keywords(credential)
    if strange:
        run.add(
            "shape",
            False,
            f"{strange[0]} is not a JSON-LD keyword; it would be ignored by the signature",
        )
        return finish()
    run.add("shape", True, "W3C Verifiable Credential 2.0")

    unknown = [url for url in contexts if not loader.knows(url)]
    if unknown:
        run.add("contexts", False, str(UnknownContextError(unknown[0])))
        return finish()
    run.add("contexts", True, f"{len(contexts)} contexts served from local copies")

    try:
        proof = single_proof(credential)
        public_key = resolve_verification_method(proof["verificationMethod"], did_resolver)
    except (ProofError, DidError) as error:
        run.add("proof", False, str(error))
        return finish()
    if controller_of(proof["verificationMethod"]) != issuer:
        run.add(
            "proof",
            False,
            f"the proof was made with a key of {controller_of(proof['verificationMethod'])}, "
            f"not of the issuer {issuer}",
        )
        return finish()
    if proof.get("proofPurpose") != "assertionMethod":
        run.add(
            "proof", False, f"proof purpose is {proof.get('proofPurpose')!r}, not assertionMethod"
        )
        return finish()
    run.add("proof", True, "eddsa-rdfc-2022 DataIntegrityProof by the issuer's key")

    known = trusted_issuers or {}
    if issuer in known:
        report_flags["trusted"] = True
        run.add("issuer", True, f"issuer known to this node: {known[issuer]}")
    elif require_trusted_issuer:
        run.add("issuer", False, f"issuer {issuer} is not known to this node (unknown key)")
    else:
        run.add(
            "issuer",
            None,
            f"issuer key resolved from its {'DID document' if issuer.startswith('did:web:') else 'did:key'}; "
            f"{issuer} is not in this node's list",
        )

    try:
        signature_ok = verify_proof(credential, public_key=public_key, loader=loader)
    except (ProofError, CanonicalizationError, UnknownContextError) as error:
        run.add("signature", False, str(error))
        return finish()
    if not signature_ok:
        run.add(
            "signature",
            False,
            "the signature does not match the content: a field (such as the name, a date or the "
            "achievement) was changed after signing, or it was signed with another key",
        )
        return finish()
    run.add("signature", True, "signature holds: the content is exactly what the issuer signed")

    _check_dates(run, credential, now)
    _check_status(
        run,
        credential,
        issuer,
        loader,
        now,
        status_lists,
        require_status,
        report_flags,
        did_resolver,
    )
    return finish()


def _check_dates(run: _Run, credential: Mapping[str, Any], now: datetime) -> None:
    try:
        valid_from = parse_datetime(credential["validFrom"]) if "validFrom" in credential else None
        valid_until = (
            parse_datetime(credential["validUntil"]) if "validUntil" in credential else None
        )
    except ValueError as error:
        run.add("dates", False, f"bad validity date: {error}")
        return
    if valid_from is not None and now < valid_from:
        run.add("dates", False, f"not valid yet: valid from {credential['validFrom']}")
    elif valid_until is not None and now >= valid_until:
        run.add("dates", False, f"expired on {credential['validUntil']}")
    else:
        until = f" until {credential['validUntil']}" if valid_until else ", no end date"
        run.add("dates", True, f"valid from {credential.get('validFrom', '(unstated)')}{until}")


def _check_status(
    run: _Run,
    credential: Mapping[str, Any],
    issuer: str,
    loader: LocalContextLoader,
    now: datetime,
    status_lists: StatusListProvider | None,
    require_status: bool,
    flags: dict[str, bool],
    did_resolver: DidResolver | None = None,
) -> None:
    entries = credential.get("credentialStatus")
    if entries is None:
        run.add("status", True, "no status entry: the credential cannot be revoked")
        return
    entries = entries if isinstance(entries, list) else [entries]
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            run.add(
                "status", False, "unsupported credentialStatus (expected BitstringStatusListEntry)"
            )
            return
        if entry.get("statusPurpose") != "revocation":
            continue
        url = entry.get("statusListCredential")
        try:
            index = int(entry.get("statusListIndex", ""))
        except ValueError:
            run.add("status", False, "statusListIndex is not a whole number")
            return
        status_list = status_lists(str(url)) if status_lists is not None else None
        if status_list is None:
            run.add(
                "status",
                False if require_status else None,
                f"revocation not checked: status list {url} is not available offline",
            )
            return
        inner = verify_credential(
            status_list, loader=loader, now=now, status_lists=None, did_resolver=did_resolver
        )
        if not inner.valid or _issuer_id(status_list) != issuer:
            why = inner.reason or "it was issued by someone else"
            run.add("status", False, f"the status list {url} cannot be trusted: {why}")
            return
        subject = status_list.get("credentialSubject")
        encoded = subject.get("encodedList") if isinstance(subject, dict) else None
        try:
            revoked = bit_is_set(str(encoded), index)
        except StatusListError as error:
            run.add("status", False, str(error))
            return
        if revoked:
            flags["revoked"] = True
            run.add(
                "status",
                False,
                f"revoked: entry {index} is set in the status list issued {status_list.get('validFrom')}",
            )
            return
        run.add("status", True, f"not revoked (status list of {status_list.get('validFrom')})")
        return
    run.add("status", True, "no revocation entry")
