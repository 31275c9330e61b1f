"""XLIFF 2.1 export and import, so human translators can use their own tools.

Placeholders become inline <ph/> elements carrying the protected text in `disp`; on import they
turn back into {phN} and the translation goes through the same checks as any provider's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree

from .translate import PLACEHOLDER, Segment

NS = "urn:oasis:names:tc:xliff:document:2.0"
_SPLIT = re.compile(r"(\{ph\d+\})")


def export_xliff(segments: Sequence[Segment], source_lang: str, target_lang: str) -> bytes:
    """An XLIFF 2.1 document with one <unit> per segment."""
    root = etree.Element(
        f"{{{NS}}}xliff", nsmap={None: NS}, version="2.1", srcLang=source_lang, trgLang=target_lang
    )
    file_el = etree.SubElement(root, f"{{{NS}}}file", id="f1")
    for seg in segments:
        unit = etree.SubElement(file_el, f"{{{NS}}}unit", id=_xml_id(seg.id))
        notes = etree.SubElement(unit, f"{{{NS}}}notes")
        note = etree.SubElement(notes, f"{{{NS}}}note", category="location")
        note.text = seg.id
        segment = etree.SubElement(unit, f"{{{NS}}}segment")
        source = etree.SubElement(segment, f"{{{NS}}}source")
        _fill(source, seg)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _xml_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text)


def _fill(parent: etree._Element, seg: Segment) -> None:
    last: etree._Element | None = None
    parent.text = ""
    for part in _SPLIT.split(seg.source):
        m = PLACEHOLDER.fullmatch(part)
        if m:
            key = f"ph{m.group(1)}"
            last = etree.SubElement(parent, f"{{{NS}}}ph", id=key, disp=seg.tokens.get(key, ""))
            last.tail = ""
        elif last is None:
            parent.text = (parent.text or "") + part
        else:
            last.tail = (last.tail or "") + part


@dataclass
class XliffProvider:
    """Translations read from a returned XLIFF 2.1 file (a human translator's work)."""

    targets: dict[str, str] = field(default_factory=dict)
    name: str = "xliff"
    machine: bool = False

    def translate(
        self, segments: Sequence[Segment], source_lang: str, target_lang: str
    ) -> list[str | None]:
        return [self.targets.get(s.id) for s in segments]


def import_xliff(data: bytes) -> XliffProvider:
    """Read <target> texts (with <ph/> turned back into {phN}) keyed by segment id."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(data, parser)
    out: dict[str, str] = {}
    for unit in root.iter(f"{{{NS}}}unit"):
        note = unit.find(f"{{{NS}}}notes/{{{NS}}}note")
        seg_id = note.text if note is not None and note.text else str(unit.get("id"))
        target = unit.find(f"{{{NS}}}segment/{{{NS}}}target")
        if target is None:
            continue
        parts = [target.text or ""]
        for child in target:
            if etree.QName(child).localname == "ph":
                parts.append("{" + str(child.get("id")) + "}")
            parts.append(child.tail or "")
        out[seg_id] = "".join(parts)
    return XliffProvider(out)
