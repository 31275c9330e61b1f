"""Common Cartridge 1.3 *thin* cartridge export for a course (a bank split into sections).

A thin cartridge carries no content, only links: each section becomes an organization item and
each item a web link (or an LTI 1.3 link when the node gives a launch URL) to the item on the
node. A learning platform (Moodle, Canvas) imports it to build the course outline.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from edubridge.engines.standards.errors import PackageError, Problem
from edubridge.engines.standards.xmlsafe import parse_xml

CC = "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1"
LOM_MANIFEST = "http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest"
WEBLINK = "http://www.imsglobal.org/xsd/imsccv1p3/imswl_v1p3"
LTI_CC = "http://www.imsglobal.org/xsd/imslticc_v1p3"
BLTI = "http://www.imsglobal.org/xsd/imsbasiclti_v1p0"
LTICM = "http://www.imsglobal.org/xsd/imslticm_v1p0"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Section:
    """A titled, ordered group of item ids."""

    title: str
    item_ids: tuple[str, ...]


@dataclass(frozen=True)
class Course:
    """What the cartridge describes. ``item_url`` has ``{id}`` where the item id goes."""

    identifier: str
    title: str
    language: str
    sections: tuple[Section, ...]
    item_titles: dict[str, str] = field(default_factory=dict)
    item_url: str = "https://edubridge.invalid/items/{id}"
    lti_launch_url: str | None = None


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    node = etree.SubElement(parent, tag, dict(attrs))
    if text is not None:
        node.text = text
    return node


def _link_xml(course: Course, item_id: str) -> bytes:
    title = course.item_titles.get(item_id, item_id)
    url = course.item_url.format(id=item_id)
    if course.lti_launch_url:
        root = etree.Element(
            f"{{{LTI_CC}}}cartridge_basiclti_link",
            nsmap={None: LTI_CC, "blti": BLTI, "lticm": LTICM},
        )
        _sub(root, f"{{{BLTI}}}title", title)
        custom = _sub(root, f"{{{BLTI}}}custom")
        _sub(custom, f"{{{LTICM}}}property", item_id, name="item_id")
        _sub(root, f"{{{BLTI}}}launch_url", course.lti_launch_url)
    else:
        root = etree.Element(f"{{{WEBLINK}}}webLink", nsmap={None: WEBLINK})
        _sub(root, f"{{{WEBLINK}}}title", title)
        _sub(root, f"{{{WEBLINK}}}url", href=url, target="_blank")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def write_thin_cartridge(course: Course) -> bytes:
    """Deterministic zip bytes of a Thin Common Cartridge 1.3 for ``course``."""
    if not course.sections:
        raise PackageError(Problem("sections", "a course needs at least one section"))
    kind = "imsbasiclti_xmlv1p3" if course.lti_launch_url else "imswl_xmlv1p3"
    root = etree.Element(
        f"{{{CC}}}manifest",
        nsmap={None: CC, "lomimscc": LOM_MANIFEST},
        identifier=course.identifier,
    )
    metadata = _sub(root, f"{{{CC}}}metadata")
    _sub(metadata, f"{{{CC}}}schema", "IMS Thin Common Cartridge")
    _sub(metadata, f"{{{CC}}}schemaversion", "1.3.0")
    lom = _sub(metadata, f"{{{LOM_MANIFEST}}}lom")
    general = _sub(lom, f"{{{LOM_MANIFEST}}}general")
    title = _sub(general, f"{{{LOM_MANIFEST}}}title")
    _sub(title, f"{{{LOM_MANIFEST}}}string", course.title, language=course.language)
    _sub(general, f"{{{LOM_MANIFEST}}}language", course.language)
    organizations = _sub(root, f"{{{CC}}}organizations")
    organization = _sub(
        organizations, f"{{{CC}}}organization", identifier="O1", structure="rooted-hierarchy"
    )
    top = _sub(organization, f"{{{CC}}}item", identifier="ROOT")
    resources = _sub(root, f"{{{CC}}}resources")
    files: list[tuple[str, bytes]] = []
    seen: dict[str, str] = {}
    for s_index, section in enumerate(course.sections, start=1):
        node = _sub(top, f"{{{CC}}}item", identifier=f"S{s_index}")
        _sub(node, f"{{{CC}}}title", section.title)
        for i_index, item_id in enumerate(section.item_ids, start=1):
            if item_id not in seen:
                ref = f"L{len(seen) + 1:05d}"
                seen[item_id] = ref
                href = f"links/{ref}.xml"
                resource = _sub(resources, f"{{{CC}}}resource", identifier=ref, type=kind)
                _sub(resource, f"{{{CC}}}file", href=href)
                files.append((href, _link_xml(course, item_id)))
            leaf = _sub(
                node,
                f"{{{CC}}}item",
                identifier=f"S{s_index}I{i_index}",
                identifierref=seen[item_id],
            )
            _sub(leaf, f"{{{CC}}}title", course.item_titles.get(item_id, item_id))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        entries = [
            (
                "imsmanifest.xml",
                etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True),
            ),
            *files,
        ]
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


def read_thin_cartridge_outline(data: bytes) -> list[tuple[str, list[str]]]:
    """``(section title, [link target...])`` from a thin cartridge; used to check exports.

    A link target is the web-link URL, or the ``item_id`` custom property of an LTI link.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = parse_xml(archive.read("imsmanifest.xml"), file="imsmanifest.xml")
        hrefs = {
            r.get("identifier"): r.find(f"{{{CC}}}file").get("href")
            for r in manifest.iter(f"{{{CC}}}resource")
        }
        outline = []
        top = manifest.find(f"{{{CC}}}organizations/{{{CC}}}organization/{{{CC}}}item")
        for section in top if top is not None else []:
            if not isinstance(section.tag, str):
                continue
            title = section.findtext(f"{{{CC}}}title") or ""
            targets = []
            for leaf in section.findall(f"{{{CC}}}item"):
                link = parse_xml(archive.read(hrefs[leaf.get("identifierref")] or ""), file="link")
                url = link.find(f"{{{WEBLINK}}}url")
                if url is not None:
                    targets.append(url.get("href", ""))
                else:
                    targets.append(link.findtext(f".//{{{LTICM}}}property") or "")
            outline.append((title, targets))
    return outline
