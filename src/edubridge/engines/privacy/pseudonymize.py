"""Pseudonymization with a keyed hash (HMAC-SHA256).

The same value under the same key always gives the same pseudonym, so records stay linkable across
exports; without the key nobody can recompute or reverse it. The key is passed in and never
appears in any output: outputs name the key only by :func:`key_fingerprint`, an HMAC of a fixed
label, which identifies the key without revealing it. Re-identification is possible only at home,
where the key and the original values are (:func:`reidentification_table`).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .errors import PrivacyInputError

MIN_KEY_BYTES = 32
_FINGERPRINT_LABEL = b"edubridge/pseudonym-key-fingerprint/v1"


def _checked_key(key: bytes) -> bytes:
    if not isinstance(key, bytes | bytearray) or len(key) < MIN_KEY_BYTES:
        raise PrivacyInputError(
            f"a pseudonymization key must be at least {MIN_KEY_BYTES} random bytes"
        )
    return bytes(key)


def pseudonym(value: str, key: bytes, *, domain: str = "", length: int = 32) -> str:
    """Hex pseudonym of ``value`` (``length`` hex digits, 16..64).

    ``domain`` separates uses of one key (for example the column name), so the same learner id in
    two columns or datasets can be made unlinkable on purpose.
    """
    if not 16 <= length <= 64:
        raise PrivacyInputError(f"pseudonym length must be 16..64 hex digits, got {length}")
    message = domain.encode("utf-8") + b"\x00" + value.encode("utf-8")
    return hmac.new(_checked_key(key), message, hashlib.sha256).hexdigest()[:length]


def key_fingerprint(key: bytes) -> str:
    """A short, non-secret identifier of the key, safe to put in manifests."""
    return hmac.new(_checked_key(key), _FINGERPRINT_LABEL, hashlib.sha256).hexdigest()[:16]


@dataclass(frozen=True)
class PseudonymizedColumn:
    """Result of pseudonymizing one column of a table (the key is not in it)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    column: str
    domain: str
    key_fingerprint: str


def pseudonymize_column(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    column: str,
    key: bytes,
    *,
    domain: str | None = None,
) -> PseudonymizedColumn:
    """Replace every value of ``column`` by its pseudonym (domain defaults to the column name)."""
    if column not in header:
        raise PrivacyInputError(f"unknown column {column!r}; the table has: {', '.join(header)}")
    index = list(header).index(column)
    scope = column if domain is None else domain
    cache: dict[str, str] = {}
    out: list[tuple[str, ...]] = []
    for row in rows:
        value = row[index]
        alias = cache.get(value)
        if alias is None:
            alias = cache[value] = pseudonym(value, key, domain=scope)
        out.append((*row[:index], alias, *row[index + 1 :]))
    return PseudonymizedColumn(
        header=tuple(header),
        rows=tuple(out),
        column=column,
        domain=scope,
        key_fingerprint=key_fingerprint(key),
    )


def reidentification_table(
    originals: Iterable[str], key: bytes, *, domain: str = "", length: int = 32
) -> dict[str, str]:
    """Home-side lookup pseudonym -> original, built from the home records and the home key.

    Refuses when two originals collide on one pseudonym (then ``length`` is too short to be safe).
    """
    table: dict[str, str] = {}
    for value in originals:
        alias = pseudonym(value, key, domain=domain, length=length)
        earlier = table.setdefault(alias, value)
        if earlier != value:
            raise PrivacyInputError(
                f"pseudonym collision between two originals at length {length}; use a longer one"
            )
    return table


def reidentify(
    pseudonyms: Iterable[str], originals: Iterable[str], key: bytes, *, domain: str = ""
) -> dict[str, str | None]:
    """Map returned pseudonyms back to originals at home; ``None`` for those not recognised."""
    wanted = list(pseudonyms)
    lengths = {len(p) for p in wanted} or {32}
    if len(lengths) != 1:
        raise PrivacyInputError("pseudonyms of different lengths cannot come from one export")
    table = reidentification_table(originals, key, domain=domain, length=lengths.pop())
    return {p: table.get(p) for p in wanted}
