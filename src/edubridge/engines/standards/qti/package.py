"""QTI 3 content packages (zip + ``imsmanifest.xml``): safe reading and deterministic writing.

Reading refuses, with the offending file named: unsafe entry names (absolute, ``..``, drive
letters, backslashes, symlinks), encrypted or duplicate entries, too many entries, files or
totals over the size limits (checked on the bytes actually inflated, not the header's claim),
suspicious compression ratios, a missing or invalid manifest, files the manifest names but the
zip lacks, and any item that is not well-formed or structurally sound. Items that are sound but
use features EduBridge items cannot hold are reported in ``skipped`` with the reason.
"""

from __future__ import annotations

import io
import posixpath
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from lxml import etree

from edubridge.engines.standards.errors import (
    PackageError,
    Problem,
    UnsupportedItemError,
)
from edubridge.engines.standards.items import validate_bank
from edubridge.engines.standards.qti.manifest import (
    ITEM_TYPE,
    StandardsConfig,
    build_manifest,
    check_manifest_or_raise,
    read_manifest,
)
from edubridge.engines.standards.qti.reader import item_from_element
from edubridge.engines.standards.qti.writer import build_item_element
from edubridge.engines.standards.xmlsafe import parse_xml

MANIFEST = "imsmanifest.xml"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class PackageLimits:
    """Bounds on what a package may hold (defaults suit item banks of a few thousand items)."""

    max_zip_bytes: int = 200 * 1024 * 1024
    max_entries: int = 20_000
    max_file_bytes: int = 5 * 1024 * 1024
    max_manifest_bytes: int = 64 * 1024 * 1024
    max_total_bytes: int = 500 * 1024 * 1024
    max_ratio: int = 200


@dataclass(frozen=True)
class Skipped:
    """A manifest resource that was not imported, and why."""

    file: str
    reason: str


@dataclass(frozen=True)
class PackageContents:
    """The items read from a package, what was skipped, and how the manifest was validated."""

    identifier: str
    items: list[dict[str, Any]]
    skipped: list[Skipped] = field(default_factory=list)
    manifest_validation: str = "xsd"


_DRIVE = re.compile(r"^[A-Za-z]:")


def _safe_name(name: str) -> str | None:
    """Why an entry name is unsafe, or None when it is a plain relative path."""
    if "\\" in name:
        return "contains a backslash"
    if "\x00" in name:
        return "contains a NUL byte"
    if name.startswith("/") or _DRIVE.match(name):
        return "is an absolute path"
    if ".." in PurePosixPath(name).parts:
        return "climbs out of the package with '..'"
    return None


