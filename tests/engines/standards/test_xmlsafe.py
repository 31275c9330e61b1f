"""Untrusted XML is refused before it can expand entities, reach the network or exhaust memory."""

from __future__ import annotations

import re

import pytest

from edubridge.engines.standards.errors import XmlSafetyError
from edubridge.engines.standards.xmlsafe import parse_xml

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<lolz>&lol3;</lolz>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<foo>&xxe;</foo>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE foo SYSTEM "http://example.com/evil.dtd">
<foo/>"""


def test_entity_expansion_is_refused() -> None:
    with pytest.raises(
        XmlSafetyError,
        match=re.escape("item.xml: line 2: DOCTYPE/ENTITY declarations are not allowed"),
    ):
        parse_xml(BILLION_LAUGHS, file="item.xml")


def test_external_entities_are_refused() -> None:
    with pytest.raises(XmlSafetyError, match="not allowed"):
        parse_xml(EXTERNAL_ENTITY)


def test_external_dtd_is_refused() -> None:
    with pytest.raises(XmlSafetyError, match="not allowed"):
        parse_xml(EXTERNAL_DTD)


def test_utf16_doctype_is_refused() -> None:
    with pytest.raises(XmlSafetyError, match="not allowed"):
        parse_xml(BILLION_LAUGHS.replace(b'<?xml version="1.0"?>', b"").decode().encode("utf-16"))


def test_oversized_xml_is_refused_before_parsing() -> None:
    with pytest.raises(XmlSafetyError, match="more than the 100-byte limit"):
        parse_xml(b"<a>" + b"x" * 200 + b"</a>", max_bytes=100)


def test_malformed_xml_names_the_line() -> None:
    with pytest.raises(XmlSafetyError, match=r"x.xml: line 3: not well-formed XML"):
        parse_xml(b"<a>\n<b>\n</a>", file="x.xml")


def test_deeply_nested_xml_is_refused() -> None:
    with pytest.raises(XmlSafetyError, match="not well-formed"):
        parse_xml(b"<a>" * 300_000 + b"</a>" * 300_000, max_bytes=10_000_000)


def test_plain_xml_parses() -> None:
    assert parse_xml(b"<a><b>text</b></a>").findtext("b") == "text"
