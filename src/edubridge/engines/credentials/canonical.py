"""RDF Dataset Canonicalization (RDFC-1.0, the algorithm formerly named URDNA2015) via pyld."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pyld import jsonld

from .contexts import LocalContextLoader, UnknownContextError


class CanonicalizationError(ValueError):
    """A document cannot be turned into canonical N-Quads (bad JSON-LD or unknown context)."""


def canonical_nquads(document: Mapping[str, Any], loader: LocalContextLoader) -> str:
    """Canonical N-Quads of a JSON-LD document, contexts resolved only through `loader`."""
    try:
        result = jsonld.normalize(
            dict(document),
            {
                "algorithm": "URDNA2015",
                "format": "application/n-quads",
                "documentLoader": loader,
            },
        )
    except jsonld.JsonLdError as error:
        cause = _root_cause(error)
        if isinstance(cause, UnknownContextError):
            raise cause from error
        raise CanonicalizationError(
            f"cannot canonicalize the document: {_describe(error)}"
        ) from error
    if not isinstance(result, str):
        raise CanonicalizationError("canonicalization did not produce N-Quads text")
    return result


def _root_cause(error: BaseException) -> BaseException:
    seen: set[int] = set()
    current: BaseException = error
    while id(current) not in seen:
        seen.add(id(current))
        nested = getattr(current, "cause", None) or current.__cause__ or current.__context__
        if not isinstance(nested, BaseException):
            return current
        current = nested
    return current


def _describe(error: BaseException) -> str:
    cause = _root_cause(error)
    message = getattr(cause, "message", None) or str(cause)
    code = getattr(cause, "code", None)
    return f"{message} ({code})" if code else str(message)
