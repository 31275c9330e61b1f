from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from edubridge.engines.credentials.achievement import AchievementClaim, Competency, StatusEntry
from edubridge.engines.credentials.contexts import LocalContextLoader
from edubridge.engines.credentials.issue import IssuerKey

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "standards"
CONTEXTS = SHARED / "openbadges3" / "contexts"
VECTORS = SHARED / "vc-di-eddsa" / "TestVectors"

# The W3C test vectors use https://www.w3.org/ns/credentials/examples/v2, which is not among the
# shared contexts. This stand-in lives only in the tests; it is the published context's content
# (a single @vocab), and reproducing the vectors' proofValue byte for byte shows it is faithful.
EXAMPLES_V2 = {
    "https://www.w3.org/ns/credentials/examples/v2": {
        "@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}
    }
}

LIST_URL = "https://node.example/training/credentials/status/1"


@pytest.fixture(scope="session")
def loader() -> LocalContextLoader:
    return LocalContextLoader(CONTEXTS)


@pytest.fixture(scope="session")
def vector_loader() -> LocalContextLoader:
    return LocalContextLoader(CONTEXTS, extra=EXAMPLES_V2)


def make_key(seed: int) -> IssuerKey:
    private = Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32)
    public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return IssuerKey(public_key=public, sign=private.sign)


@pytest.fixture(scope="session")
def node_key() -> IssuerKey:
    return make_key(7)


def make_claim(key: IssuerKey, **changes: Any) -> AchievementClaim:
    fields: dict[str, Any] = {
        "credential_id": "urn:uuid:1b0c3f0e-6a55-4bb7-9d0e-2f3f4c5d6e7f",
        "issuer_id": key.did,
        "issuer_name": "Demo Training Centre",
        "subject_id": "urn:uuid:0a1b2c3d-0000-4000-8000-000000000001",
        "subject_name": "Amina Yusuf",
        "achievement_id": "https://node.example/training/programmes/ai-foundations",
        "achievement_name": "AI for Teaching: Foundations",
        "achievement_description": "Uses AI tools responsibly in lesson planning.",
        "criteria": "Attend 80% of sessions and pass every assessed competency.",
        "valid_from": "2026-01-10T00:00:00Z",
        "valid_until": "2029-01-10T00:00:00Z",
        "competencies": (
            Competency(
                code="AICFT-1.1",
                name="Human-centred mindset: Human agency",
                url="https://node.example/training/frameworks/aicft/AICFT-1.1",
                framework="AI competency framework for teachers",
            ),
        ),
        "status": StatusEntry(list_url=LIST_URL, index=5),
    }
    fields.update(changes)
    return AchievementClaim(**fields)
