"""Bitstring Status List v1.0: revocation bits, GZIP-compressed, base64url multibase.

Bit 0 is the most significant bit of the first byte (the spec's left-to-right order). Lists have
at least 131,072 entries (16 KiB) so that one revoked credential cannot be singled out by size.
"""

from __future__ import annotations

import gzip
from typing import Any

from .contexts import VC_V2
from .multibase import MultibaseError, base64url_multibase, multibase_decode

MIN_ENTRIES = 131_072


class StatusListError(ValueError):
    """A status list or status entry is malformed."""


def encode_bits(revoked: set[int] | frozenset[int], size: int = MIN_ENTRIES) -> str:
    """encodedList text with the bits in `revoked` set; gzip mtime 0 keeps it reproducible."""
    if size < MIN_ENTRIES or size % 8:
        raise StatusListError(
            f"a status list needs at least {MIN_ENTRIES} entries, a multiple of 8"
        )
    buffer = bytearray(size // 8)
    for index in revoked:
        if not 0 <= index < size:
            raise StatusListError(f"status index {index} is outside the list of {size}")
        buffer[index // 8] |= 0x80 >> (index % 8)
    return base64url_multibase(gzip.compress(bytes(buffer), mtime=0))


def decode_bits(encoded: str) -> bytes:
    """The uncompressed bitstring of an encodedList value."""
    try:
        return gzip.decompress(multibase_decode(encoded))
    except (MultibaseError, OSError, EOFError) as error:
        raise StatusListError(
            f"encodedList is not a GZIP bitstring in multibase: {error}"
        ) from error


def bit_is_set(encoded: str, index: int) -> bool:
    """True when entry `index` is set (for revocation: the credential is revoked)."""
    bits = decode_bits(encoded)
    if not 0 <= index < len(bits) * 8:
        raise StatusListError(f"status index {index} is outside the list of {len(bits) * 8}")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(
    *, list_url: str, issuer_id: str, valid_from: str, revoked: set[int] | frozenset[int]
) -> dict[str, Any]:
    """An unsigned BitstringStatusListCredential for revocation."""
    return {
        "@context": [VC_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bits(revoked),
        },
    }
