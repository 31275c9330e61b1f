"""Export policies: schema-checked YAML, deny by default, decisions that name their rule."""

from __future__ import annotations

import pytest

from edubridge.engines.privacy.errors import PolicyFileError, PrivacyInputError
from edubridge.engines.privacy.policy import (
    ExportRequest,
    PolicySet,
    Protections,
    example_policies,
    parse_policy,
)

POLICIES = PolicySet(example_policies())
PSEUDO = Protections(pseudonymized=True)


def _decide(
    jurisdiction: str, destination: str, purpose: str, protections: Protections, **fields: str
):  # type: ignore[no-untyped-def]
    return POLICIES.evaluate(ExportRequest(jurisdiction, destination, purpose, fields, protections))


# -- the shipped examples --------------------------------------------------------------------
def test_three_example_policies_ship_and_validate() -> None:
    assert set(POLICIES.by_jurisdiction) == {"EU", "CN", "US"}


@pytest.mark.parametrize("policy", example_policies(), ids=lambda p: p.id)
def test_every_example_is_marked_example_not_legal_advice(policy) -> None:  # type: ignore[no-untyped-def]
    assert policy.example is True
    assert "not legal advice" in policy.disclaimer


@pytest.mark.parametrize("policy", example_policies(), ids=lambda p: p.id)
def test_every_rule_cites_what_it_encodes(policy) -> None:  # type: ignore[no-untyped-def]
    assert all(rule.cites.strip() for rule in policy.rules)


# GDPR
def test_gdpr_personal_data_moves_freely_within_the_eea() -> None:
    decision = _decide("EU", "FR", "research", Protections(), score="personal")
    assert decision.allowed
    assert decision.rule == "example-eu-gdpr@2026.1#personal-within-eea"


def test_gdpr_adequate_country_needs_pseudonymization() -> None:
    refused = _decide("EU", "JP", "research", Protections(), score="personal")
    allowed = _decide("EU", "JP", "research", PSEUDO, score="personal")
    assert not refused.allowed
    assert refused.rule == "example-eu-gdpr@2026.1#personal-adequacy"
    assert "only when pseudonymized" in refused.reason
    assert allowed.allowed
    assert allowed.approval == "data-steward"


def test_gdpr_third_country_research_needs_safeguards_and_dpo_approval() -> None:
    decision = _decide(
        "EU", "BR", "research", Protections(pseudonymized=True, k=5), score="personal"
    )
    assert decision.allowed
    assert decision.rule.endswith("#personal-research-safeguards")
    assert decision.approval == "data-protection-officer"
    assert any("standard contractual clauses" in c for c in decision.conditions)


def test_gdpr_children_do_not_leave_the_eea_unless_anonymized() -> None:
    refused = _decide("EU", "US", "education", PSEUDO, age="minor-sensitive")
    allowed = _decide("EU", "US", "statistics", Protections(epsilon=0.5), age="minor-sensitive")
    assert not refused.allowed
    assert refused.rule.endswith("#default-deny")
    assert allowed.allowed
    assert allowed.rule.endswith("#anonymous-aggregates")


def test_gdpr_secrets_are_refused_by_the_named_rule() -> None:
    decision = _decide("EU", "FR", "research", Protections(epsilon=0.1), key="secret")
    assert not decision.allowed
    assert decision.rule == "example-eu-gdpr@2026.1#secrets-never-leave"


# PIPL
def test_pipl_treats_children_under_14_as_staying_home() -> None:
    decision = _decide("CN", "FR", "research", PSEUDO, birth_year="minor-sensitive")
    assert not decision.allowed
    assert decision.rule == "example-cn-pipl@2026.1#minors-under-14-stay-home"
    assert "Art. 28" in decision.by_class[0].cites


def test_pipl_lets_children_data_out_only_as_dp_aggregates() -> None:
    decision = _decide("CN", "FR", "statistics", Protections(epsilon=0.5), age="minor-sensitive")
    assert decision.allowed
    assert decision.rule.endswith("#anonymized-outbound")


def test_pipl_dp_budget_above_the_cap_is_refused() -> None:
    decision = _decide("CN", "FR", "statistics", Protections(epsilon=0.8), age="minor-sensitive")
    assert not decision.allowed
    assert "epsilon<=0.5" in decision.reason


def test_pipl_cross_border_personal_data_needs_authority_and_consent() -> None:
    decision = _decide("CN", "KE", "exchange-administration", PSEUDO, name="personal")
    assert decision.allowed
    assert decision.approval == "authority"
    assert any("Art. 39" in c for c in decision.conditions)


def test_pipl_within_china_sensitive_data_needs_pseudonymization() -> None:
    assert not _decide("CN", "CN", "education", Protections(), health="sensitive").allowed
    assert _decide("CN", "CN", "education", PSEUDO, health="sensitive").allowed


