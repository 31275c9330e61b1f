"""Signed statements: the JWS in a signature attachment must be well formed and match."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any

from edubridge.engines.xapi.errors import XapiError
from edubridge.engines.xapi.syntax import truncate_duration

ALGORITHMS = {"RS256": "SHA256", "RS384": "SHA384", "RS512": "SHA512"}
# Properties the store may add or change after signing; they are not compared.
_IGNORED = ("id", "authority", "stored", "version", "timestamp", "attachments")


def _b64decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _comparable(statement: Mapping[str, Any], payload: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(statement)
    if isinstance(out.get("object"), dict):
        out["object"] = dict(out["object"])
    for holder in (out, out.get("object")):
        if isinstance(holder, dict) and isinstance(holder.get("result"), dict):
            result = dict(holder["result"])
            if isinstance(result.get("duration"), str):
                result["duration"] = truncate_duration(result["duration"])
            holder["result"] = result
    for key in _IGNORED:
        if key in ("id", "timestamp") and key in payload:
            continue
        out.pop(key, None)
    return out


def check_signature(statement: Mapping[str, Any], jws: bytes, path: str) -> None:
    """Raise XapiError if the JWS is malformed, uses a non-RSA algorithm, or does not match."""
    try:
        text = jws.decode("ascii").strip()
        header_b64, payload_b64, signature_b64 = text.split(".")
        header = json.loads(_b64decode(header_b64))
        payload = json.loads(_b64decode(payload_b64))
        signature = _b64decode(signature_b64)
    except (ValueError, UnicodeDecodeError) as exc:
        raise XapiError(path, "the signature is not a JWS in compact serialization") from exc
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise XapiError(path, "the JWS header and payload must be JSON objects")
    if header.get("alg") not in ALGORITHMS:
        raise XapiError(path, "the JWS algorithm must be RS256, RS384 or RS512")
    if _comparable(statement, payload) != _comparable(payload, payload):
        raise XapiError(path, "the JWS payload does not match the statement")
    chain = header.get("x5c")
    if chain:
        _verify_with_certificate(chain, header_b64, payload_b64, signature, header["alg"], path)


def _verify_with_certificate(
    chain: Any, header_b64: str, payload_b64: str, signature: bytes, alg: str, path: str
) -> None:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(chain[0]))
    except (ValueError, TypeError, IndexError) as exc:
        raise XapiError(path, "the JWS x5c certificate cannot be read") from exc
    key = certificate.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise XapiError(path, "the JWS x5c certificate must hold an RSA key")
    algorithm = {"RS256": hashes.SHA256(), "RS384": hashes.SHA384(), "RS512": hashes.SHA512()}[alg]
    try:
        key.verify(signature, f"{header_b64}.{payload_b64}".encode(), padding.PKCS1v15(), algorithm)
    except InvalidSignature as exc:
        raise XapiError(path, "the JWS signature does not verify with its x5c certificate") from exc
