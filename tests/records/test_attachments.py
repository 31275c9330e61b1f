"""Attachments as multipart/mixed with SHA-2 checks, and signed statements (JWS)."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from edubridge.engines.xapi.multipart import parse_multipart
from tests.records.conftest import Xapi, statement

SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"
BOUNDARY = "testboundary"


def attachment_meta(
    content: bytes, usage: str = "http://example.org/usage/essay"
) -> dict[str, Any]:
    return {
        "usageType": usage,
        "display": {"en-US": "essay"},
        "contentType": "text/plain",
        "length": len(content),
        "sha2": hashlib.sha256(content).hexdigest(),
    }


def multipart(
    statement_json: Any, parts: list[tuple[str, bytes]], encoding: str = "binary"
) -> bytes:
    out = [
        f"--{BOUNDARY}\r\nContent-Type: application/json\r\n\r\n".encode(),
        json.dumps(statement_json).encode(),
        b"\r\n",
    ]
    for digest, content in parts:
        out.append(
            (
                f"--{BOUNDARY}\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: {encoding}"
                f"\r\nX-Experience-API-Hash: {digest}\r\n\r\n"
            ).encode()
        )
        out.append(content + b"\r\n")
    out.append(f"--{BOUNDARY}--".encode())
    return b"".join(out)


def post_multipart(xapi: Xapi, body: bytes) -> Any:
    return xapi.request(
        "POST", "statements", raw=body, content_type=f'multipart/mixed; boundary="{BOUNDARY}"'
    )


def test_statement_with_attachment_is_stored_and_returned_as_multipart(xapi: Xapi) -> None:
    content = b"Pak Budi membeli 3 kg daging."
    meta = attachment_meta(content)
    sent = statement(attachments=[meta])
    assert post_multipart(xapi, multipart(sent, [(meta["sha2"], content)])).status_code == 200
    response = xapi.get("statements", params={"statementId": sent["id"], "attachments": "true"})
    assert response["Content-Type"].startswith("multipart/mixed")
    parts = parse_multipart(response.content, response["Content-Type"])
    assert json.loads(parts[0].body)["id"] == sent["id"]
    assert parts[1].body == content
    assert parts[1].headers["x-experience-api-hash"] == meta["sha2"]


def test_attachment_whose_content_does_not_match_its_hash_is_rejected(xapi: Xapi) -> None:
    meta = attachment_meta(b"original")
    body = multipart(statement(attachments=[meta]), [(meta["sha2"], b"tampered")])
    assert post_multipart(xapi, body).status_code == 400


def test_declared_attachment_without_its_part_is_rejected(xapi: Xapi) -> None:
    response = xapi.post("statements", statement(attachments=[attachment_meta(b"x")]))
    assert response.status_code == 400
    assert response.json()["path"] == "$.attachments[0].sha2"


def test_attachment_with_file_url_needs_no_part(xapi: Xapi) -> None:
    meta = {**attachment_meta(b"x"), "fileUrl": "http://example.org/x.txt"}
    assert xapi.post("statements", statement(attachments=[meta])).status_code == 200


def test_part_not_declared_by_any_statement_is_rejected(xapi: Xapi) -> None:
    extra = b"stray"
    body = multipart(statement(), [(hashlib.sha256(extra).hexdigest(), extra)])
    assert post_multipart(xapi, body).status_code == 400


def test_part_without_binary_transfer_encoding_is_rejected(xapi: Xapi) -> None:
    content = b"essay"
    meta = attachment_meta(content)
    body = multipart(statement(attachments=[meta]), [(meta["sha2"], content)], encoding="base64")
    assert post_multipart(xapi, body).status_code == 400


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign(payload: dict[str, Any], alg: str = "RS256") -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    header = _b64(json.dumps({"alg": alg}).encode())
    body = _b64(json.dumps(payload).encode())
    signature = key.sign(f"{header}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{header}.{body}.{_b64(signature)}".encode()


def signed_body(original: dict[str, Any], jws: bytes) -> bytes:
    meta = {**attachment_meta(jws, SIGNATURE), "contentType": "application/octet-stream"}
    return multipart({**original, "attachments": [meta]}, [(meta["sha2"], jws)])


def test_signed_statement_matching_its_jws_is_accepted(xapi: Xapi) -> None:
    original = statement()
    assert post_multipart(xapi, signed_body(original, sign(original))).status_code == 200


def test_signed_statement_differing_from_its_jws_is_rejected(xapi: Xapi) -> None:
    original = statement()
    jws = sign({**original, "verb": {"id": "http://example.org/verbs/other"}})
    response = post_multipart(xapi, signed_body(original, jws))
    assert response.status_code == 400
    assert "does not match" in response.json()["error"]


def test_signed_statement_with_a_non_rsa_algorithm_is_rejected(xapi: Xapi) -> None:
    original = statement()
    assert post_multipart(xapi, signed_body(original, sign(original, "HS256"))).status_code == 400


def test_signature_that_is_not_a_jws_is_rejected(xapi: Xapi) -> None:
    assert post_multipart(xapi, signed_body(statement(), b"not-a-jws")).status_code == 400
