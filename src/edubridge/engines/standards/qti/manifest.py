"""The QTI 3 content-package manifest (``imsmanifest.xml``): XSD validation, writing, reading.

The manifest XSD is read at run time from a configurable standards directory (never copied into
the project); its one network import (the purl xlink.xsd) is mapped to the local copy by an lxml
resolver, so validation never touches the network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from edubridge.engines.standards.errors import PackageError, Problem

CP = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"
LOM = "http://ltsc.ieee.org/xsd/LOM"
CSM = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscsmd_v1p1"
GENERIC_CP = ("http://www.imsglobal.org/xsd/imscp_v1p1", "http://www.imsglobal.org/xsd/imscp_v1p2")
MANIFEST_XSD = "qti3/xsd/qtiv3p0/imsqtiv3p0_imscpv1p2_v1p0.xsd"
CP_SCHEMA_LOCATION = (
    "https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqtiv3p0_imscpv1p2_v1p0.xsd"
)
ITEM_TYPE = "imsqti_item_xmlv3p0"
_URL_MAP = {
    "https://purl.imsglobal.org/spec/w3/1999/schema/xsd/xlink.xsd": "qti3/xsd/w3/xlink.xsd",
    "http://www.w3.org/1999/xlink.xsd": "qti3/xsd/w3/xlink.xsd",
    "http://www.w3.org/2001/xml.xsd": "qti3/xsd/w3/xml.xsd",
}


@dataclass(frozen=True)
class StandardsConfig:
    """Where the official schema files live (``../shared/standards`` in development)."""

    standards_dir: Path | None = None

    def path(self, relative: str) -> Path | None:
        """The local file, or None when the directory or file is not there."""
        if self.standards_dir is None:
            return None
        candidate = self.standards_dir / relative
        return candidate if candidate.is_file() else None


class _LocalResolver(etree.Resolver):  # type: ignore[misc]
    """Serve known schema URLs from the standards directory; refuse every other URL."""

    def __init__(self, config: StandardsConfig) -> None:
        super().__init__()
        self.config = config

    def resolve(self, system_url: str, public_id: str, context: Any) -> Any:
        local = _URL_MAP.get(system_url)
        if local is not None:
            path = self.config.path(local)
            if path is not None:
                return self.resolve_filename(str(path), context)
        if system_url.startswith(("http://", "https://", "ftp://")):
            return self.resolve_string("", context)  # never fetch: an empty answer fails loudly
        return None


_SCHEMAS: dict[Path, etree.XMLSchema] = {}


def manifest_schema(config: StandardsConfig) -> etree.XMLSchema | None:
    """The compiled manifest XSD, or None when the standards directory does not hold it."""
    path = config.path(MANIFEST_XSD)
    if path is None:
        return None
    if path not in _SCHEMAS:
        parser = etree.XMLParser(no_network=True, resolve_entities=False)
        parser.resolvers.add(_LocalResolver(config))
        _SCHEMAS[path] = etree.XMLSchema(etree.parse(str(path), parser))
    return _SCHEMAS[path]


def manifest_problems(root: etree._Element, config: StandardsConfig) -> tuple[list[Problem], str]:
    """Problems found validating a manifest, and how it was validated (``xsd``/``structural``).

    Manifests that declare ``schemaversion`` 3.0.1 are checked against the 3.0.0 XSD with the
    version read as 3.0.0: the 3.0.1 profile's XSD dependencies are not available offline.
    """
    qname = etree.QName(root)
    if qname.namespace in GENERIC_CP:
        return [
            Problem(
                "line 1",
                f"manifest uses {qname.namespace} (QTI 2.x / generic IMS CP); "
                f"a QTI 3 package uses {CP}",
            )
        ], "structural"
    if qname.namespace != CP or qname.localname != "manifest":
        return [
            Problem(
                "line 1",
                f"root element is {{{qname.namespace}}}{qname.localname}; "
                f"expected manifest in namespace {CP}",
            )
        ], "structural"
    problems = _structural(root)
    schema = manifest_schema(config)
    if schema is None:
        return problems, "structural"
    candidate = root
    version = root.find(f"{{{CP}}}metadata/{{{CP}}}schemaversion")
    if version is not None and (version.text or "").strip() == "3.0.1":
        candidate = etree.fromstring(etree.tostring(root))
        found = candidate.find(f"{{{CP}}}metadata/{{{CP}}}schemaversion")
        if found is not None:
            found.text = "3.0.0"
    if not schema.validate(candidate):
        for error in schema.error_log:
            problems.append(Problem(f"line {error.line}", error.message))
    return problems, "xsd"


def _structural(root: etree._Element) -> list[Problem]:
    problems: list[Problem] = []
    if root.find(f"{{{CP}}}resources") is None:
        problems.append(Problem("line 1", "manifest has no <resources>"))
    seen: set[str] = set()
    for resource in root.iter(f"{{{CP}}}resource"):
        ident = resource.get("identifier") or ""
        if not ident:
            problems.append(Problem(f"line {resource.sourceline}", "resource without identifier"))
        elif ident in seen:
            problems.append(
                Problem(f"line {resource.sourceline}", f"resource identifier {ident!r} used twice")
            )
        seen.add(ident)
    return problems


@dataclass(frozen=True)
class ManifestResource:
    """One ``<resource>``: its type, main file, all files and dependencies (paths in the zip)."""

    identifier: str
    type: str
    href: str | None
    files: tuple[str, ...]
    dependencies: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Manifest:
    """What a package's manifest declares."""

    identifier: str
    schemaversion: str
    resources: tuple[ManifestResource, ...] = field(default_factory=tuple)


