"""JSON for statements on the ingestion and response paths: orjson, with the standard library
where orjson would answer differently.

Output is what ``json.dumps(value, ensure_ascii=False, separators=(",", ":"))`` gives (insertion
key order, no whitespace, non-ASCII kept) except that floats are written in their shortest form
(``1e-7`` where the standard library writes ``1e-07``: the same number). Anything orjson refuses
(integers beyond 64 bits, lone surrogates, non-string keys) is encoded by the standard library.

Parsing: orjson refuses ``NaN``/``Infinity`` and lone surrogate escapes, which the standard
library accepts (the validator then names the property, as before): bodies orjson refuses are
parsed again by the standard library. One difference remains: orjson reads an integer beyond 64
bits (over 18,446,744,073,709,551,615) as the nearest float, as most JSON implementations do
(RFC 8259, section 6), where the standard library kept every digit. Finding such numbers first
(a scan of the body) cost more than orjson saves.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

_STDLIB = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_SORTED = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def dumps(value: Any) -> str:
    """Compact JSON text (see the module doc)."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # orjson.JSONEncodeError
        return _STDLIB.encode(value)


def dumps_sorted(value: Any) -> str:
    """Compact JSON text with object keys sorted (stable text for digests)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    except TypeError:
        return _SORTED.encode(value)


def loads(text: bytes | str) -> Any:
    """Parse a request body; raises ValueError for text that is not JSON."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        pass  # the standard library accepts a few things orjson refuses, or fails alike
    return json.loads(text)
