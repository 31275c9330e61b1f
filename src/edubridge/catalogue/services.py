"""Writes for the catalogue: imports (atomic), metadata, alignment, publication, frameworks.

Every codec error becomes a :class:`CatalogueError` whose message names the file, the line or
JSON path and what is wrong; nothing is stored when one is raised (one transaction per call).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from edubridge.accounts.models import Organization, User
from edubridge.catalogue import search
from edubridge.catalogue.models import (
    Alignment,
    AlignmentSource,
    Association,
    Bank,
    BankStatus,
    Framework,
    FrameworkItem,
    ImportJob,
    ImportStatus,
    Item,
    SearchEntry,
)
from edubridge.core.audit import audit_record
from edubridge.core.data_classes import DataClass
from edubridge.engines.standards.case.codec import export_package, parse_package, reference_problems
from edubridge.engines.standards.case.model import CFPackage
from edubridge.engines.standards.case.tree import build_tree
from edubridge.engines.standards.errors import CaseError, StandardsError
from edubridge.engines.standards.items import normalize_item, validate_bank
from edubridge.engines.standards.qti.manifest import StandardsConfig
from edubridge.engines.standards.qti.package import read_package
from edubridge.engines.standards.qti.reader import read_item_xml

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
_SPDX = re.compile(r"^[A-Za-z0-9.+-]+( (AND|OR|WITH) [A-Za-z0-9.+-]+)*$")


class CatalogueError(ValueError):
    """An input or request the catalogue refuses; the message says where and what, for people."""


def standards_dir() -> Path:
    """Where the official schema files are read in place (CASE JSON Schema, QTI manifest XSD).

    ``settings.EDUBRIDGE_STANDARDS_DIR`` or the environment variable of the same name; in a
    development checkout, ``../shared/standards`` next to the repository."""
    configured = getattr(settings, "EDUBRIDGE_STANDARDS_DIR", None) or os.environ.get(
        "EDUBRIDGE_STANDARDS_DIR"
    )
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[3].parent / "shared" / "standards"


def standards_config() -> StandardsConfig:
    directory = standards_dir()
    return StandardsConfig(directory if directory.is_dir() else None)


# ------------------------------------------------------------------ reading uploads


@dataclass
class ParsedBank:
    items: list[dict[str, Any]]
    meta: dict[str, Any] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def parse_bank_file(*, filename: str, content: bytes, default_language: str = "und") -> ParsedBank:
    """Read a JSON bank/item, a QTI 3 item XML or a QTI 3 content package; raise on any error."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise CatalogueError(_("%(file)s: the file is larger than 200 MB.") % {"file": filename})
    name = filename.lower()
    try:
        if name.endswith(".zip") or content[:4] == b"PK\x03\x04":
            contents = read_package(
                content, file=filename, config=standards_config(), default_language=default_language
            )
            notes = []
            if contents.manifest_validation != "xsd":
                notes.append(
                    _("The manifest was checked structurally (the QTI schema files are absent).")
                )
            return ParsedBank(
                [normalize_item(i) for i in contents.items],
                {"id": contents.identifier},
                [f"{s.file}: {s.reason}" for s in contents.skipped],
                notes,
            )
        if name.endswith(".xml") or content.lstrip()[:1] == b"<":
            item = read_item_xml(content, file=filename, default_language=default_language)
            return ParsedBank([normalize_item(item)])
        try:
            data = json.loads(content.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise CatalogueError(
                _("%(file)s: byte %(pos)s: the file is not UTF-8 text.")
                % {"file": filename, "pos": exc.start}
            ) from None
        except json.JSONDecodeError as exc:
            raise CatalogueError(
                _("%(file)s: line %(line)s, column %(col)s: not valid JSON (%(msg)s).")
                % {"file": filename, "line": exc.lineno, "col": exc.colno, "msg": exc.msg}
            ) from None
        items = validate_bank(data, file=filename)
        meta = {k: v for k, v in data.items() if k != "items"} if isinstance(data, dict) else {}
        if meta.get("format") == "edubridge-item/1":
            meta = {}
        return ParsedBank([normalize_item(i) for i in items], meta)
    except StandardsError as exc:
        raise CatalogueError(_error_text(exc)) from None


def _error_text(exc: StandardsError) -> str:
    head = f"{exc.file}: " if exc.file else ""
    lines = [str(p) for p in exc.problems[:10]] or [str(exc)]
    more = len(exc.problems) - 10
    text = head + "; ".join(lines)
    if more > 0:
        text += " " + _("(and %(n)s more problems)") % {"n": more}
    return text


# ------------------------------------------------------------------ items and banks


def _grades(data: dict[str, Any]) -> tuple[int | None, int | None]:
    if "grade" in data:
        return data["grade"], data["grade"]
    band = data.get("grade_band")
    if band:
        return band["min"], band["max"]
    return None, None


def _split_alignments(
    data: dict[str, Any], known: dict[str, FrameworkItem]
) -> tuple[dict[str, Any], list[FrameworkItem]]:
    """Alignments naming a framework item of this node become rows; others stay in the JSON."""
    rest, rows = [], []
    for alignment in data.get("alignments", []):
        target = known.get(alignment["item"])
        if target is not None:
            rows.append(target)
        else:
            rest.append(alignment)
    out = dict(data)
    if rest:
        out["alignments"] = rest
    else:
        out.pop("alignments", None)
    return out, rows


def _item_row(bank: Bank, position: int, data: dict[str, Any]) -> Item:
    low, high = _grades(data)
    return Item(
        bank=bank,
        identifier=data["id"],
        position=position,
        data=data,
        title=data.get("title", "")[:300],
        language=data["language"],
        grade_min=low,
        grade_max=high,
        subject=data.get("subject", ""),
        interaction_type=data["interaction"]["type"],
        licence=data.get("licence", ""),
    )


def _index(items: Sequence[Item]) -> None:
    entries = [
        SearchEntry(
            item=item, terms=" ".join(search.index_terms(search.item_search_text(item.data)))
        )
        for item in items
    ]
    SearchEntry.objects.bulk_create(entries)
    search.index_rows([(e.item_id, e.terms) for e in entries])


def _known_framework_items(items: Iterable[dict[str, Any]]) -> dict[str, FrameworkItem]:
    wanted = {a["item"] for i in items for a in i.get("alignments", [])}
    return {fi.identifier: fi for fi in FrameworkItem.objects.filter(identifier__in=wanted)}


@dataclass
class ImportResult:
    bank: Bank
    imported: int
    skipped: list[str]
    notes: list[str]


@transaction.atomic
def bank_import(
    *,
    by: User | None,
    filename: str,
    content: bytes,
    title: str = "",
    slug: str = "",
    licence: str = "",
    data_class: str = DataClass.PUBLIC.value,
    author_organization: Organization | None = None,
    sections: list[dict[str, Any]] | None = None,
) -> ImportResult:
    """Import a whole bank in one transaction; nothing is stored when any file is wrong."""
    parsed = parse_bank_file(filename=filename, content=content)
    if not parsed.items:
        raise CatalogueError(_("%(file)s: no item could be imported.") % {"file": filename})
    meta = parsed.meta
    slug = slugify(slug or str(meta.get("id") or "") or Path(filename).stem)[:120]
    if not slug:
        raise CatalogueError(_("The bank needs an identifier (letters, digits, hyphens)."))
    if Bank.objects.filter(slug=slug).exists():
        raise CatalogueError(
            _("A bank with the identifier %(slug)s exists already; choose another identifier.")
            % {"slug": slug}
        )
    first = parsed.items[0]
    grades = [g for i in parsed.items for g in _grades(i) if g is not None]
    licence = licence or meta.get("licence") or first.get("licence") or "CC-BY-4.0"
    _check_licence(licence)
    if data_class not in {c.value for c in DataClass}:
        raise CatalogueError(_("Unknown data class %(dc)s.") % {"dc": data_class})
    bank = Bank.objects.create(
        slug=slug,
        title=(title or meta.get("title") or first.get("title") or slug)[:300],
        description=meta.get("description", ""),
        language=meta.get("language") or first["language"],
        subject=first.get("subject", ""),
        grade_min=min(grades) if grades else None,
        grade_max=max(grades) if grades else None,
        licence=licence,
        data_class=data_class,
        author_organization=author_organization or (by.organization if by is not None else None),
        sections=sections or [],
        created_by=by,
    )
    _add_items(bank, parsed.items)
    audit_record(
        action="catalogue.bank_imported",
        actor=by,
        target=f"bank:{bank.slug}",
        details={"file": filename, "items": len(parsed.items), "skipped": len(parsed.skipped)},
    )
    return ImportResult(bank, len(parsed.items), parsed.skipped, parsed.notes)


BACKGROUND_BYTES = 1024 * 1024  # uploads larger than this are imported by the worker


def import_job_create(
    *, by: User | None, filename: str, content: bytes, options: dict[str, str], enqueue: bool = True
) -> ImportJob:
    """Keep the upload in the data directory and queue its import; the page polls the job."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise CatalogueError(_("%(file)s: the file is larger than 200 MB.") % {"file": filename})
    folder = Path(settings.DATA_DIR) / "catalogue-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    with transaction.atomic():
        job = ImportJob.objects.create(
            filename=filename[:300], path="", options=options, created_by=by
        )
        path = folder / f"job-{job.pk}.upload"
        path.write_bytes(content)
        job.path = str(path)
        job.save(update_fields=["path"])
        if enqueue:
            transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from edubridge.catalogue.tasks import run_import

    run_import.enqueue(job_id)


def import_job_run(job_id: int) -> ImportJob:
    """Run a queued import; a refusal is recorded on the job (and nothing is imported)."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        return job
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    path = Path(job.path)
    try:
        result = bank_import(
            by=job.created_by,
            filename=job.filename,
            content=path.read_bytes(),
            title=job.options.get("title", ""),
            slug=job.options.get("slug", ""),
            licence=job.options.get("licence", ""),
            data_class=job.options.get("data_class", DataClass.PUBLIC.value),
        )
    except (CatalogueError, OSError) as exc:
        job.status, job.error = ImportStatus.FAILED, str(exc)
    else:
        job.status, job.bank = ImportStatus.DONE, result.bank
        job.report = {
            "imported": result.imported,
            "skipped": result.skipped,
            "notes": result.notes,
        }
    job.save(update_fields=["status", "error", "bank", "report"])
    path.unlink(missing_ok=True)
    return job


def _add_items(bank: Bank, items: list[dict[str, Any]]) -> list[Item]:
    known = _known_framework_items(items)
    rows, links = [], []
    for position, data in enumerate(items):
        stored, targets = _split_alignments(data, known)
        rows.append(_item_row(bank, position, stored))
        links.append(targets)
    Item.objects.bulk_create(rows)
    Alignment.objects.bulk_create(
        Alignment(item=row, framework_item=target, source=AlignmentSource.HAND)
        for row, targets in zip(rows, links, strict=True)
        for target in dict.fromkeys(targets)
    )
    _index(rows)
    return rows


def _check_licence(licence: str) -> None:
    if not _SPDX.match(licence):
        raise CatalogueError(
            _("%(licence)s is not an SPDX licence identifier (for example CC-BY-4.0).")
            % {"licence": licence}
        )


@transaction.atomic
def bank_update(
    *,
    by: User | None,
    bank: Bank,
    title: str,
    description: str,
    licence: str,
    data_class: str,
    subject: str,
    sections: list[dict[str, Any]] | None = None,
) -> Bank:
    """Edit a bank's catalogue metadata. A licence change applies to its items too."""
    if not title.strip():
        raise CatalogueError(_("The title cannot be empty."))
    _check_licence(licence)
    if data_class not in {c.value for c in DataClass}:
        raise CatalogueError(_("Unknown data class %(dc)s.") % {"dc": data_class})
    if sections is not None:
        ids = set(bank.items.values_list("identifier", flat=True))
        for section in sections:
            unknown = [i for i in section.get("item_ids", []) if i not in ids]
            if unknown or not str(section.get("title", "")).strip():
                raise CatalogueError(
                    _("Section %(title)r needs a title and items of this bank (unknown: %(ids)s).")
                    % {"title": section.get("title", ""), "ids": ", ".join(unknown)}
                )
        bank.sections = sections
    bank.title, bank.description, bank.subject = title.strip(), description, subject
    if licence != bank.licence:
        for item in bank.items.all():
            item.data = {**item.data, "licence": licence}
            item.licence = licence
            item.version += 1
            item.save(update_fields=["data", "licence", "version"])
    bank.licence, bank.data_class = licence, data_class
    bank.save()
    audit_record(action="catalogue.bank_updated", actor=by, target=f"bank:{bank.slug}")
    return bank


@transaction.atomic
def bank_publish(*, by: User | None, bank: Bank) -> Bank:
    """Publish the bank's current state as a new version."""
    if not bank.items.exists():
        raise CatalogueError(_("An empty bank cannot be published."))
    if bank.data_class not in (DataClass.PUBLIC.value, DataClass.INTERNAL.value):
        raise CatalogueError(
            _("Only public or internal resources can be published in the catalogue.")
        )
    bank.status = BankStatus.PUBLISHED
    bank.version += 1
    bank.published_at = timezone.now()
    bank.save(update_fields=["status", "version", "published_at"])
    audit_record(
        action="catalogue.bank_published",
        actor=by,
        target=f"bank:{bank.slug}",
        details={"version": bank.version},
    )
    return bank


@transaction.atomic
def bank_delete(*, by: User | None, bank: Bank) -> None:
    pks = list(bank.items.values_list("pk", flat=True))
    search.unindex(pks)
    audit_record(action="catalogue.bank_deleted", actor=by, target=f"bank:{bank.slug}")
    bank.delete()


# ------------------------------------------------------------------ alignment


@transaction.atomic
def align(
    *,
    item: Item,
    framework_item: FrameworkItem,
    source: str = AlignmentSource.HAND,
    score: float | None = None,
    matched: Sequence[str] = (),
) -> Alignment:
    """Align ``item`` to a standard (or turn a rejected suggestion into an alignment)."""
    alignment, _created = Alignment.objects.update_or_create(
        item=item,
        framework_item=framework_item,
        defaults={"source": source, "rejected": False, "score": score, "matched": list(matched)},
    )
    return alignment


@transaction.atomic
def unalign(*, item: Item, framework_item: FrameworkItem) -> None:
    Alignment.objects.filter(item=item, framework_item=framework_item).delete()


def _suggestion_for(item: Item, framework_item: FrameworkItem) -> tuple[float | None, list[str]]:
    from edubridge.catalogue.selectors import alignment_suggestions

    for s in alignment_suggestions(item=item, framework=framework_item.framework, top=50):
        if s.framework_item.pk == framework_item.pk:
            return s.score, list(s.matched)
    return None, []


@transaction.atomic
def suggestion_accept(*, item: Item, framework_item: FrameworkItem) -> Alignment:
    """Accept a suggestion: an alignment that records the suggester's score and words."""
    score, matched = _suggestion_for(item, framework_item)
    return align(
        item=item,
        framework_item=framework_item,
        source=AlignmentSource.SUGGESTED,
        score=score,
        matched=matched,
    )


@transaction.atomic
def suggestion_reject(*, item: Item, framework_item: FrameworkItem) -> Alignment:
    """Reject a suggestion: remembered, so the node does not suggest it for this item again."""
    score, matched = _suggestion_for(item, framework_item)
    alignment, _created = Alignment.objects.update_or_create(
        item=item,
        framework_item=framework_item,
        defaults={
            "source": AlignmentSource.SUGGESTED,
            "rejected": True,
            "score": score,
            "matched": matched,
        },
    )
    return alignment


# ------------------------------------------------------------------ frameworks (CASE)


def parse_case(*, filename: str, content: bytes | dict[str, Any]) -> CFPackage:
    """A validated CASE package; CASE 1.0 is upgraded (notes say what changed)."""
    if isinstance(content, dict):
        data: object = content
    else:
        try:
            data = json.loads(content.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            where = (
                _("line %(line)s, column %(col)s") % {"line": exc.lineno, "col": exc.colno}
                if isinstance(exc, json.JSONDecodeError)
                else _("byte %(pos)s") % {"pos": exc.start}
            )
            raise CatalogueError(
                _("%(file)s: %(where)s: not a CASE JSON file.") % {"file": filename, "where": where}
            ) from None
    directory = standards_dir()
    try:
        package = parse_package(data, standards_dir=directory, file=filename)
        problems = reference_problems(package)
        if problems:
            raise CaseError(problems, file=filename)
    except StandardsError as exc:
        raise CatalogueError(_error_text(exc)) from None
    return package


@transaction.atomic
def framework_import(
    *, by: User | None, filename: str, content: bytes | dict[str, Any]
) -> Framework:
    """Import (or re-import) a CASE framework; alignments to statements kept by identifier."""
    package = parse_case(filename=filename, content=content)
    doc = package.document
    stored = content if isinstance(content, dict) else json.loads(content.decode("utf-8"))
    framework, _created = Framework.objects.update_or_create(
        identifier=doc.identifier,
        defaults={
            "uri": doc.uri,
            "title": doc.title,
            "creator": doc.creator,
            "language": doc.language or "",
            "subject": ", ".join(doc.subject),
            "version": doc.version or "",
            "source_version": package.source_version,
            "package": stored,
            "imported_by": by,
        },
    )
    taken = FrameworkItem.objects.filter(
        identifier__in=[i.identifier for i in package.items]
    ).exclude(framework=framework)
    if taken.exists():
        raise CatalogueError(
            _("%(file)s: statement %(id)s belongs to another framework on this node.")
            % {"file": filename, "id": taken.first().identifier}  # type: ignore[union-attr]
        )
    tree = build_tree(package)
    existing = {fi.identifier: fi for fi in framework.items.all()}
    order: dict[str, tuple[int, int, str | None]] = {}
    for position, (depth, node) in enumerate(tree.root.walk()):
        if depth:
            order[node.identifier] = (position, depth, None)
    parents: dict[str, str] = {}

    def visit(node: Any) -> None:
        for child in node.children:
            if node is not tree.root:
                parents[child.identifier] = node.identifier
            visit(child)

    visit(tree.root)
    base = len(order)
    for k, orphan in enumerate(tree.orphans):
        for depth, node in orphan.walk():
            order.setdefault(node.identifier, (base + k * 1000 + depth, depth + 1, None))
    rows: dict[str, FrameworkItem] = {}
    for cf in package.items:
        position, level, _p = order.get(cf.identifier, (10**6, 1, None))
        row = existing.pop(cf.identifier, None) or FrameworkItem(
            framework=framework, identifier=cf.identifier
        )
        row.code = cf.code or ""
        row.statement = cf.full_statement
        row.item_type = cf.item_type or ""
        row.level = level
        row.position = position
        row.parent = None
        row.save()
        rows[cf.identifier] = row
    for child, parent in parents.items():
        if child in rows and parent in rows:
            rows[child].parent = rows[parent]
            rows[child].save(update_fields=["parent"])
    FrameworkItem.objects.filter(pk__in=[r.pk for r in existing.values()]).delete()
    framework.associations.all().delete()
    Association.objects.bulk_create(
        Association(
            framework=framework,
            identifier=a.identifier,
            association_type=a.association_type,
            origin_identifier=a.origin.identifier,
            origin_title=a.origin.title[:300],
            destination_identifier=a.destination.identifier,
            destination_title=a.destination.title[:300],
        )
        for a in package.associations
        if a.association_type != "isChildOf"
    )
    audit_record(
        action="catalogue.framework_imported",
        actor=by,
        target=f"framework:{framework.identifier}",
        details={"file": filename, "items": len(package.items), "notes": list(package.notes)},
    )
    return framework


def framework_export(framework: Framework) -> dict[str, Any]:
    """The framework as CASE 1.1 JSON (validated when the CASE schema is available)."""
    package = parse_case(filename=f"{framework.identifier}.json", content=framework.package)
    directory = standards_dir()
    try:
        return export_package(package, standards_dir=directory if directory.is_dir() else None)
    except StandardsError as exc:
        raise CatalogueError(_error_text(exc)) from None
