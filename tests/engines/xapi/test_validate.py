"""Statement validation rules, one per test, with the JSON path each error names."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edubridge.engines.xapi.errors import XapiError
from edubridge.engines.xapi.validate import validate_statement

BASE: dict[str, Any] = {
    "actor": {"mbox": "mailto:ana@example.org"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
    "object": {"id": "http://example.org/items/1"},
}


def with_(**changes: Any) -> dict[str, Any]:
    statement = copy.deepcopy(BASE)
    statement.update(changes)
    return statement


def error_path(statement: Any, version: str = "2.0.0") -> str:
    with pytest.raises(XapiError) as caught:
        validate_statement(statement, version=version)
    return caught.value.path


def first_error(statement: Any) -> str | None:
    """The failing path, or None when valid; any other exception fails the test."""
    try:
        validate_statement(statement, version="2.0.0")
    except XapiError as exc:
        return exc.path
    return None


def test_minimal_statement_is_valid() -> None:
    validate_statement(BASE, version="2.0.0")
    validate_statement(BASE, version="1.0.3")


def test_statement_must_be_an_object() -> None:
    assert error_path([BASE]) == "$"


@pytest.mark.parametrize("missing", ["actor", "verb", "object"])
def test_required_properties(missing: str) -> None:
    statement = with_()
    del statement[missing]
    assert error_path(statement) == f"$.{missing}"


def test_agent_needs_exactly_one_identifier() -> None:
    assert error_path(with_(actor={"name": "Ana"})) == "$.actor"
    both = {"mbox": "mailto:a@b.org", "openid": "http://openid.example.org/a"}
    assert error_path(with_(actor=both)) == "$.actor"


def test_account_needs_home_page_and_name() -> None:
    assert error_path(with_(actor={"account": {"name": "x"}})) == "$.actor.account.homePage"
    home = {"account": {"homePage": "http://example.org"}}
    assert error_path(with_(actor=home)) == "$.actor.account.name"


def test_mbox_sha1sum_must_be_hex_sha1() -> None:
    assert error_path(with_(actor={"mbox_sha1sum": "xyz"})) == "$.actor.mbox_sha1sum"


def test_group_members_must_be_agents() -> None:
    inner = {"objectType": "Group", "member": [{"mbox": "mailto:a@b.org"}]}
    group = {"objectType": "Group", "member": [inner]}
    assert error_path(with_(actor=group)) == "$.actor.member[0].objectType"


def test_identified_group_may_omit_members() -> None:
    validate_statement(
        with_(actor={"objectType": "Group", "mbox": "mailto:g@b.org"}), version="2.0.0"
    )


def test_object_agent_needs_object_type_to_be_an_agent() -> None:
    assert error_path(with_(object={"mbox": "mailto:a@b.org"})) == "$.object.mbox"


def test_substatement_cannot_nest_or_carry_an_id() -> None:
    sub = {"objectType": "SubStatement", **copy.deepcopy(BASE)}
    validate_statement(with_(object=sub), version="2.0.0")
    assert error_path(with_(object={**sub, "id": "x"})) == "$.object.id"
    nested = {**sub, "object": {"objectType": "SubStatement", **copy.deepcopy(BASE)}}
    assert error_path(with_(object=nested)) == "$.object.object.objectType"


def test_interaction_components_need_an_allowed_interaction_type() -> None:
    definition = {"interactionType": "true-false", "choices": [{"id": "a"}]}
    path = error_path(with_(object={"id": "http://x.org/q", "definition": definition}))
    assert path == "$.object.definition.choices"


def test_interaction_component_ids_are_unique() -> None:
    choices = [{"id": "a"}, {"id": "a"}]
    definition = {"interactionType": "choice", "choices": choices}
    path = error_path(with_(object={"id": "http://x.org/q", "definition": definition}))
    assert path == "$.object.definition.choices[1].id"


def test_score_rules() -> None:
    assert error_path(with_(result={"score": {"scaled": 1.5}})) == "$.result.score.scaled"
    assert error_path(with_(result={"score": {"min": 5, "max": 1}})) == "$.result.score.max"
    assert error_path(with_(result={"score": {"raw": 9, "max": 5}})) == "$.result.score.raw"


def test_revision_only_with_activity_object() -> None:
    statement = with_(object={"objectType": "Agent", "mbox": "mailto:b@b.org"})
    statement["context"] = {"revision": "2"}
    assert error_path(statement) == "$.context.revision"


def test_context_agents_only_in_2_0() -> None:
    party = {"objectType": "contextAgent", "agent": {"mbox": "mailto:t@b.org"}}
    statement = with_(context={"contextAgents": [party]})
    validate_statement(statement, version="2.0.0")
    assert error_path(statement, "1.0.3") == "$.context.contextAgents"


def test_version_must_match_the_protocol_version() -> None:
    validate_statement(with_(version="2.0.0"), version="2.0.0")
    assert error_path(with_(version="2.0.0"), "1.0.3") == "$.version"


def test_voiding_statement_must_target_a_statement_ref() -> None:
    statement = with_(verb={"id": "http://adlnet.gov/expapi/verbs/voided"})
    assert error_path(statement) == "$.object"


def test_timestamp_with_minus_zero_offset_is_rejected() -> None:
    assert error_path(with_(timestamp="2024-01-01T00:00:00-00:00")) == "$.timestamp"


def test_authority_group_must_be_two_anonymous_agents() -> None:
    members = [{"mbox": "mailto:a@b.org"}, {"mbox": "mailto:c@b.org"}]
    validate_statement(with_(authority={"objectType": "Group", "member": members}), version="2.0.0")
    three = {"objectType": "Group", "member": [*members, {"mbox": "mailto:d@b.org"}]}
    assert error_path(with_(authority=three)) == "$.authority.member"


@given(st.text(max_size=20))
def test_arbitrary_verb_ids_never_crash_the_validator(value: str) -> None:
    assert first_error(with_(verb={"id": value})) in (None, "$.verb.id")


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=10,
    )
)
def test_arbitrary_json_objects_raise_only_xapi_errors(value: Any) -> None:
    for key in ("actor", "verb", "object", "result", "context"):
        path = first_error(with_(**{key: value}))
        assert path is None or path.startswith(f"$.{key}")
