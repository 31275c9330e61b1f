"""multipart/mixed bodies for statements with attachments: parse requests, build responses."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from edubridge.engines.xapi.errors import XapiError

_HASHES = {64: hashlib.sha256, 96: hashlib.sha384, 128: hashlib.sha512}


@dataclass(frozen=True)
class Part:
    headers: dict[str, str]  # lower-cased names
    body: bytes


def content_type_params(header: str) -> tuple[str, dict[str, str]]:
    """Split ``multipart/mixed; boundary=x`` into the media type and its parameters."""
    media, *params = header.split(";")
    values: dict[str, str] = {}
    for param in params:
        name, _, value = param.strip().partition("=")
        values[name.strip().lower()] = value.strip().strip('"')
    return media.strip().lower(), values


def parse_multipart(body: bytes, content_type: str) -> list[Part]:
    """Parts of a multipart/mixed body, in order; XapiError when it cannot be read."""
    _, params = content_type_params(content_type)
    boundary = params.get("boundary")
    if not boundary:
        raise XapiError("Content-Type", "multipart/mixed needs a boundary parameter")
    delimiter = b"--" + boundary.encode()
    chunks = body.split(delimiter)
    if len(chunks) < 3:
        raise XapiError("body", "multipart body has no parts")
    parts: list[Part] = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break
        if chunk.startswith(b"\r\n"):
            chunk = chunk[2:]
        elif chunk.startswith(b"\n"):
            chunk = chunk[1:]
        head, sep, content = chunk.partition(b"\r\n\r\n")
        if not sep:
            head, sep, content = chunk.partition(b"\n\n")
            if not sep:
                raise XapiError("body", "a multipart part has no header block")
        if content.endswith(b"\r\n"):
            content = content[:-2]
        elif content.endswith(b"\n"):
            content = content[:-1]
        headers: dict[str, str] = {}
        for line in head.decode("latin-1").splitlines():
            if ":" in line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        parts.append(Part(headers=headers, body=content))
    return parts


def sha2_matches(content: bytes, declared: str) -> bool:
    """Whether content hashes (SHA-256/384/512, chosen by the digest's length) to ``declared``."""
    algorithm = _HASHES.get(len(declared))
    return algorithm is not None and algorithm(content).hexdigest() == declared.lower()


def build_multipart(
    statement_json: bytes, attachments: list[tuple[str, str, bytes]]
) -> tuple[bytes, str]:
    """Body and Content-Type for a response: the statements, then each (sha2, type, content)."""
    boundary = "xapi-" + secrets.token_hex(12)
    out = [
        f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(),
        statement_json,
        b"\r\n",
    ]
    for sha2, content_type, content in attachments:
        out.append(
            (
                f"--{boundary}\r\nContent-Type: {content_type}\r\n"
                f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {sha2}\r\n\r\n"
            ).encode()
        )
        out.append(content)
        out.append(b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f'multipart/mixed; boundary="{boundary}"'
