"""Whether an applicant may take a place, and if not, one sentence saying why."""

from __future__ import annotations

from collections.abc import Mapping

CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")


def cefr_rank(level: str) -> int:
    """Position of a CEFR level (A1 = 0 … C2 = 5); -1 for anything else."""
    normalized = level.strip().upper()
    return CEFR_LEVELS.index(normalized) if normalized in CEFR_LEVELS else -1


def ineligibility(
    *,
    sending_country: str,
    host_country: str,
    partner_countries: list[str],
    language_levels: Mapping[str, str],
    language_requirements: Mapping[str, str],
) -> str:
    """Return "" when eligible, else the first reason the place is out of reach."""
    if partner_countries and sending_country not in partner_countries:
        return f"{sending_country} is not a partner country of this programme"
    if sending_country == host_country:
        return "the host is in the applicant's own country; exchanges cross borders"
    for language, required in sorted(language_requirements.items()):
        held = language_levels.get(language, "")
        if cefr_rank(held) < cefr_rank(required):
            have = f"has {held}" if held else "has no level recorded"
            return f"needs {language} at {required} or above ({have})"
    return ""
