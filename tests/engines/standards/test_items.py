"""The JSON item format: schema, semantic checks, error paths, banks and canonical form."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from jsonschema import Draft202012Validator

from edubridge.engines.standards.errors import ItemFormatError
from edubridge.engines.standards.items import (
    _typed_validator,
    bank_problems,
    item_problems,
    item_schema,
    normalize_item,
    validate_bank,
    validate_item,
)

from .samples import ALL, sample


def _messages(item: object) -> list[str]:
    return [str(p) for p in item_problems(item)]


def test_schema_ships_in_the_package_and_is_valid_draft_2020_12() -> None:
    text = (
        resources.files("edubridge.engines.standards")
        .joinpath("schemas/item.schema.json")
        .read_text()
    )
    schema = json.loads(text)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert item_schema() == schema


@pytest.mark.parametrize("kind", sorted(ALL))
def test_every_sample_interaction_is_valid(kind: str) -> None:
    assert item_problems(sample(kind)) == []


def test_missing_required_key_is_reported_at_the_root() -> None:
    item = sample("choice")
    del item["stem"]
    assert "$: 'stem' is a required property" in _messages(item)


def test_unknown_top_level_key_is_an_error() -> None:
    item = sample("choice")
    item["colour"] = "red"
    assert any(m.startswith("$: unknown key(s)") and "colour" in m for m in _messages(item))


def test_wrong_format_literal_is_reported() -> None:
    item = sample("choice")
    item["format"] = "edubridge-item/2"
    assert any(m.startswith("$.format:") for m in _messages(item))


def test_error_names_the_json_path_of_a_bad_choice_id() -> None:
    item = sample("choice")
    item["interaction"]["choices"][1]["id"] = "has space"
    assert any(m.startswith("$.interaction.choices[1].id:") for m in _messages(item))


def test_keys_of_another_interaction_type_are_refused() -> None:
    item = sample("numeric_entry")
    item["interaction"]["choices"] = []
    assert any(m.startswith("$.interaction: unknown key(s)") for m in _messages(item))


def test_correct_choice_must_be_a_known_choice_id() -> None:
    item = sample("choice")
    item["correct_response"]["values"] = ["Z"]
    assert "$.correct_response.values[0]: 'Z' is not one of the choice ids" in _messages(item)


def test_single_choice_has_exactly_one_correct_value() -> None:
    item = sample("choice")
    item["correct_response"]["values"] = ["A", "B"]
    assert any("exactly one correct choice" in m for m in _messages(item))


def test_multiple_response_respects_max_choices() -> None:
    item = sample("multiple_response")
    item["interaction"]["max_choices"] = 1
    assert any("max_choices is 1" in m for m in _messages(item))


def test_order_response_lists_every_choice() -> None:
    item = sample("order")
    item["correct_response"]["values"] = ["n3", "n1"]
    assert any("every choice id once" in m for m in _messages(item))


def test_match_values_are_source_target_pairs() -> None:
    item = sample("match")
    item["correct_response"]["values"] = ["p x", "x p"]
    assert _messages(item) == ["$.correct_response.values[1]: 'x p' is not 'sourceId targetId'"]


def test_numeric_entry_needs_one_number() -> None:
    item = sample("numeric_entry")
    del item["template"]
    item["correct_response"]["values"] = ["36"]
    assert any("exactly one number" in m for m in _messages(item))


def test_extended_text_has_no_correct_response() -> None:
    item = sample("extended_text")
    item["correct_response"]["values"] = ["an essay"]
    assert any("scored by a person" in m for m in _messages(item))


def test_map_response_needs_a_mapping() -> None:
    item = sample("choice")
    item["scoring"] = {"method": "map_response"}
    assert "$.scoring.mapping: map_response scoring needs a mapping" in _messages(item)


def test_grade_and_grade_band_are_exclusive() -> None:
    item = sample("numeric_entry")
    item["grade_band"] = {"min": 3, "max": 5}
    assert "$: use either 'grade' or 'grade_band', not both" in _messages(item)


def test_grade_band_min_not_above_max() -> None:
    item = sample("choice")
    item["grade_band"] = {"min": 5, "max": 3}
    assert "$.grade_band: min is greater than max" in _messages(item)


def test_provenance_time_must_be_iso_8601() -> None:
    item = sample("choice")
    item["provenance"] = {"derived_from": None, "by": "x", "at": "yesterday"}
    assert any(m.startswith("$.provenance.at:") for m in _messages(item))


def test_licence_must_look_like_an_spdx_id() -> None:
    item = sample("choice")
    item["licence"] = "free for all!"
    assert any(m.startswith("$.licence:") for m in _messages(item))


def test_template_answer_must_compute_the_correct_response() -> None:
    item = sample("numeric_entry")
    item["correct_response"]["values"] = [35]
    assert _messages(item) == [
        "$.template.answer: 'a*b' gives 36 with the current values, but the correct response is 35"
    ]


def test_template_answer_within_tolerance_is_accepted() -> None:
    item = sample("numeric_entry")
    item["interaction"]["tolerance"] = 1
    item["correct_response"]["values"] = [35]
    assert _messages(item) == []


def test_template_answer_must_be_plain_arithmetic() -> None:
    item = sample("numeric_entry")
    item["template"]["answer"] = "__import__('os')"
    assert any(m.startswith("$.template.answer:") and "not allowed" in m for m in _messages(item))


def test_template_answer_names_only_declared_variables() -> None:
    item = sample("numeric_entry")
    item["template"]["answer"] = "a*c"
    assert "$.template.answer: unknown variable(s) ['c']" in _messages(item)


def test_template_value_must_be_written_in_the_stem() -> None:
    item = sample("numeric_entry")
    item["stem"] = item["stem"].replace("3斤", "三斤")
    assert "$.template.variables.a.value: 3 is not written in the stem" in _messages(item)


def test_template_value_must_lie_within_its_range() -> None:
    item = sample("numeric_entry")
    item["template"]["variables"]["a"]["max"] = 2
    assert "$.template.variables.a.value: 3 is outside [2, 2]" in _messages(item)


def test_integer_template_variable_needs_whole_numbers() -> None:
    item = sample("numeric_entry")
    item["template"]["variables"]["a"]["step"] = 0.5
    assert any("needs whole numbers" in m for m in _messages(item))


def test_template_on_a_choice_item_is_refused() -> None:
    item = sample("choice")
    item["stem"] += " 3"
    item["template"] = {"variables": {"a": {"type": "integer", "value": 3}}, "answer": "a"}
    assert any("numeric or text entry" in m for m in _messages(item))


def test_validate_item_raises_with_every_problem() -> None:
    with pytest.raises(ItemFormatError) as caught:
        validate_item({"id": "x"}, file="bank.json")
    assert str(caught.value).startswith("bank.json: $: 'format' is a required property")
    assert len(caught.value.problems) == 5


def test_bank_reports_duplicate_ids_with_paths() -> None:
    bank = {"format": "edubridge-bank/1", "id": "b", "items": [sample("choice"), sample("choice")]}
    assert [str(p) for p in bank_problems(bank)] == [
        "$.items[1].id: duplicate id 'en-g3-choice-1' (first at index 0)"
    ]


def test_bank_as_plain_array_is_accepted() -> None:
    assert len(validate_bank([sample(k) for k in ALL])) == len(ALL)


def test_bank_item_problems_carry_the_item_index() -> None:
    broken = sample("order")
    broken["stem"] = ""
    assert any(str(p).startswith("$[1].stem:") for p in bank_problems([sample("choice"), broken]))


def test_normalize_fills_defaults_and_is_idempotent() -> None:
    item = normalize_item(sample("choice"))
    assert item["scoring"] == {"method": "match_correct", "max_score": 1}
    assert normalize_item(item) == item
    assert normalize_item(sample("extended_text"))["scoring"]["method"] == "human"


MUTATIONS = [
    lambda i: i["interaction"].update(colour="red"),
    lambda i: i["interaction"].pop("choices", None) or i["interaction"].pop("source", None),
    lambda i: i["interaction"].update(shuffle="yes"),
    lambda i: i["interaction"].update(tolerance=-1),
    lambda i: i["interaction"].update(prompt=3),
    lambda i: i.update(stem=""),
    lambda i: i.update(language="Chinese"),
]


@pytest.mark.parametrize("kind", sorted(ALL))
@pytest.mark.parametrize("mutate", range(len(MUTATIONS)))
def test_fast_typed_validator_agrees_with_the_published_schema(kind: str, mutate: int) -> None:
    item = sample(kind)
    MUTATIONS[mutate](item)
    published = Draft202012Validator(item_schema()).is_valid(item)
    assert (not any(True for _ in _typed_validator(kind).iter_errors(item))) == published
