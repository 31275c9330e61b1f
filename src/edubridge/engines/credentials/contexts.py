"""A JSON-LD document loader that serves only local copies of known contexts.

Signing and verification canonicalize JSON-LD, which dereferences every `@context` URL. Fetching
them over the network would let whoever serves a context change what a signature means, and would
make verification depend on connectivity; so the loader maps each known URL to a file and refuses
anything else with a clear error.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# The shared standards folder sits next to the project checkout (…/work/main -> …/work/shared).
DEFAULT_CONTEXT_DIR = (
    Path(__file__).resolve().parents[4].parent / "shared" / "standards" / "openbadges3" / "contexts"
)
CONTEXT_DIR_ENV = "EDUBRIDGE_CREDENTIAL_CONTEXTS"


def default_context_dir() -> Path:
    """The context folder: $EDUBRIDGE_CREDENTIAL_CONTEXTS when set, else the shared standards copy."""
    configured = os.environ.get(CONTEXT_DIR_ENV)
    return Path(configured) if configured else DEFAULT_CONTEXT_DIR


# Context URL -> file name inside the context folder.
KNOWN_CONTEXT_FILES: dict[str, str] = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://www.w3.org/2018/credentials/v1": "2018-credentials-v1.jsonld",
    "https://w3id.org/security/data-integrity/v1": "data-integrity-v1.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json": "ob-v3p0-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": "ob-v3p0-3.0.2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-v3p0-extensions.json",
}

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


class UnknownContextError(LookupError):
    """A credential names a JSON-LD context this node has no local copy of."""

    def __init__(self, url: str) -> None:
        super().__init__(
            f"unknown JSON-LD context {url!r}: no local copy, and the network is never used"
        )
        self.url = url


class LocalContextLoader:
    """Document loader for pyld over a folder of context files plus optional extra documents.

    `extra` maps further URLs to already-parsed documents (tests use it for the W3C examples
    context); it never reaches the network.
    """

    def __init__(
        self,
        context_dir: Path | str = DEFAULT_CONTEXT_DIR,
        *,
        extra: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.context_dir = Path(context_dir)
        self._documents: dict[str, dict[str, Any]] = {}
        for url, name in KNOWN_CONTEXT_FILES.items():
            path = self.context_dir / name
            if path.exists():
                self._documents[url] = json.loads(path.read_text(encoding="utf-8"))
        for url, document in (extra or {}).items():
            self._documents[url] = copy.deepcopy(dict(document))
        if VC_V2 not in self._documents:
            raise FileNotFoundError(
                f"the Verifiable Credentials 2.0 context is missing from {self.context_dir}"
            )

    def known_urls(self) -> list[str]:
        return sorted(self._documents)

    def knows(self, url: str) -> bool:
        return url in self._documents

    def __call__(self, url: str, options: Any = None) -> dict[str, Any]:
        document = self._documents.get(url)
        if document is None:
            raise UnknownContextError(url)
        return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(document)}


def context_urls(document: Mapping[str, Any]) -> list[str]:
    """The remote context URLs a document names at its top level (embedded objects skipped)."""
    raw = document.get("@context")
    items = raw if isinstance(raw, list) else [raw]
    return [item for item in items if isinstance(item, str)]
