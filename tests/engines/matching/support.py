"""Test support: random small instances and a slow, obviously-correct reference.

The reference choice rule and stability check are written from the definitions, one
applicant at a time, independently of the engine's array code.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from hypothesis import strategies as st

from edubridge.engines.matching import Application, Place, Reserve, draw_lottery

Matching = dict[str, str | None]


@dataclass(frozen=True)
class Case:
    places: list[Place]
    applications: list[Application]
    attributes: dict[str, dict[str, str]]
    seed: int

    @property
    def applicants(self) -> list[str]:
        return list(dict.fromkeys(a.applicant_id for a in self.applications))

    def prefs(self, applicant: str) -> list[Application]:
        """The applicant's eligible applications, best first."""
        own = [a for a in self.applications if a.applicant_id == applicant]
        return sorted((a for a in own if not a.ineligible_reason), key=lambda a: a.preference)


@st.composite
def cases(
    draw: st.DrawFn,
    max_applicants: int = 7,
    max_places: int = 4,
    reserves: bool = True,
    ineligible: bool = True,
    max_capacity: int = 3,
) -> Case:
    n_places = draw(st.integers(1, max_places))
    groups = ["x", "y"]
    places = []
    for p in range(n_places):
        capacity = draw(st.integers(0, max_capacity))
        res: list[Reserve] = []
        if reserves and capacity and draw(st.booleans()):
            budget = capacity
            for attribute in draw(st.sampled_from([["g"], ["g", "h"], ["h", "g"]])):
                seats = draw(st.integers(0, budget))
                if seats:
                    res.append(Reserve(attribute, draw(st.sampled_from(groups)), seats))
                    budget -= seats
        places.append(Place(f"p{p}", capacity, tuple(res)))
    n_applicants = draw(st.integers(1, max_applicants))
    applications = []
    attributes = {}
    for i in range(n_applicants):
        aid = f"a{i}"
        attributes[aid] = {"g": draw(st.sampled_from(groups)), "h": draw(st.sampled_from(groups))}
        chosen = draw(st.permutations(range(n_places)))
        k = draw(st.integers(1, n_places))
        for rank, p in enumerate(chosen[:k], start=1):
            applications.append(
                Application(
                    aid,
                    f"p{p}",
                    rank,
                    float(draw(st.integers(0, 3))),  # few values: ties are common
                    "language level too low" if ineligible and draw(st.integers(0, 6)) == 0 else "",
                )
            )
    return Case(places, applications, attributes, draw(st.integers(0, 2**31)))


class Reference:
    """Definitions, applied literally: the choice rule, stability, preferences."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.lottery = {a: k for k, a in enumerate(draw_lottery(case.applicants, case.seed))}
        self.score = {(a.applicant_id, a.place_id): a.host_score for a in case.applications}
        self.place = {p.place_id: p for p in case.places}
        self.rank = {
            (a.applicant_id, a.place_id): a.preference
            for a in case.applications
            if not a.ineligible_reason
        }

    def choose(self, place_id: str, applicants: set[str]) -> set[str]:
        place = self.place[place_id]
        order = sorted(applicants, key=lambda a: (-self.score[a, place_id], self.lottery[a]))
        chosen: list[str] = []
        for r in place.reserves:
            group = [
                a
                for a in order
                if a not in chosen and self.case.attributes[a].get(r.attribute) == r.value
            ]
            chosen += group[: r.seats]
        rest = [a for a in order if a not in chosen]
        chosen += rest[: place.capacity - len(chosen)]
        return set(chosen)

    def holders(self, matching: Mapping[str, str | None], place_id: str) -> set[str]:
        return {a for a, p in matching.items() if p == place_id}

    def prefers(self, applicant: str, p: str, q: str | None) -> bool:
        """Does the applicant rank (eligible) place p above q (None = unmatched)?"""
        if (applicant, p) not in self.rank:
            return False
        return q is None or self.rank[applicant, p] < self.rank[applicant, q]

    def blocking_pairs(self, matching: Mapping[str, str | None]) -> list[tuple[str, str]]:
        out = []
        for a in self.case.applicants:
            for app in self.case.prefs(a):
                p = app.place_id
                if self.prefers(a, p, matching.get(a)):
                    held = self.holders(matching, p)
                    if a in self.choose(p, held | {a}):
                        out.append((a, p))
        return out

    def individually_rational(self, matching: Mapping[str, str | None]) -> bool:
        for a, p in matching.items():
            if p is not None and (a, p) not in self.rank:
                return False
        for place in self.case.places:
            held = self.holders(matching, place.place_id)
            if self.choose(place.place_id, held) != held:
                return False
        return True

    def is_stable(self, matching: Mapping[str, str | None]) -> bool:
        return self.individually_rational(matching) and not self.blocking_pairs(matching)

    def all_stable(self) -> Iterator[Matching]:
        """Every stable matching, by brute force over all assignments (tiny cases only)."""
        applicants = self.case.applicants
        options = [[None, *(x.place_id for x in self.case.prefs(a))] for a in applicants]
        for combo in itertools.product(*options):
            m: Matching = dict(zip(applicants, combo, strict=True))
            if self.is_stable(m):
                yield m

    def position(self, applicant: str, place_id: str | None) -> int:
        return 10**6 if place_id is None else self.rank[applicant, place_id]