def _read_entries(data: bytes, limits: PackageLimits, file: str) -> dict[str, bytes]:
    if len(data) > limits.max_zip_bytes:
        raise PackageError(
            Problem("", f"{len(data)} bytes is over the {limits.max_zip_bytes}-byte limit"),
            file=file,
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise PackageError(Problem("", f"not a zip file ({exc})"), file=file) from None
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise PackageError(
            Problem("", f"{len(infos)} entries is over the {limits.max_entries} limit"), file=file
        )
    entries: dict[str, bytes] = {}
    total = 0
    for info in infos:
        name = info.filename
        where = f"{file}!{name}"
        unsafe = _safe_name(name)
        if unsafe:
            raise PackageError(Problem(where, f"unsafe path: {unsafe} (zip slip)"), file=None)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise PackageError(Problem(where, "symbolic links are not allowed"))
        if info.flag_bits & 0x1:
            raise PackageError(Problem(where, "encrypted entries are not allowed"))
        if info.is_dir():
            continue
        normal = posixpath.normpath(name)
        if normal in entries:
            raise PackageError(Problem(where, "the same path appears twice in the zip"))
        limit = limits.max_manifest_bytes if normal == MANIFEST else limits.max_file_bytes
        if info.file_size > limit:
            raise PackageError(
                Problem(
                    where,
                    f"{info.file_size} bytes is over the {limit}-byte file limit",
                )
            )
        try:
            with archive.open(info) as handle:
                content = handle.read(limit + 1)
        except (
            zipfile.BadZipFile,
            zlib.error,
            NotImplementedError,
            EOFError,
            OSError,
            ValueError,
        ) as exc:
            raise PackageError(Problem(where, f"cannot be inflated ({exc})")) from None
        if len(content) > limit:
            raise PackageError(Problem(where, f"inflates past the {limit}-byte file limit"))
        if (
            info.compress_size
            and len(content) / info.compress_size > limits.max_ratio
            and len(content) > 1024 * 1024
        ):
            raise PackageError(
                Problem(where, f"compression ratio over {limits.max_ratio}:1 (zip bomb?)")
            )
        total += len(content)
        if total > limits.max_total_bytes:
            raise PackageError(
                Problem(where, f"package inflates past the {limits.max_total_bytes}-byte limit")
            )
        entries[normal] = content
    return entries


def read_package(
    data: bytes,
    *,
    file: str = "package.zip",
    config: StandardsConfig | None = None,
    limits: PackageLimits | None = None,
    default_language: str = "und",
) -> PackageContents:
    """Read every item of a QTI 3 content package; raise :class:`PackageError`/``QtiError`` on any
    bad file so the caller imports nothing."""
    config = config or StandardsConfig()
    limits = limits or PackageLimits()
    entries = _read_entries(data, limits, file)
    if MANIFEST not in entries:
        raise PackageError(
            Problem(f"{file}!{MANIFEST}", "the package has no imsmanifest.xml at its root")
        )
    manifest_file = f"{file}!{MANIFEST}"
    root = parse_xml(entries[MANIFEST], file=manifest_file, max_bytes=limits.max_manifest_bytes)
    method = check_manifest_or_raise(root, config, file=manifest_file)
    manifest = read_manifest(root)
    known = {r.identifier for r in manifest.resources}
    missing: list[Problem] = []
    for resource in manifest.resources:
        for path in dict.fromkeys((resource.href, *resource.files)):
            if path is None:
                continue
            if _safe_name(path) or posixpath.normpath(path) not in entries:
                missing.append(
                    Problem(
                        f"line {resource.line}",
                        f"resource {resource.identifier!r} names {path!r}, "
                        "which is not in the package",
                    )
                )
        for dep in resource.dependencies:
            if dep not in known:
                missing.append(
                    Problem(
                        f"line {resource.line}",
                        f"resource {resource.identifier!r} depends on unknown resource {dep!r}",
                    )
                )
    if missing:
        raise PackageError(missing, file=manifest_file)

    items: list[dict[str, Any]] = []
    item_files: list[str] = []
    skipped: list[Skipped] = []
    for resource in manifest.resources:
        if resource.type != ITEM_TYPE:
            if resource.type.startswith("imsqti_") and resource.href:
                skipped.append(
                    Skipped(
                        resource.href, f"{resource.type} resources are not imported (items only)"
                    )
                )
            continue
        if resource.href is None:
            raise PackageError(
                Problem(
                    f"line {resource.line}", f"item resource {resource.identifier!r} has no href"
                ),
                file=manifest_file,
            )
        item_file = f"{file}!{resource.href}"
        element = parse_xml(
            entries[posixpath.normpath(resource.href)],
            file=item_file,
            max_bytes=limits.max_file_bytes,
        )
        try:
            items.append(
                item_from_element(element, file=item_file, default_language=default_language)
            )
            item_files.append(resource.href)
        except UnsupportedItemError as exc:
            skipped.append(
                Skipped(resource.href, str(exc.problems[0]) if exc.problems else str(exc))
            )
    seen: dict[str, str] = {}
    duplicates = []
    for item, href in zip(items, item_files, strict=True):
        if item["id"] in seen:
            duplicates.append(
                Problem(href, f"duplicate id {item['id']!r} (also in {seen[item['id']]})")
            )
        seen.setdefault(item["id"], href)
    if duplicates:
        raise PackageError(duplicates, file=file)
    return PackageContents(manifest.identifier, items, skipped, method)


def item_path(item_id: str) -> str:
    """Where an item lives inside packages EduBridge writes."""
    return f"items/{item_id}.xml"


def write_package(
    items: list[dict[str, Any]],
    *,
    identifier: str,
    config: StandardsConfig | None = None,
) -> bytes:
    """A deterministic QTI 3 content package (zip bytes) holding ``items``.

    The manifest is validated against the XSD when the standards directory holds it, so an
    export never produces a package that EduBridge itself would refuse.
    """
    config = config or StandardsConfig()
    validate_bank(items)
    entries = [(item_path(item["id"]), item) for item in items]
    manifest = build_manifest(identifier, entries)
    check_manifest_or_raise(manifest, config, file=MANIFEST)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _add(
            archive,
            MANIFEST,
            etree.tostring(manifest, xml_declaration=True, encoding="UTF-8", pretty_print=True),
        )
        for path, item in entries:
            _add(
                archive,
                path,
                etree.tostring(build_item_element(item), xml_declaration=True, encoding="UTF-8"),
            )
    return buffer.getvalue()


def _add(archive: zipfile.ZipFile, name: str, content: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, content)
