"""Consistent name substitution across every item of one resource."""

from __future__ import annotations

import hashlib

from .pack import LocalePack


class NameMap:
    """Source name -> target name, fixed on first use so a resource reads as one story.

    The choice is a stable hash of the source name and a seed, so the same input gives the same
    draft, and distinct source names get distinct target names while the list lasts.
    """

    def __init__(self, pack: LocalePack, seed: int = 0) -> None:
        self.pack = pack
        self.seed = seed
        self.mapping: dict[str, str] = {}

    def _pick(self, source: str, pool: list[str]) -> str:
        used = set(self.mapping.values())
        digest = hashlib.sha256(f"{self.seed}:{source}".encode()).digest()
        start = int.from_bytes(digest[:4], "big") % len(pool)
        for k in range(len(pool)):
            cand = pool[(start + k) % len(pool)]
            if cand not in used:
                return cand
        return pool[start]

    def target(self, source: str, gender: str | None) -> str | None:
        """Target name for a source given name ("male"/"female") or family name (gender None).

        None when the source name is already one of the target locale's own names.
        """
        key = f"{gender or 'family'}:{source}"
        if key in self.mapping:
            return self.mapping[key]
        pool = self.pack.names(gender or "family")
        if any(source == n.split("|")[0] for n in pool):
            return None
        choice = self._pick(key, pool)
        self.mapping[key] = choice
        return choice
