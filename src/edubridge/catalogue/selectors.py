"""Reads for the catalogue: item documents, exports, search, suggestions, framework trees."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from edubridge.catalogue import search
from edubridge.catalogue.models import (
    Alignment,
    Association,
    Bank,
    BankStatus,
    Framework,
    FrameworkItem,
    Item,
)
from edubridge.engines.standards.align import AlignmentIndex, Statement, item_text
from edubridge.engines.standards.cartridge import Course, Section, write_thin_cartridge
from edubridge.engines.standards.items import normalize_item
from edubridge.engines.standards.lrmi import bank_lrmi as lrmi_for_bank
from edubridge.engines.standards.lrmi import item_lrmi as lrmi_for_item
from edubridge.engines.standards.qti.package import write_package
from edubridge.engines.standards.qti.writer import write_item_xml


def visible_banks(*, publishing: bool) -> QuerySet[Bank]:
    """Publishers see drafts too; everyone else sees published banks only."""
    banks = Bank.objects.select_related("author_organization")
    return banks if publishing else banks.filter(status=BankStatus.PUBLISHED)


# ------------------------------------------------------------------ documents and exports


def item_document(item: Item) -> dict[str, Any]:
    """The item as edubridge-item/1 JSON, its alignment rows written back into ``alignments``."""
    data = dict(item.data)
    rows = (
        item.alignments.filter(rejected=False)
        .select_related("framework_item__framework")
        .order_by("framework_item__framework__identifier", "framework_item__position")
    )
    extra = [
        {
            "framework": a.framework_item.framework.identifier,
            "item": a.framework_item.identifier,
            **({"code": a.framework_item.code} if a.framework_item.code else {}),
        }
        for a in rows
    ]
    if extra:
        data["alignments"] = list(data.get("alignments", [])) + extra
    return normalize_item(data)


def bank_documents(bank: Bank) -> list[dict[str, Any]]:
    return [item_document(i) for i in bank.items.order_by("position")]


def bank_json(bank: Bank) -> dict[str, Any]:
    out: dict[str, Any] = {"format": "edubridge-bank/1", "id": bank.slug, "title": bank.title}
    out["language"] = bank.language
    if bank.description:
        out["description"] = bank.description
    out["licence"] = bank.licence
    out["items"] = bank_documents(bank)
    return out


def bank_qti_package(bank: Bank) -> bytes:
    from edubridge.catalogue.services import standards_config

    return write_package(bank_documents(bank), identifier=bank.slug, config=standards_config())


def item_qti_package(item: Item) -> bytes:
    from edubridge.catalogue.services import standards_config

    return write_package(
        [item_document(item)],
        identifier=f"{item.bank.slug}-{item.identifier}",
        config=standards_config(),
    )


def item_qti_xml(item: Item) -> bytes:
    return write_item_xml(item_document(item))


def bank_cartridge(bank: Bank, *, item_url: str) -> bytes:
    """A Common Cartridge 1.3 thin cartridge: the bank's sections (or one section of all items)."""
    items = list(bank.items.order_by("position"))
    sections = bank.sections or [{"title": bank.title, "item_ids": [i.identifier for i in items]}]
    course = Course(
        identifier=bank.slug,
        title=bank.title,
        language=bank.language,
        sections=tuple(Section(s["title"], tuple(s["item_ids"])) for s in sections),
        item_titles={i.identifier: i.title or i.identifier for i in items},
        item_url=item_url,
    )
    return write_thin_cartridge(course)


def bank_lrmi(bank: Bank, *, base_url: str) -> dict[str, Any]:
    return lrmi_for_bank(
        identifier=bank.slug,
        title=bank.title,
        language=bank.language,
        items=bank_documents(bank),
        base_url=base_url,
        licence=bank.licence,
        publisher=bank.author_organization.name if bank.author_organization else None,
    )


def item_lrmi(item: Item, *, base_url: str) -> dict[str, Any]:
    return lrmi_for_item(item_document(item), base_url=base_url)


# ------------------------------------------------------------------ search


@dataclass(frozen=True)
class SearchResult:
    """One hit; ``score`` is higher for better matches (0 when there was no query)."""

    item_id: int
    identifier: str
    title: str
    stem: str
    language: str
    grade_min: int | None
    grade_max: int | None
    subject: str
    licence: str
    bank_slug: str
    bank_title: str
    score: float


