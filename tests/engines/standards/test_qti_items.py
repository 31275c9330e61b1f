"""QTI 3 items in and out, one interaction type at a time, and the 1EdTech examples."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from edubridge.engines.standards.errors import QtiError, UnsupportedItemError
from edubridge.engines.standards.items import normalize_item
from edubridge.engines.standards.qti.names import ASI
from edubridge.engines.standards.qti.reader import read_item_xml
from edubridge.engines.standards.qti.structure import check_item_structure
from edubridge.engines.standards.qti.writer import write_item_xml

from .samples import ALL, sample

NS = {"q": ASI}


def _xml(kind: str) -> etree._Element:
    return etree.fromstring(write_item_xml(sample(kind)))


@pytest.mark.parametrize("kind", sorted(ALL))
def test_each_interaction_type_round_trips(kind: str) -> None:
    item = sample(kind)
    assert read_item_xml(write_item_xml(item)) == normalize_item(item)


@pytest.mark.parametrize("kind", sorted(ALL))
def test_written_items_pass_the_structural_validator(kind: str) -> None:
    assert check_item_structure(_xml(kind)) == []


def test_choice_becomes_a_single_identifier_choice_interaction() -> None:
    root = _xml("choice")
    decl = root.find("q:qti-response-declaration", NS)
    assert (decl.get("cardinality"), decl.get("base-type")) == ("single", "identifier")
    interaction = root.find(".//q:qti-choice-interaction", NS)
    assert interaction.get("max-choices") == "1"
    assert interaction.get("shuffle") == "true"
    assert interaction.findtext("q:qti-prompt", namespaces=NS) == "Pick one."
    assert [c.get("identifier") for c in interaction.findall("q:qti-simple-choice", NS)] == [
        "A",
        "B",
        "C",
    ]


def test_multiple_response_is_a_choice_interaction_with_multiple_cardinality_and_mapping() -> None:
    root = _xml("multiple_response")
    decl = root.find("q:qti-response-declaration", NS)
    assert decl.get("cardinality") == "multiple"
    assert root.find(".//q:qti-choice-interaction", NS).get("max-choices") == "0"
    entries = {
        e.get("map-key"): e.get("mapped-value") for e in decl.iterfind(".//q:qti-map-entry", NS)
    }
    assert entries == {"sq": "1", "re": "1", "tr": "-1"}
    assert root.find("q:qti-response-processing", NS).get("template").endswith("/map_response")


def test_numeric_entry_is_text_entry_with_float_base_type_and_unit() -> None:
    root = _xml("numeric_entry")
    assert root.find("q:qti-response-declaration", NS).get("base-type") == "float"
    holder = root.find(".//q:div[@class='edubridge-response']", NS)
    assert holder.find("q:qti-text-entry-interaction", NS) is not None
    assert holder.findtext("q:span[@class='edubridge-unit']", namespaces=NS) == "元"


def test_numeric_tolerance_is_written_as_absolute_equal() -> None:
    item = sample("numeric_entry")
    del item["template"]
    item["interaction"]["tolerance"] = 0.5
    root = etree.fromstring(write_item_xml(item))
    equal = root.find(".//q:qti-equal", NS)
    assert (equal.get("tolerance-mode"), equal.get("tolerance")) == ("absolute", "0.5 0.5")
    assert read_item_xml(write_item_xml(item))["interaction"]["tolerance"] == 0.5


def test_text_entry_accepts_every_listed_string_case_insensitively() -> None:
    root = _xml("text_entry")
    matches = root.findall(".//q:qti-string-match", NS)
    assert [m.get("case-sensitive") for m in matches] == ["false", "false"]
    assert [m.findtext("q:qti-base-value", namespaces=NS) for m in matches] == [
        "Selasa",
        "hari Selasa",
    ]
    assert root.find(".//q:qti-text-entry-interaction", NS).get("expected-length") == "8"


def test_extended_text_has_no_response_processing() -> None:
    root = _xml("extended_text")
    assert root.find("q:qti-response-processing", NS) is None
    assert root.find(".//q:qti-extended-text-interaction", NS).get("expected-lines") == "5"


def test_order_uses_ordered_cardinality() -> None:
    root = _xml("order")
    assert root.find("q:qti-response-declaration", NS).get("cardinality") == "ordered"
    values = [v.text for v in root.iterfind(".//q:qti-correct-response/q:qti-value", NS)]
    assert values == ["n3", "n1", "n2"]


def test_match_uses_directed_pairs_and_two_match_sets() -> None:
    root = _xml("match")
    assert root.find("q:qti-response-declaration", NS).get("base-type") == "directedPair"
    sets = root.findall(".//q:qti-simple-match-set", NS)
    assert len(sets) == 2
    assert root.find(".//q:qti-match-interaction", NS).get("max-associations") == "2"


def test_template_variables_become_declarations_and_random_rules() -> None:
    root = _xml("numeric_entry")
    decls = {d.get("identifier"): d for d in root.findall("q:qti-template-declaration", NS)}
    assert decls["a"].findtext(".//q:qti-value", namespaces=NS) == "3"
    rule = root.find(".//q:qti-set-template-value[@identifier='a']/q:qti-random-integer", NS)
    assert (rule.get("min"), rule.get("max")) == ("2", "9")
    answer = root.find(".//q:qti-set-correct-response/q:qti-product", NS)
    assert [v.get("identifier") for v in answer] == ["a", "b"]


def test_stem_numbers_print_the_template_variables() -> None:
    root = _xml("numeric_entry")
    printed = root.findall(".//q:qti-item-body/q:p/q:qti-printed-variable", NS)
    assert [p.get("identifier") for p in printed] == ["a", "b"]


def test_feedback_is_modal_feedback_on_the_feedback_outcome() -> None:
    root = _xml("numeric_entry")
    modal = {
        m.get("identifier"): m
        for m in root.findall("q:qti-modal-feedback[@outcome-identifier='FEEDBACK']", NS)
    }
    assert set(modal) == {"correct", "incorrect"}
    assert (
        root.find(".//q:qti-response-if/q:qti-set-outcome-value[@identifier='FEEDBACK']", NS)
        is not None
    )


def test_hints_are_modal_feedback_on_the_hint_outcome_in_order() -> None:
    root = _xml("numeric_entry")
    hints = root.findall("q:qti-modal-feedback[@outcome-identifier='HINT']", NS)
    assert [h.get("identifier") for h in hints] == ["HINT_1", "HINT_2"]
    assert read_item_xml(etree.tostring(root))["hints"] == sample("numeric_entry")["hints"]


def test_max_score_is_carried_by_the_maxscore_outcome() -> None:
    item = sample("order")
    item["scoring"] = {"max_score": 3}
    assert read_item_xml(write_item_xml(item))["scoring"]["max_score"] == 3


def test_metadata_without_a_qti_home_survives() -> None:
    back = read_item_xml(write_item_xml(sample("numeric_entry")))
    for key in ("grade", "subject", "licence", "author_organization", "alignments"):
        assert back[key] == sample("numeric_entry")[key]


def test_answer_text_written_by_the_author_is_kept() -> None:
    assert read_item_xml(write_item_xml(sample("numeric_entry")))["template"]["answer"] == "a*b"


def test_item_id_that_is_not_a_qti_identifier_is_refused() -> None:
    item = sample("choice")
    item["id"] = "0001 bad"
    with pytest.raises(QtiError, match="not a valid QTI identifier"):
        write_item_xml(item)


# ---------------------------------------------------------------- 1EdTech examples (read in place)

SUPPORTED = {
    "QTI3_BeginnersGuide_Examples/items/firstexample.xml": ("choice", ["A"]),
    "QTI3_BeginnersGuide_Examples/items/BG007.xml": ("choice", ["true"]),
    "QTI3_BeginnersGuide_Examples/items/BG008.xml": ("multiple_response", ["A", "C", "D"]),
    "QTI3_BeginnersGuide_Examples/items/BG009.xml": ("extended_text", []),
    "QTI3_BeginnersGuide_Examples/items/BG010.xml": ("text_entry", ["York"]),
    "QTI3_BeginnersGuide_Examples/items/BG011.xml": ("extended_text", []),
    "qtiv3-examples/items/shared-vocabulary/Items/Item_QTI3_CompWater_01/composition_of_water_qti3.xml": (
        "multiple_response",
        ["H", "O"],
    ),
    "qtiv3-examples/items/shared-vocabulary/Items/Item_QTI3_Luggage_01/unattended_luggage_qti3.xml": (
        "choice",
        ["ChoiceA"],
    ),
    "qtiv3-examples/items/shared-vocabulary/Items/Item_QTI3_Match_01/match_qti3.xml": (
        "match",
        ["C R", "D M", "L M", "P T"],
    ),
    "qtiv3-examples/items/shared-vocabulary/Items/Item_QTI3_WritingPostcard_01/extended_text_qti3.xml": (
        "extended_text",
        [],
    ),
}
UNSUPPORTED = {
    "Item_QTI3_Gap_Match_01/gap-match-qti3.xml": "qti-gap-match-interaction",
    "Item_QTI3_Graphic_Gap_Match_01/graphic-gap-match-qti3.xml": "qti-graphic-gap-match-interaction",
    "Item_QTI3_Hotspot_01/hotspot-qti3.xml": "qti-hotspot-interaction",
    "Item_QTI3_Hottext_01/hottext-qti3.xml": "qti-hottext-interaction",
    "Item_QTI3_RichardTake2_01/inline_choice_qti3.xml": "qti-inline-choice-interaction",
    "Item_QTI3_RichardTake3_01/text_entry_qti3.xml": "11 interactions",
}


@pytest.mark.parametrize("relative", sorted(SUPPORTED))
def test_supported_1edtech_examples_import(examples: Path, relative: str) -> None:
    kind, values = SUPPORTED[relative]
    item = read_item_xml((examples / relative).read_bytes(), file=relative)
    assert item["interaction"]["type"] == kind
    assert item["correct_response"]["values"] == values
    assert item["stem"]


@pytest.mark.parametrize("relative", sorted(SUPPORTED))
def test_imported_examples_survive_our_writer(examples: Path, relative: str) -> None:
    item = read_item_xml((examples / relative).read_bytes(), file=relative)
    assert read_item_xml(write_item_xml(item)) == item


def test_example_text_entry_keeps_its_mapping(examples: Path) -> None:
    item = read_item_xml((examples / "QTI3_BeginnersGuide_Examples/items/BG010.xml").read_bytes())
    assert item["scoring"] == {
        "method": "map_response",
        "mapping": {"York": 1, "york": 0.5},
        "max_score": 1,
    }
    assert "sun of ____;" in item["stem"]


def test_example_prompt_becomes_the_stem_when_the_body_has_no_text(examples: Path) -> None:
    relative = "qtiv3-examples/items/shared-vocabulary/Items/Item_QTI3_Match_01/match_qti3.xml"
    item = read_item_xml((examples / relative).read_bytes())
    assert item["stem"].startswith("Match the following characters")
    assert item["scoring"]["max_score"] == 3


@pytest.mark.parametrize("relative", sorted(UNSUPPORTED))
def test_unsupported_examples_are_refused_with_the_reason(examples: Path, relative: str) -> None:
    path = examples / "qtiv3-examples/items/shared-vocabulary/Items" / relative
    with pytest.raises(UnsupportedItemError, match=UNSUPPORTED[relative]) as caught:
        read_item_xml(path.read_bytes(), file=path.name)
    assert str(caught.value).startswith(f"{path.name}: line ")


def test_an_assessment_test_is_not_an_item(examples: Path) -> None:
    with pytest.raises(QtiError, match="not <qti-assessment-item>"):
        read_item_xml((examples / "qtiv3-examples/tests/complete.xml").read_bytes())
