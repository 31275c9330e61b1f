"""Statement JSON through orjson: the same text and the same meaning as the standard library."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from edubridge.records import jsoncodec
from edubridge.records.models import Statement
from tests.records.conftest import Xapi, statement


def _stdlib(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def test_a_statement_is_encoded_exactly_as_the_standard_library_does() -> None:
    sent = statement(
        result={"score": {"raw": 7, "min": 0, "max": 10, "scaled": 0.7}, "response": 'a "b"\n\t'},
        context={"language": "zh-CN", "extensions": {"http://x.example/e": ["完成", None, True]}},
    )
    sent["verb"]["display"] = {"ar": "أجاب", "en-US": "answered\u2028"}
    assert jsoncodec.dumps(sent) == _stdlib(sent)


def test_what_orjson_cannot_encode_falls_back_to_the_standard_library() -> None:
    for value in ({"raw": 2**70}, {"text": "\ud800"}, {1: "integer key"}):
        assert jsoncodec.dumps(value) == _stdlib(value)


def test_sorted_encoding_sorts_keys_at_every_level() -> None:
    value = {"b": {"y": 1, "x": 2}, "a": [{"d": 1, "c": 2}]}
    assert jsoncodec.dumps_sorted(value) == '{"a":[{"c":2,"d":1}],"b":{"x":2,"y":1}}'


@pytest.mark.parametrize(
    "body", [b'{"a": [1, 2.5, "\\u00e9", null, true]}', b'"x"', b"[]", '{"ä": 1}']
)
def test_parsing_gives_what_the_standard_library_gives(body: bytes | str) -> None:
    assert jsoncodec.loads(body) == json.loads(body)


def test_nan_and_lone_surrogates_are_parsed_as_before() -> None:
    assert math.isnan(jsoncodec.loads(b'{"raw": NaN}')["raw"])
    assert jsoncodec.loads(b'"\\ud800"') == "\ud800"


@pytest.mark.parametrize("body", [b"{not json", b"", b"[1,]", b"\xff\xfe", b'"\xc3\x28"'])
def test_text_that_is_not_json_raises_a_decode_error(body: bytes) -> None:
    with pytest.raises((json.JSONDecodeError, UnicodeDecodeError)):
        jsoncodec.loads(body)


def test_a_nan_score_is_refused_naming_the_property(xapi: Xapi) -> None:
    body = json.dumps(statement(result={"score": {"raw": float("nan")}}))
    response = xapi.request("POST", "statements", raw=body.encode())
    assert response.status_code == 400
    assert response.json()["path"] == "$.result.score.raw"


def test_the_stored_payload_is_the_statement_re_served_unchanged(xapi: Xapi) -> None:
    sent = statement(result={"response": "jawaban «benar»", "score": {"scaled": 1e-7}})
    xapi.post("statements", sent)
    row = Statement.objects.get(statement_id=sent["id"])
    stored = json.loads(row.payload)
    assert stored["result"] == sent["result"]
    got = xapi.get("statements", params={"statementId": sent["id"]}).json()
    assert got["result"] == sent["result"]
    assert list(got)[:4] == ["id", "actor", "verb", "object"]


@pytest.mark.parametrize("body", [b"[123456789012345678901234567890]", "[-18446744073709551616]"])
def test_an_integer_beyond_64_bits_keeps_every_digit(body: bytes | str) -> None:
    parsed = jsoncodec.loads(body)
    assert parsed == json.loads(body)
    assert isinstance(parsed[0], int)


def test_an_extension_with_a_huge_integer_is_served_back_digit_for_digit(xapi: Xapi) -> None:
    huge = 2**80 + 1
    sent = statement(result={"extensions": {"http://x.example/count": huge}})
    xapi.post("statements", sent)
    got = xapi.get("statements", params={"statementId": sent["id"]}).json()
    assert got["result"]["extensions"]["http://x.example/count"] == huge
