"""The match is stable and applicant-optimal (checked against the definitions)."""

from __future__ import annotations

import itertools

from hypothesis import given, settings

from edubridge.engines.matching import Application, match

from .support import Case, Reference, cases


def run(case: Case) -> dict[str, str | None]:
    result = match(case.places, case.applications, seed=case.seed, attributes=case.attributes)
    return result.assignment


@settings(max_examples=100, deadline=None)
@given(cases(max_applicants=12, max_places=5))
def test_no_blocking_pair_on_random_instances(case: Case) -> None:
    ref = Reference(case)
    matching = run(case)
    assert ref.blocking_pairs(matching) == []


@settings(max_examples=100, deadline=None)
@given(cases(max_applicants=12, max_places=5))
def test_every_place_keeps_exactly_what_its_choice_rule_chooses(case: Case) -> None:
    # capacity, reserves and eligibility respected; no seat withheld from a willing applicant
    assert Reference(case).individually_rational(run(case))


@settings(max_examples=80, deadline=None)
@given(cases(max_applicants=5, max_places=3, max_capacity=2))
def test_every_applicant_weakly_prefers_our_match_to_every_stable_matching(case: Case) -> None:
    ref = Reference(case)
    ours = run(case)
    stable = list(ref.all_stable())
    assert ours in stable
    for other in stable:
        for a in case.applicants:
            assert ref.position(a, ours[a]) <= ref.position(a, other[a])


@settings(max_examples=40, deadline=None)
@given(cases(max_applicants=4, max_places=3, max_capacity=2))
def test_no_applicant_gains_by_misreporting_their_ranking(case: Case) -> None:
    ref = Reference(case)
    truthful = run(case)
    liar = case.applicants[0]
    own = [a for a in case.applications if a.applicant_id == liar]
    others = [a for a in case.applications if a.applicant_id != liar]
    for order in itertools.permutations(own):
        for k in range(1, len(order) + 1):
            lie = [
                Application(a.applicant_id, a.place_id, rank, a.host_score, a.ineligible_reason)
                for rank, a in enumerate(order[:k], start=1)
            ]
            got = run(Case(case.places, others + lie, case.attributes, case.seed))[liar]
            assert ref.position(liar, truthful[liar]) <= ref.position(liar, got)