def descendants(node: FrameworkItem) -> list[int]:
    """pks of ``node`` and every statement below it."""
    found, frontier = [node.pk], [node.pk]
    while frontier:
        frontier = list(
            FrameworkItem.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        found.extend(frontier)
    return found


def _filtered(filters: dict[str, Any]) -> QuerySet[Item]:
    items = Item.objects.all()
    if filters.get("published_only", True):
        items = items.filter(bank__status=BankStatus.PUBLISHED)
    if filters.get("bank"):
        items = items.filter(bank__slug=filters["bank"])
    if filters.get("language"):
        lang = str(filters["language"])
        items = items.filter(Q(language__iexact=lang) | Q(language__istartswith=f"{lang}-"))
    if filters.get("grade") not in (None, ""):
        grade = int(filters["grade"])
        items = items.filter(grade_min__lte=grade, grade_max__gte=grade)
    if filters.get("subject"):
        items = items.filter(subject__iexact=filters["subject"])
    if filters.get("licence"):
        items = items.filter(licence__iexact=filters["licence"])
    if filters.get("interaction"):
        items = items.filter(interaction_type=filters["interaction"])
    if filters.get("framework_item"):
        node = FrameworkItem.objects.filter(identifier=filters["framework_item"]).first()
        if node is None:
            return items.none()
        items = items.filter(
            pk__in=Alignment.objects.filter(
                rejected=False, framework_item_id__in=descendants(node)
            ).values("item_id")
        )
    return items


def _where(filters: dict[str, Any]) -> tuple[str, list[Any]]:
    """The same filters as :func:`_filtered`, as SQL over ``catalogue_item i`` joined to
    ``catalogue_bank b`` (joining beats ``IN (subquery)``: only matched items are checked)."""
    where: list[str] = ["1 = 1"]
    params: list[Any] = []
    if filters.get("published_only", True):
        where.append("b.status = %s")
        params.append(BankStatus.PUBLISHED.value)
    if filters.get("bank"):
        where.append("b.slug = %s")
        params.append(filters["bank"])
    if filters.get("language"):
        lang = str(filters["language"]).lower()
        where.append("(LOWER(i.language) = %s OR LOWER(i.language) LIKE %s)")
        params += [lang, lang.replace("%", "").replace("_", "") + "-%"]
    if filters.get("grade") not in (None, ""):
        where.append("i.grade_min <= %s AND i.grade_max >= %s")
        params += [int(filters["grade"])] * 2
    if filters.get("subject"):
        where.append("LOWER(i.subject) = %s")
        params.append(str(filters["subject"]).lower())
    if filters.get("licence"):
        where.append("LOWER(i.licence) = %s")
        params.append(str(filters["licence"]).lower())
    if filters.get("interaction"):
        where.append("i.interaction_type = %s")
        params.append(filters["interaction"])
    if filters.get("framework_item"):
        node = FrameworkItem.objects.filter(identifier=filters["framework_item"]).first()
        nodes = descendants(node) if node is not None else [-1]
        where.append(
            "i.id IN (SELECT item_id FROM catalogue_alignment WHERE NOT rejected "  # noqa: S608
            f"AND framework_item_id IN ({', '.join(['%s'] * len(nodes))}))"
        )
        params += nodes
    return " AND ".join(where), params


def item_search(
    *, query: str, filters: dict[str, Any] | None = None, limit: int = 50
) -> list[SearchResult]:
    """Items matching any query term (best first) among those passing every filter.

    Filters: ``language`` (``zh`` matches ``zh-CN``), ``grade``, ``subject``, ``licence``,
    ``interaction``, ``framework_item`` (a CFItem identifier: items aligned to it or below it),
    ``bank`` (slug), ``published_only`` (default True). The same contract on SQLite and
    PostgreSQL."""
    terms = search.query_terms(query or "")
    if not terms:
        candidates = _filtered(filters or {})
        chosen = list(
            candidates.order_by("bank__title", "position")[:limit].values_list("pk", flat=True)
        )
        scored = [(pk, 0.0) for pk in chosen]
    else:
        where, params = _where(filters or {})
        scored = search.ranked(terms, where, params, limit)
    rows = {
        i.pk: i for i in Item.objects.filter(pk__in=[pk for pk, _ in scored]).select_related("bank")
    }
    out = []
    for pk, score in scored:
        i = rows[pk]
        out.append(
            SearchResult(
                i.pk,
                i.identifier,
                i.title,
                i.data.get("stem", ""),
                i.language,
                i.grade_min,
                i.grade_max,
                i.subject,
                i.licence,
                i.bank.slug,
                i.bank.title,
                round(score, 6),
            )
        )
    return out


# ------------------------------------------------------------------ suggestions


@dataclass(frozen=True)
class SuggestionRow:
    framework_item: FrameworkItem
    score: float
    matched: tuple[str, ...]
    reason: str


_INDEXES: dict[tuple[int, str], AlignmentIndex] = {}


def _index_for(framework: Framework) -> AlignmentIndex:
    key = (framework.pk, str(framework.imported_at))
    index = _INDEXES.get(key)
    if index is None:
        statements = [
            Statement(fi.identifier, fi.code or None, fi.statement, framework.language or None)
            for fi in framework.items.exclude(item_type__in=("Grade", "Domain", "Phase", "Stage"))
        ]
        index = AlignmentIndex(statements)
        _INDEXES.clear() if len(_INDEXES) > 32 else None
        _INDEXES[key] = index
    return index


def alignment_suggestions(
    *, item: Item, framework: Framework, top: int = 5, exclude_decided: bool = False
) -> list[SuggestionRow]:
    """The best-matching statements of ``framework`` for ``item`` with score and matched words."""
    index = _index_for(framework)
    data = item.data
    ranked = index.suggest(
        item_text(data), data.get("language"), top=top + (20 if exclude_decided else 0)
    )
    decided = (
        set(item.alignments.values_list("framework_item__identifier", flat=True))
        if exclude_decided
        else set()
    )
    by_id = {
        fi.identifier: fi
        for fi in framework.items.filter(identifier__in=[s.identifier for s in ranked])
    }
    out = [
        SuggestionRow(by_id[s.identifier], s.score, s.matched, s.reason)
        for s in ranked
        if s.identifier not in decided
    ]
    return out[:top]


def top3_hit_rate(*, bank: Bank, framework: Framework) -> tuple[int, int]:
    """(items whose hand alignment in ``framework`` is among the top 3 suggestions, items with a
    hand alignment there). Suggestions are made without looking at the alignments."""
    hits = total = 0
    for item in bank.items.all():
        truth = set(
            item.alignments.filter(
                rejected=False, source="hand", framework_item__framework=framework
            ).values_list("framework_item__identifier", flat=True)
        )
        if not truth:
            continue
        total += 1
        found = {
            s.framework_item.identifier
            for s in alignment_suggestions(item=item, framework=framework, top=3)
        }
        hits += bool(truth & found)
    return hits, total


# ------------------------------------------------------------------ frameworks


def framework_nodes(framework: Framework) -> list[FrameworkItem]:
    return list(framework.items.order_by("position"))


@dataclass(frozen=True)
class Crosswalk:
    association_type: str
    other_identifier: str
    other_label: str
    other_framework: str
    outgoing: bool


def crosswalks(framework: Framework) -> dict[str, list[Crosswalk]]:
    """Per statement identifier of ``framework``: its associations (either direction), with the
    other end's code and framework when this node has it."""
    ids = set(framework.items.values_list("identifier", flat=True))
    assocs = Association.objects.filter(
        Q(origin_identifier__in=ids) | Q(destination_identifier__in=ids)
    )
    others = {
        fi.identifier: fi
        for fi in FrameworkItem.objects.filter(
            identifier__in={a.origin_identifier for a in assocs}
            | {a.destination_identifier for a in assocs}
        ).select_related("framework")
    }
    out: dict[str, list[Crosswalk]] = {}
    seen: set[tuple[str, str, str]] = set()
    for a in assocs.order_by("association_type", "identifier"):
        for mine, other, title, outgoing in (
            (a.origin_identifier, a.destination_identifier, a.destination_title, True),
            (a.destination_identifier, a.origin_identifier, a.origin_title, False),
        ):
            if mine not in ids or (mine, other, a.association_type) in seen:
                continue
            seen.add((mine, other, a.association_type))
            far = others.get(other)
            out.setdefault(mine, []).append(
                Crosswalk(
                    a.association_type,
                    other,
                    (far.code or far.statement[:60]) if far else title,
                    far.framework.title if far else "",
                    outgoing,
                )
            )
    return out