def _join(base: str, href: str) -> str:
    """A path inside the package: ``xml:base`` values are prefixes (IMS CP 1.2)."""
    return base + href


def read_manifest(root: etree._Element) -> Manifest:
    """The resources of a (validated) manifest, with ``xml:base`` applied to hrefs."""
    xml_base = "{http://www.w3.org/XML/1998/namespace}base"
    resources = []
    manifest_base = root.get(xml_base, "")
    container = root.find(f"{{{CP}}}resources")
    resources_base = container.get(xml_base, "") if container is not None else ""
    for res in root.iter(f"{{{CP}}}resource"):
        base = manifest_base + resources_base + res.get(xml_base, "")
        href = res.get("href")
        resources.append(
            ManifestResource(
                identifier=res.get("identifier", ""),
                type=res.get("type", ""),
                href=_join(base, href) if href else None,
                files=tuple(_join(base, f.get("href", "")) for f in res.findall(f"{{{CP}}}file")),
                dependencies=tuple(
                    d.get("identifierref", "") for d in res.findall(f"{{{CP}}}dependency")
                ),
                line=res.sourceline or 0,
            )
        )
    version = root.find(f"{{{CP}}}metadata/{{{CP}}}schemaversion")
    return Manifest(
        identifier=root.get("identifier", ""),
        schemaversion=(version.text or "").strip() if version is not None else "",
        resources=tuple(resources),
    )


def _lom_string(parent: etree._Element, local: str, text: str, language: str) -> None:
    holder = etree.SubElement(parent, f"{{{LOM}}}{local}")
    string = etree.SubElement(holder, f"{{{LOM}}}string", language=language)
    string.text = text


def build_manifest(identifier: str, entries: list[tuple[str, dict[str, Any]]]) -> etree._Element:
    """A QTI 3.0.0 manifest for ``(href, item)`` pairs, with LOM and curriculum metadata."""
    root = etree.Element(
        f"{{{CP}}}manifest",
        nsmap={
            None: CP,
            "lom": LOM,
            "csm": CSM,
            "xsi": "http://www.w3.org/2001/XMLSchema-instance",
        },
    )
    root.set(
        "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation", f"{CP} {CP_SCHEMA_LOCATION}"
    )
    root.set("identifier", identifier)
    metadata = etree.SubElement(root, f"{{{CP}}}metadata")
    etree.SubElement(metadata, f"{{{CP}}}schema").text = "QTI Package"
    etree.SubElement(metadata, f"{{{CP}}}schemaversion").text = "3.0.0"
    etree.SubElement(root, f"{{{CP}}}organizations")
    resources = etree.SubElement(root, f"{{{CP}}}resources")
    for index, (href, item) in enumerate(entries, start=1):
        res = etree.SubElement(
            resources, f"{{{CP}}}resource", identifier=f"R{index:05d}", type=ITEM_TYPE, href=href
        )
        res_meta = etree.SubElement(res, f"{{{CP}}}metadata")
        _item_metadata(res_meta, item)
        etree.SubElement(res, f"{{{CP}}}file", href=href)
    return root


def _item_metadata(parent: etree._Element, item: dict[str, Any]) -> None:
    language = item["language"]
    alignments = item.get("alignments") or []
    if alignments:
        csm_set = etree.SubElement(parent, f"{{{CSM}}}curriculumStandardsMetadataSet")
        frameworks: dict[str, list[dict[str, str]]] = {}
        for alignment in alignments:
            frameworks.setdefault(alignment["framework"], []).append(alignment)
        for framework, aligned in frameworks.items():
            csm = etree.SubElement(
                csm_set, f"{{{CSM}}}curriculumStandardsMetadata", providerId=framework
            )
            guids = etree.SubElement(csm, f"{{{CSM}}}setOfGUIDs")
            for alignment in aligned:
                labelled = etree.SubElement(guids, f"{{{CSM}}}labelledGUID")
                if alignment.get("code"):
                    etree.SubElement(labelled, f"{{{CSM}}}label").text = alignment["code"]
                etree.SubElement(labelled, f"{{{CSM}}}GUID").text = alignment["item"]
    lom = etree.SubElement(parent, f"{{{LOM}}}lom")
    general = etree.SubElement(lom, f"{{{LOM}}}general")
    ident = etree.SubElement(general, f"{{{LOM}}}identifier")
    etree.SubElement(ident, f"{{{LOM}}}catalog").text = "edubridge-item"
    etree.SubElement(ident, f"{{{LOM}}}entry").text = item["id"]
    _lom_string(general, "title", item.get("title") or item["id"], language)
    etree.SubElement(general, f"{{{LOM}}}language").text = language
    if item.get("subject"):
        keyword = etree.SubElement(general, f"{{{LOM}}}keyword")
        etree.SubElement(keyword, f"{{{LOM}}}string", language="en").text = item["subject"]
    if item.get("licence"):
        rights = etree.SubElement(lom, f"{{{LOM}}}rights")
        restricted = etree.SubElement(rights, f"{{{LOM}}}copyrightAndOtherRestrictions")
        etree.SubElement(restricted, f"{{{LOM}}}source").text = "LOMv1.0"
        etree.SubElement(restricted, f"{{{LOM}}}value").text = "yes"
        _lom_string(rights, "description", f"SPDX:{item['licence']}", "en")


def check_manifest_or_raise(root: etree._Element, config: StandardsConfig, *, file: str) -> str:
    """Validate and return the method used; raise :class:`PackageError` naming ``file``."""
    problems, method = manifest_problems(root, config)
    if problems:
        raise PackageError(problems, file=file)
    return method