# FERPA
def test_ferpa_school_officials_receive_records_for_education() -> None:
    decision = _decide("US", "US", "education", Protections(), grades="personal")
    assert decision.allowed
    assert decision.rule.endswith("#school-officials")


def test_ferpa_research_with_record_code_needs_de_identification_too() -> None:
    only_code = _decide("US", "CA", "research", PSEUDO, grades="personal")
    with_k = _decide(
        "US", "CA", "research", Protections(pseudonymized=True, k=5), grades="personal"
    )
    assert not only_code.allowed
    assert with_k.allowed
    assert with_k.rule.endswith("#de-identified-with-record-code")
    assert "99.31(b)(2)" in with_k.by_class[0].cites


def test_ferpa_de_identified_records_may_go_anywhere_for_any_purpose() -> None:
    decision = _decide("US", "JP", "accreditation", Protections(k=10, l=2), grades="personal")
    assert decision.allowed
    assert decision.rule.endswith("#de-identified")


# -- evaluation semantics --------------------------------------------------------------------
def test_the_strictest_class_decides_and_all_classes_are_reported() -> None:
    decision = _decide("EU", "JP", "research", PSEUDO, title="public", score="personal", k="secret")
    assert not decision.allowed
    assert decision.rule.endswith("#secrets-never-leave")
    assert [d.data_class for d in decision.by_class] == ["secret", "personal", "public"]
    assert "fields: k" in decision.reason


def test_an_allowed_export_takes_the_strongest_approval_of_its_classes() -> None:
    decision = _decide(
        "EU", "FR", "research", Protections(pseudonymized=True, k=5, l=2), a="public", b="sensitive"
    )
    assert decision.allowed
    assert decision.approval == "data-protection-officer"


def test_a_jurisdiction_without_a_policy_is_denied_by_default() -> None:
    decision = _decide("BR", "FR", "research", PSEUDO, score="personal")
    assert not decision.allowed
    assert "no policy for jurisdiction 'BR'" in decision.reason


def test_a_destination_no_rule_names_is_denied_with_that_reason() -> None:
    policy = parse_policy(_minimal_policy())
    decision = PolicySet([policy]).evaluate(
        ExportRequest("FR", "JP", "research", {"x": "public"}, Protections())
    )
    assert not decision.allowed
    assert "no rule of demo@1 names destination 'JP'" in decision.reason


def test_unknown_data_classes_are_refused() -> None:
    with pytest.raises(PrivacyInputError, match="unknown data class 'private'"):
        _decide("EU", "FR", "research", PSEUDO, score="private")


# -- validation ------------------------------------------------------------------------------
def _minimal_policy(rule: str = "") -> str:
    return f"""
schema: edubridge-export-policy/1
id: demo
version: "1"
title: Demo
jurisdiction: FR
home: [FR]
example: true
disclaimer: Example, not legal advice.
rules:
  - id: public-home
    effect: allow
    description: d
    cites: none
    data_classes: [public]
    destinations: ["@home"]
    purposes: ["*"]
    approval: none
{rule}"""


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            "  - {id: x, effect: alow, description: d, cites: c, data_classes: [public],"
            " destinations: ['*'], purposes: ['*'], approval: none}",
            "policy.rules[1].effect: 'alow' is not one of",
        ),
        (
            "  - {id: x, effect: allow, description: d, cites: c, data_classes: [private],"
            " destinations: ['*'], purposes: ['*'], approval: none}",
            "policy.rules[1].data_classes[0]: 'private' is not one of",
        ),
        (
            "  - {id: public-home, effect: allow, description: d, cites: c,"
            " data_classes: [public], destinations: ['*'], purposes: ['*'], approval: none}",
            "'public-home' repeats",
        ),
        (
            "  - {id: x, effect: allow, description: d, cites: c, data_classes: [public],"
            " destinations: ['@friends'], purposes: ['*'], approval: none}",
            "unknown group '@friends'",
        ),
        (
            "  - {id: x, effect: allow, description: d, cites: c, data_classes: [public],"
            " destinations: ['*'], purposes: ['*']}",
            "'approval' is a required property",
        ),
        (
            "  - {id: x, effect: deny, description: d, cites: c, data_classes: [public],"
            " destinations: ['*'], purposes: ['*'], approval: none}",
            "policy.rules[1]",
        ),
    ],
)
def test_invalid_policies_are_refused_with_where_and_why(rule: str, message: str) -> None:
    with pytest.raises(PolicyFileError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_policy(_minimal_policy(rule), source="demo.yaml")


def test_yaml_that_turns_a_country_code_into_a_boolean_is_caught() -> None:
    with pytest.raises(PolicyFileError, match=r"policy.home\[0\]: False is not of type 'string'"):
        parse_policy(_minimal_policy().replace("home: [FR]", "home: [NO]"))


def test_two_policies_for_one_jurisdiction_are_refused() -> None:
    policy = parse_policy(_minimal_policy())
    with pytest.raises(PolicyFileError, match="two policies for jurisdiction FR"):
        PolicySet([policy, policy])
