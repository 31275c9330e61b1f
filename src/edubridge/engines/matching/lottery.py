"""The one seeded lottery that breaks every tie in host scores.

The order is a pure function of the seed and the applicant ids, computable in any
language without this code or NumPy: sort applicants by the SHA-256 digest of
"<seed>:<applicant_id>" (UTF-8), ascending, ties (never seen) by id. Position 0 wins.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def lottery_key(seed: int, applicant_id: str) -> bytes:
    """The digest that places one applicant in the lottery."""
    return hashlib.sha256(f"{seed}:{applicant_id}".encode()).digest()


def draw_lottery(applicant_ids: Iterable[str], seed: int) -> tuple[str, ...]:
    """All distinct applicants in lottery order (first drawn first)."""
    if seed < 0:
        raise ValueError("the lottery seed must be a non-negative integer")
    unique = list(dict.fromkeys(applicant_ids))
    sha, prefix = hashlib.sha256, f"{seed}:"
    digest = [sha((prefix + a).encode()).digest() for a in unique]
    # digests of distinct ids never collide in practice; the id breaks a tie if one did
    order = sorted(range(len(unique)), key=lambda k: (digest[k], unique[k]))
    return tuple(unique[k] for k in order)
