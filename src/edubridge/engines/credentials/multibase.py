"""Multibase (base58btc, base64url) and Multikey encodings used by Data Integrity proofs.

Ed25519 public keys travel as `z` + base58btc(0xed 0x01 + 32 bytes) ("z6Mk..."), private keys as
`z` + base58btc(0x80 0x26 + 32 bytes) ("z3u2..."), signatures as `z` + base58btc(64 bytes).
"""

from __future__ import annotations

import base64

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {char: value for value, char in enumerate(_ALPHABET)}

ED25519_PUB_PREFIX = b"\xed\x01"
ED25519_PRIV_PREFIX = b"\x80\x26"


class MultibaseError(ValueError):
    """A value is not valid multibase / multikey text."""


def base58_encode(data: bytes) -> str:
    """Bitcoin base58 of `data`; leading zero bytes become leading '1's."""
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, rest = divmod(number, 58)
        out.append(_ALPHABET[rest])
    zeros = len(data) - len(data.lstrip(b"\x00"))
    return "1" * zeros + "".join(reversed(out))


def base58_decode(text: str) -> bytes:
    """Inverse of base58_encode; raises MultibaseError on a character outside the alphabet."""
    number = 0
    for char in text:
        if char not in _INDEX:
            raise MultibaseError(f"{char!r} is not a base58btc character")
        number = number * 58 + _INDEX[char]
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\x00" * zeros + body


def multibase_encode(data: bytes) -> str:
    """base58btc multibase ('z' prefix), the encoding eddsa-rdfc-2022 uses for proof values."""
    return "z" + base58_encode(data)


def multibase_decode(text: str) -> bytes:
    """Decode 'z' (base58btc) or 'u' (base64url, no padding) multibase text."""
    if not text:
        raise MultibaseError("empty multibase value")
    if text[0] == "z":
        return base58_decode(text[1:])
    if text[0] == "u":
        body = text[1:]
        try:
            return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        except (ValueError, TypeError) as error:
            raise MultibaseError(f"bad base64url multibase value: {error}") from error
    raise MultibaseError(f"unsupported multibase prefix {text[0]!r} (expected 'z' or 'u')")


def base64url_multibase(data: bytes) -> str:
    """'u' + unpadded base64url: the encoding of a Bitstring Status List."""
    return "u" + base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def public_key_multibase(raw: bytes) -> str:
    """Multikey text of a 32-byte Ed25519 public key."""
    if len(raw) != 32:
        raise MultibaseError("an Ed25519 public key has 32 bytes")
    return multibase_encode(ED25519_PUB_PREFIX + raw)


def public_key_from_multibase(text: str) -> bytes:
    """32 raw bytes of an Ed25519 Multikey public key ('z6Mk...')."""
    data = multibase_decode(text)
    if len(data) != 34 or data[:2] != ED25519_PUB_PREFIX:
        raise MultibaseError("not an Ed25519 Multikey public key (expected 0xed01 + 32 bytes)")
    return data[2:]


def private_key_multibase(raw: bytes) -> str:
    """Multikey text of a 32-byte Ed25519 private key seed."""
    if len(raw) != 32:
        raise MultibaseError("an Ed25519 private key has 32 bytes")
    return multibase_encode(ED25519_PRIV_PREFIX + raw)


def private_key_from_multibase(text: str) -> bytes:
    """32-byte seed of an Ed25519 Multikey private key ('z3u2...')."""
    data = multibase_decode(text)
    if len(data) != 34 or data[:2] != ED25519_PRIV_PREFIX:
        raise MultibaseError("not an Ed25519 Multikey private key (expected 0x8026 + 32 bytes)")
    return data[2:]
