"""Hypothesis strategies that generate valid EduBridge items of every interaction type."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from edubridge.engines.standards.expression import evaluate

IDENT = st.from_regex(r"\A[A-Za-z][A-Za-z0-9_-]{0,8}\Z")
# Letters, digits, punctuation and spaces from any script; XML-safe by construction.
TEXT = st.text(
    alphabet=st.characters(categories=["L", "N", "P", "Zs", "Sm", "Sc"]), min_size=1, max_size=30
)
LANGUAGES = st.sampled_from(["zh-CN", "en-US", "id-ID", "ar-EG", "fr"])


def _unique_ids(n_min: int, n_max: int, prefix: str = "") -> st.SearchStrategy[list[str]]:
    return st.lists(IDENT, min_size=n_min, max_size=n_max, unique_by=str.lower).map(
        lambda ids: [prefix + i for i in ids]
    )


@st.composite
def _choices(draw: st.DrawFn, prefix: str = "", n_min: int = 1) -> list[dict[str, str]]:
    ids = draw(_unique_ids(n_min, 5, prefix))
    return [{"id": i, "text": draw(TEXT.filter(str.strip))} for i in ids]


@st.composite
def _scoring(draw: st.DrawFn, keys: list[str]) -> dict[str, Any]:
    scoring: dict[str, Any] = {"max_score": draw(st.sampled_from([1, 2, 0.5, 10]))}
    if keys and draw(st.booleans()):
        scoring["method"] = "map_response"
        scoring["mapping"] = {k: draw(st.sampled_from([1, 0.5, -1, 2])) for k in keys}
    elif draw(st.booleans()):
        scoring["method"] = "match_correct"
    return scoring


@st.composite
def _template(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    names = draw(
        st.lists(
            st.sampled_from(["a", "b", "c", "price", "n"]), min_size=1, max_size=3, unique=True
        )
    )
    variables: dict[str, Any] = {}
    for name in names:
        if draw(st.booleans()):
            low = draw(st.integers(1, 20))
            step = draw(st.sampled_from([None, 1, 2]))
            count = draw(st.integers(0, 10))
            var: dict[str, Any] = {"type": "integer", "min": low, "max": low + count * (step or 1)}
            var["value"] = low + draw(st.integers(0, count)) * (step or 1)
            if step:
                var["step"] = step
        else:
            low_f = draw(st.sampled_from([0.5, 1.0, 1.5, 2.25]))
            step_f = draw(st.sampled_from([None, 0.5, 0.25]))
            count = draw(st.integers(1, 8))
            var = {"type": "float", "min": low_f}
            if step_f:
                var["step"] = step_f
                var["max"] = low_f + count * step_f
                var["value"] = low_f + draw(st.integers(0, count)) * step_f
            else:
                var["max"] = low_f + count
                var["value"] = low_f
        variables[name] = var
    expression = names[0]
    for name in names[1:]:
        expression = f"{expression} {draw(st.sampled_from(['+', '-', '*']))} {name}"
    if draw(st.booleans()):
        expression = f"({expression}) {draw(st.sampled_from(['*', '/', '+']))} {draw(st.sampled_from([2, 4, 10]))}"
    if draw(st.booleans()):
        expression = f"-{expression}" if "(" not in expression else expression
    return {"variables": variables, "answer": expression}, " ".join(
        f"{name}={var['value']}" for name, var in variables.items()
    )


@st.composite
def items(draw: st.DrawFn) -> dict[str, Any]:
    """A valid item (any interaction, optional template, feedback, hints and metadata)."""
    kind = draw(
        st.sampled_from(
            [
                "choice",
                "multiple_response",
                "text_entry",
                "numeric_entry",
                "extended_text",
                "order",
                "match",
            ]
        )
    )
    stem_lines = draw(st.lists(TEXT, min_size=1, max_size=3))
    item: dict[str, Any] = {
        "id": draw(IDENT),
        "format": "edubridge-item/1",
        "language": draw(LANGUAGES),
        "stem": "\n".join(stem_lines),
    }
    if draw(st.booleans()):
        item["title"] = draw(TEXT)
    interaction: dict[str, Any] = {"type": kind}
    if draw(st.booleans()):
        interaction["prompt"] = draw(TEXT)
    values: list[Any]
    keys: list[str] = []
    if kind in ("choice", "multiple_response", "order"):
        choices = draw(_choices())
        interaction["choices"] = choices
        ids = [c["id"] for c in choices]
        if draw(st.booleans()):
            interaction["shuffle"] = draw(st.booleans())
        if kind == "choice":
            values = [draw(st.sampled_from(ids))]
        elif kind == "order":
            values = draw(st.permutations(ids))
        else:
            values = draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
            interaction["max_choices"] = draw(st.sampled_from([0, len(values), len(ids)]))
        keys = ids
    elif kind == "match":
        source = draw(_choices("s"))
        target = draw(_choices("t"))
        interaction.update(source=source, target=target)
        pairs = [f"{s['id']} {t['id']}" for s in source for t in target]
        values = draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=4, unique=True))
        interaction["max_associations"] = draw(st.sampled_from([0, len(values)]))
        keys = pairs[:6]
    elif kind == "text_entry":
        values = draw(st.lists(TEXT, min_size=1, max_size=3))
        interaction["case_sensitive"] = draw(st.booleans())
        if draw(st.booleans()):
            interaction["expected_length"] = draw(st.integers(1, 40))
        keys = list(dict.fromkeys(values))
    elif kind == "numeric_entry":
        if draw(st.booleans()):
            interaction["unit"] = draw(st.sampled_from(["元", "kg", "cm", None]))
        if draw(st.booleans()):
            interaction["tolerance"] = draw(st.sampled_from([0, 0.5, 1]))
        if draw(st.booleans()):
            template, printed = draw(_template())
            item["template"] = template
            item["stem"] += "\n" + printed
            current = {k: v["value"] for k, v in template["variables"].items()}
            values = [evaluate(template["answer"], current)]
        else:
            values = [draw(st.integers(-1000, 1000) | st.sampled_from([2.5, 0.75, 12.125]))]
        keys = [str(values[0])]
    else:
        values = []
        if draw(st.booleans()):
            interaction["expected_lines"] = draw(st.integers(1, 20))
        item["scoring"] = {"method": "human", "max_score": draw(st.sampled_from([1, 4]))}
    item["interaction"] = interaction
    item["correct_response"] = {"values": values}
    if kind != "extended_text" and draw(st.booleans()):
        item["scoring"] = draw(_scoring(keys))
    if draw(st.booleans()):
        item["feedback"] = draw(
            st.fixed_dictionaries({}, optional={"correct": TEXT, "incorrect": TEXT})
        )
    if draw(st.booleans()):
        item["hints"] = draw(st.lists(TEXT, max_size=3))
    if draw(st.booleans()):
        item["grade"] = draw(st.integers(1, 12))
    if draw(st.booleans()):
        item["subject"] = "mathematics"
        item["licence"] = draw(st.sampled_from(["CC-BY-4.0", "CC0-1.0", "CC-BY-SA-4.0"]))
    if draw(st.booleans()):
        item["alignments"] = [{"framework": "fw", "item": draw(IDENT), "code": draw(TEXT)}]
    if draw(st.booleans()):
        item["provenance"] = {
            "derived_from": {"item": draw(IDENT), "version": draw(st.integers(1, 5))},
            "by": draw(TEXT),
            "at": "2026-11-22T10:00:00+00:00",
            "method": "localization",
        }
    if draw(st.booleans()):
        item["metadata"] = draw(
            st.dictionaries(IDENT, st.integers() | TEXT | st.booleans(), max_size=3)
        )
    return item
