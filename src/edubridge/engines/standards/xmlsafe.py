"""Parse untrusted XML safely: no DTDs, no entity expansion, no network, bounded size.

QTI items and manifests never need a DOCTYPE, so any DTD is refused outright (this stops
"billion laughs" and external-entity attacks before libxml2 sees them); lxml is then run with
entity resolution and network access switched off and its default depth/size limits kept.
"""

from __future__ import annotations

from lxml import etree

from edubridge.engines.standards.errors import Problem, XmlSafetyError

MAX_XML_BYTES = 5 * 1024 * 1024


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(
    data: bytes, *, file: str = "<xml>", max_bytes: int = MAX_XML_BYTES
) -> etree._Element:
    """The root element of ``data``; raises :class:`XmlSafetyError` naming ``file`` and the line."""
    if len(data) > max_bytes:
        raise XmlSafetyError(
            Problem(
                "", f"{len(data)} bytes is more than the {max_bytes}-byte limit for one XML file"
            ),
            file=file,
        )
    for marker in (b"<!DOCTYPE", b"<!ENTITY", b"\x00<\x00!\x00D", b"<\x00!\x00D\x00"):
        if marker in data:
            line = data[: data.index(marker)].count(b"\n") + 1
            raise XmlSafetyError(
                Problem(f"line {line}", "DOCTYPE/ENTITY declarations are not allowed"), file=file
            )
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else 0
        raise XmlSafetyError(
            Problem(f"line {line}", f"not well-formed XML: {exc.msg}"), file=file
        ) from None
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise XmlSafetyError(Problem("line 1", "DOCTYPE declarations are not allowed"), file=file)
    return root
