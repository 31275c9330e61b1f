"""Property: for any localized item, the answer recomputed from its own numbers is the stated one."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edubridge.engines.localize import Options, load_pack, localize_items
from edubridge.engines.localize.expr import evaluate

from .conftest import make_item
from .goldset import TARGETS, numbers_in, stated_answer

ZH_TEMPLATES = [
    ("{name}买了{a}斤{food}，每斤{b}元。一共花了多少元？", "a*b"),
    ("{name}有{c}元，买{food}用了{b}元，还剩多少元？", "c-b"),
    ("{name}买了{a}支铅笔，每支{b}元，付了{c}元，应找回多少元？", "c-a*b"),
    ("{name}买了{a}斤{food}，一共花了{d}元，每斤多少元？", "d/a"),
]
EN_TEMPLATES = [
    (
        "{name} bought {a} pounds of {food} at ${b} per pound. How many dollars did they spend?",
        "a*b",
    ),
    ("{name} had {c} dollars and spent {b} dollars on {food}. How many dollars are left?", "c-b"),
    ("{name} ran {a} miles a day for {b} days. How many miles in all?", "a*b"),
]
ZH_NAMES, EN_NAMES = ["小明", "小红", "小华"], ["Tom", "Emma", "Jack"]
ZH_FOODS, EN_FOODS = ["猪肉", "牛肉", "鸡肉", "大米"], ["pork", "beef", "rice", "ham"]


@st.composite
def items(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    zh = draw(st.booleans())
    stem, expr = draw(st.sampled_from(ZH_TEMPLATES if zh else EN_TEMPLATES))
    a = draw(st.integers(2, 9))
    b = draw(st.integers(2, 60))
    c = b + draw(st.integers(1, 99)) + (a * b if "c-a*b" in expr else 0)
    d = a * draw(st.integers(2, 40))
    values = {"a": a, "b": b, "c": c, "d": d}
    text = stem.format(name=draw(st.sampled_from(ZH_NAMES if zh else EN_NAMES)),
                       food=draw(st.sampled_from(ZH_FOODS if zh else EN_FOODS)), **values)  # fmt: skip
    answer = evaluate(expr, {k: Fraction(v) for k, v in values.items()})
    used = [k for k in "abcd" if "{" + k + "}" in stem]
    item = make_item(text, int(answer), language="zh-CN" if zh else "en-US",
                     unit="元" if zh and "元" in stem else None)  # fmt: skip
    if draw(st.booleans()):
        item["template"] = {"variables": {k: {"type": "integer", "value": values[k]} for k in used},
                            "answer": expr}  # fmt: skip
    return item, draw(st.sampled_from(TARGETS))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items())
def test_recomputing_the_answer_from_the_items_own_numbers(
    case: tuple[dict[str, Any], str],
) -> None:
    item, target = case
    out = localize_items([item], Options(target=target)).to_dict()["items"][0]
    relation = out.get("metadata", {}).get("localize", {}).get("relation")
    lang = item["language"][:2]
    currency = (
        load_pack(target).currency
        if target != item["language"]
        else load_pack(item["language"]).currency
    )
    nums = numbers_in(out["stem"], lang, target, currency)
    stated = stated_answer(out, lang, target, currency)
    if relation is None:
        # nothing numeric changed: the numbers are the source's and so is the answer
        assert (
            nums == numbers_in(item["stem"], lang, item["language"], currency)
            or target == item["language"]
        )
        assert stated == Fraction(item["correct_response"]["values"][0])
    else:
        assert evaluate(relation, {f"n{i}": v for i, v in enumerate(nums)}) == stated
    if "template" in out:
        t = out["template"]
        values = {k: Fraction(str(v["value"])) for k, v in t["variables"].items()}
        assert evaluate(t["answer"], values) == stated
