"""Student-exchange matching: deferred acceptance with capacities, soft reserves, reasons.

Call `match(places, applications, seed=...)` for round 1 and `second_round(...)` for the
seats round 1 left; both return a `MatchResult` with a reason for every applicant.
"""

from .api import match, residual_places, second_round
from .data import (
    ApplicantOutcome,
    Application,
    ApplicationColumns,
    ChoiceReason,
    ChoiceStatus,
    MatchInputError,
    MatchResult,
    Place,
    PlaceOutcome,
    Reserve,
)
from .lottery import draw_lottery

__all__ = [
    "ApplicantOutcome",
    "Application",
    "ApplicationColumns",
    "ChoiceReason",
    "ChoiceStatus",
    "MatchInputError",
    "MatchResult",
    "Place",
    "PlaceOutcome",
    "Reserve",
    "draw_lottery",
    "match",
    "residual_places",
    "second_round",
]
