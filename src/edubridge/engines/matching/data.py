"""Plain data in and out of the matching engine: places, applications, results.

Standard library only, so the Django exchange app can store and show these without
knowing anything about the arrays the engine uses inside.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple


class MatchInputError(ValueError):
    """The instance cannot be matched as given (unknown place, duplicate preference, ...)."""


@dataclass(frozen=True, slots=True)
class Reserve:
    """Seats of a place set aside, softly, for applicants whose `attribute` equals `value`.

    Soft: seats the group does not claim go to everyone else (a minimum guarantee, never
    a cap and never an empty seat).
    """

    attribute: str
    value: str
    seats: int

    @property
    def label(self) -> str:
        return f"{self.attribute}={self.value}"


@dataclass(frozen=True, slots=True)
class Place:
    """One exchange place offered by a host: `capacity` seats, optional soft reserves.

    Reserves are applied in the order given (that order is part of the choice rule).
    """

    place_id: str
    capacity: int
    reserves: tuple[Reserve, ...] = ()


@dataclass(frozen=True, slots=True)
class Application:
    """One ranked choice of one applicant, with the host's score for that applicant.

    `preference` 1 is the first choice; higher `host_score` means the host ranks the
    applicant higher. A non-empty `ineligible_reason` keeps the application out of the
    match and is quoted back to the applicant.
    """

    applicant_id: str
    place_id: str
    preference: int
    host_score: float
    ineligible_reason: str = ""


@dataclass(frozen=True, slots=True)
class ApplicationColumns:
    """The same applications as parallel lists: what a 500,000-row CSV loads into cheaply."""

    applicant_id: list[str]
    place_id: list[str]
    preference: list[int]
    host_score: list[float]
    ineligible_reason: list[str]

    def __len__(self) -> int:
        return len(self.applicant_id)

    @classmethod
    def from_applications(cls, applications: list[Application]) -> ApplicationColumns:
        return cls(
            applicant_id=[a.applicant_id for a in applications],
            place_id=[a.place_id for a in applications],
            preference=[a.preference for a in applications],
            host_score=[a.host_score for a in applications],
            ineligible_reason=[a.ineligible_reason for a in applications],
        )


# Applicant attributes used by reserves: applicant_id -> attribute -> value.
Attributes = Mapping[str, Mapping[str, str]]


class ChoiceStatus(StrEnum):
    """What happened to one choice of one applicant."""

    MATCHED = "matched"
    FULL = "full"  # every seat went to applicants the host ranked higher
    INELIGIBLE = "ineligible"  # eligibility data excluded the application
    NO_SEATS = "no_seats"  # the place offered no seats in this round


class ChoiceReason(NamedTuple):
    """Why one choice ended as it did; `cutoff_score` is the last open-seat admit's score.

    A named tuple rather than a dataclass: a big match builds hundreds of thousands.
    """

    round: int
    choice: int
    place_id: str
    status: ChoiceStatus
    text: str
    cutoff_score: float | None = None


@dataclass(frozen=True, slots=True)
class ApplicantOutcome:
    """Where one applicant ended up and why not higher.

    `reasons` covers every choice ranked above the matched one (every choice when
    unmatched) and, last, the matched choice itself.
    """

    applicant_id: str
    place_id: str | None
    choice: int | None
    round: int | None
    lottery_position: int
    reasons: tuple[ChoiceReason, ...]

    @property
    def matched(self) -> bool:
        return self.place_id is not None

    @property
    def reason(self) -> str:
        """One line for people: the matched choice first, then each higher choice."""
        if self.place_id is None:
            head = "unmatched"
        else:
            head = f"matched to choice {self.choice} ({self.place_id})"
            if self.round == 2:
                head += " in the second round"
        parts = [head]
        for r in self.reasons:
            if r.status is ChoiceStatus.MATCHED:
                continue
            prefix = "second round " if r.round == 2 else ""
            parts.append(f"{prefix}choice {r.choice} ({r.place_id}): {r.text}")
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class PlaceOutcome:
    """How one place filled: seats, admits, and the open-seat cutoff (None when not full)."""

    place_id: str
    capacity: int
    filled: int
    open_cutoff_score: float | None
    reserve_filled: tuple[tuple[str, int, int], ...] = ()  # (label, seats, filled)

    @property
    def remaining(self) -> int:
        return self.capacity - self.filled


@dataclass(frozen=True)
class MatchResult:
    """The outcome of a match: one entry per applicant, per place, and the published lottery.

    `lottery` lists applicant ids from the first drawn (wins every tie) to the last; it
    follows from `seed` alone (see `lottery.draw_lottery`), so anyone can re-check it.
    """

    seed: int
    lottery: tuple[str, ...]
    applicants: tuple[ApplicantOutcome, ...]
    places: tuple[PlaceOutcome, ...]
    rounds: int = 1
    _by_id: dict[str, ApplicantOutcome] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update((a.applicant_id, a) for a in self.applicants)

    def outcome(self, applicant_id: str) -> ApplicantOutcome:
        """The outcome of one applicant; KeyError if they did not apply."""
        return self._by_id[applicant_id]

    def get(self, applicant_id: str) -> ApplicantOutcome | None:
        return self._by_id.get(applicant_id)

    @property
    def assignment(self) -> dict[str, str | None]:
        return {a.applicant_id: a.place_id for a in self.applicants}

    @property
    def matched_count(self) -> int:
        return sum(1 for a in self.applicants if a.place_id is not None)
