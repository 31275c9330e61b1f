"""Writes of the localization app: start and run a drafting job, decide changes, publish.

The engine (edubridge.engines.localize) drafts; this module stores the draft, applies each
reviewer's decision to the item, re-checks it with the engine's verify, and publishes the
reviewed items as a derivative bank through the catalogue's services.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from edubridge.accounts.models import User
from edubridge.catalogue import services as catalogue
from edubridge.catalogue.models import Association, Bank, BankStatus, Framework, FrameworkItem
from edubridge.catalogue.selectors import bank_documents
from edubridge.core.audit import audit_record
from edubridge.engines.localize import Localizer, Options, PackError, available_locales, load_pack
from edubridge.engines.localize.adapt import ENGINE
from edubridge.engines.localize.translate import (
    NUMBER_TOKEN,
    ChatProvider,
    Segment,
    TranslationError,
    check_translation,
    forbidden_terms,
    make_segments,
)
from edubridge.engines.localize.verify import recheck
from edubridge.engines.localize.xliff import export_xliff, import_xliff
from edubridge.localization.models import (
    Change,
    Decision,
    DraftItem,
    JobStatus,
    LocalizationJob,
)

CHUNK = 10  # items drafted between two progress updates
TEXT_ROOTS = ("stem", "title", "interaction.prompt", "interaction.unit", "feedback.", "hints[")
NOT_EDITABLE = ("alignments", "correct_response", "translation")


class LocalizationError(ValueError):
    """A request the app refuses; the message says why (nothing is stored)."""


# ------------------------------------------------------------------ starting and drafting


def job_start(
    *, by: User | None, bank: Bank, target_locale: str, grade: int | None, enqueue: bool = True
) -> LocalizationJob:
    """Queue the drafting of every item of a published bank for a target locale and grade."""
    if target_locale not in available_locales():
        raise LocalizationError(
            _("There is no locale pack for %(locale)s; packs exist for: %(all)s.")
            % {"locale": target_locale, "all": ", ".join(available_locales())}
        )
    if grade is not None and not 1 <= grade <= 12:
        raise LocalizationError(_("The grade must be between 1 and 12."))
    if bank.status != BankStatus.PUBLISHED:
        raise LocalizationError(_("Only published resources can be localized."))
    total = bank.items.count()
    if not total:
        raise LocalizationError(_("This resource has no items to localize."))
    job = LocalizationJob.objects.create(
        bank=bank,
        bank_version=bank.version,
        target_locale=target_locale,
        grade=grade,
        pack_version=load_pack(target_locale).ref,
        total=total,
        created_by=by,
    )
    audit_record(
        action="localization.job_started",
        actor=by,
        target=f"localization-job:{job.pk}",
        details={"bank": bank.slug, "version": bank.version, "locale": target_locale},
    )
    if enqueue:
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from edubridge.localization.tasks import draft_job

    draft_job.enqueue(job_id)


def _target_framework(language: str) -> Framework | None:
    return Framework.objects.filter(language__iexact=language).order_by("identifier").first()


def _crosswalk(
    items: Sequence[dict[str, Any]], framework: Framework | None
) -> dict[str, list[dict[str, str]]]:
    """Source statement id -> associations to statements of the target framework."""
    if framework is None:
        return {}
    sources = {str(a.get("item")) for i in items for a in i.get("alignments", []) or []}
    targets = {
        fi.identifier: fi
        for fi in FrameworkItem.objects.filter(framework=framework).only("identifier", "code")
    }
    out: dict[str, list[dict[str, str]]] = {}
    rows = Association.objects.filter(
        Q(origin_identifier__in=sources) | Q(destination_identifier__in=sources)
    ).order_by("association_type", "identifier")
    for a in rows:
        for mine, other in (
            (a.origin_identifier, a.destination_identifier),
            (a.destination_identifier, a.origin_identifier),
        ):
            if mine in sources and other in targets:
                out.setdefault(mine, []).append(
                    {
                        "item": other,
                        "type": a.association_type,
                        "framework": framework.identifier,
                        "code": targets[other].code or other,
                    }
                )
    return out


def _statements(framework: Framework | None) -> list[dict[str, str]]:
    if framework is None:
        return []
    return [
        {
            "identifier": fi.identifier,
            "code": fi.code,
            "text": fi.statement,
            "language": framework.language,
        }
        for fi in framework.items.order_by("position")
    ]


def job_run(job_id: int) -> LocalizationJob:
    """Draft every item of the job's resource with one Localizer (names stay consistent),
    saving progress every few items; a failure is recorded on the job and no draft is kept."""
    job = LocalizationJob.objects.select_related("bank").get(pk=job_id)
    if job.status not in (JobStatus.QUEUED, JobStatus.FAILED):
        return job
    job.status, job.done, job.error = JobStatus.RUNNING, 0, ""
    job.save(update_fields=["status", "done", "error"])
    try:
        pack = load_pack(job.target_locale)
        sources = bank_documents(job.bank)
        framework = _target_framework(pack.language)
        localizer = Localizer(
            Options(
                target=job.target_locale,
                grade=job.grade,
                seed=0,
                now=job.created_at,
                crosswalk=_crosswalk(sources, framework),
                target_framework=framework.identifier if framework else None,
                target_statements=_statements(framework),
            )
        )
        job.total = len(sources)
        warnings: list[str] = []
        for start in range(0, len(sources), CHUNK):
            with transaction.atomic():
                for position in range(start, min(start + CHUNK, len(sources))):
                    result = localizer.localize_item(sources[position])
                    warnings.extend(result.warnings)
                    _store_draft(job, position, sources[position], result)
                job.done = min(start + CHUNK, len(sources))
                job.save(update_fields=["done", "total"])
        job.status, job.warnings = JobStatus.DONE, warnings
        job.save(update_fields=["status", "warnings"])
    except (PackError, KeyError, TypeError, ValueError) as exc:
        DraftItem.objects.filter(job=job).delete()
        job.status, job.done, job.error = JobStatus.FAILED, 0, str(exc)[:2000]
        job.save(update_fields=["status", "done", "error"])
    return job


def _store_draft(job: LocalizationJob, position: int, source: dict[str, Any], result: Any) -> None:
    draft = DraftItem.objects.create(
        job=job,
        position=position,
        identifier=str(source["id"])[:64],
        source=source,
        draft=result.item,
        reviewed=copy.deepcopy(result.item),
        status=Decision.PENDING if result.changes else Decision.ACCEPTED,
        warnings=list(result.warnings),
    )
    Change.objects.bulk_create(
        Change(
            item=draft,
            position=n,
            **_change_fields(c.to_dict()),
        )
        for n, c in enumerate(result.changes)
    )


def _change_fields(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": d["kind"],
        "location": d["location"][:200],
        "from_value": d["from"],
        "to_value": d["to"],
        "reason": d["reason"],
        "confidence": float(d["confidence"]),
        "alternatives": list(d["alternatives"]),
        "needs_review": bool(d["needs_review"]),
        "its_type": d.get("its_type") or "",
        "difficulty": d.get("difficulty") or "",
    }


# ------------------------------------------------------------------ applying decisions


def _flexible(text: str) -> re.Pattern[str]:
    """`text` as a pattern in which digit-group separators are optional ("Rp56.000" also
    finds "Rp56000" as the engine writes numbers into the stem without grouping)."""
    parts = re.split(r"(?<=\d)[.,\u00a0\u202f\u066c](?=\d{3})", text)
    return re.compile(r"[.,\u00a0\u202f\u066c]?".join(re.escape(p) for p in parts))


def _number(text: str) -> Fraction | None:
    digits = re.sub(r"(?<=\d)[.,\u00a0\u202f\u066c](?=\d{3}(\D|$))", "", text)
    found = re.findall(r"-?\d+(?:\.\d+)?", digits)
    if len(found) != 1:
        return None
    try:
        return Fraction(Decimal(found[0]))
    except InvalidOperation:
        return None


def _plain(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(value)


def _text_slot(item: dict[str, Any], location: str) -> tuple[Any, Any] | None:
    """(container, key) of a text field named by a change location."""
    inter = item.get("interaction", {})
    if location in ("stem", "title"):
        return item, location
    if location == "interaction.prompt" or location == "interaction.unit":
        return inter, location.split(".")[1]
    if location.startswith("feedback."):
        return item.get("feedback", {}), location.split(".", 1)[1]
    m = re.fullmatch(r"hints\[(\d+)\]", location)
    if m:
        return item.get("hints", []), int(m.group(1))
    m = re.fullmatch(r"interaction\.(choices|source|target)\[(.+)\]", location)
    if m:
        for n, ch in enumerate(inter.get(m.group(1), []) or []):
            if str(ch.get("id", n)) == m.group(2):
                return ch, "text"
    return None


def _replace(
    item: dict[str, Any], source: dict[str, Any], change: Change, value: str, editing: bool
) -> None:
    """Put `value` where the change wrote its proposal (the source value when rejecting)."""
    if change.kind == "translation":
        return  # a task, not an edit of the text: rejecting it leaves the text as drafted
    for location in [p.strip() for p in change.location.split(",") if p.strip()]:
        if location == "grade":
            if editing:
                raise LocalizationError(_("A grade change can be accepted or rejected only."))
            item.pop("grade", None)
            for key in ("grade", "grade_band"):
                if key in source:
                    item[key] = source[key]
        elif location == "alignments":
            if editing:
                raise LocalizationError(
                    _("An alignment can be accepted or rejected here; re-align in the catalogue.")
                )
            item["alignments"] = copy.deepcopy(source.get("alignments", []))
        elif location == "correct_response":
            old, new = _number(change.to_value), _number(value)
            if old is None or new is None:
                raise LocalizationError(_("The answer must be a single number."))
            values = item.get("correct_response", {}).get("values", [])
            for n, v in enumerate(values):
                if _number(str(v)) == old:
                    values[n] = _plain(new)
        else:
            slot = _text_slot(item, location)
            if slot is None:
                raise LocalizationError(
                    _("The change's location %(loc)s is not a text of this item.")
                    % {"loc": location}
                )
            container, key = slot
            text = str(container[key])
            pattern = _flexible(change.to_value)
            if not change.to_value or not pattern.search(text):
                raise LocalizationError(
                    _(
                        "The proposed text %(to)s is no longer in %(loc)s; decide the other changes "
                        "of this item first or reopen it."
                    )
                    % {"to": change.to_value, "loc": location}
                )
            container[key] = pattern.sub(lambda _m: value, text)
    if change.kind == "price":
        _retemplate(item, change.to_value, value)


def _retemplate(item: dict[str, Any], old_text: str, new_text: str) -> None:
    """Keep a template variable's value in step with an amount changed in the stem."""
    old, new = _number(old_text), _number(new_text)
    variables = (item.get("template") or {}).get("variables") or {}
    if old is None or new is None:
        return
    for var in variables.values():
        if isinstance(var, dict) and _number(str(var.get("value", ""))) == old:
            var["value"] = _plain(new)


def _rebuild(item: DraftItem, changes: Sequence[Change]) -> dict[str, Any]:
    reviewed: dict[str, Any] = copy.deepcopy(item.draft)
    for change in changes:
        if change.decision == Decision.REJECTED:
            _replace(reviewed, item.source, change, change.from_value, editing=False)
        elif change.decision == Decision.EDITED:
            _replace(reviewed, item.source, change, change.edited_value, editing=True)
    _apply_translations(reviewed, item, changes)
    return reviewed


def _is_task(change: Change) -> bool:
    """The engine's "translate this item" task, as opposed to a proposed translation."""
    return change.kind == "translation" and change.its_type == "untranslated"


def _apply_translations(
    reviewed: dict[str, Any], item: DraftItem, changes: Sequence[Change]
) -> None:
    """Replace each translated text (last, over the adapted text it was made from); when every
    text of the item is translated, the item is in the target language."""
    done = [
        c
        for c in changes
        if c.kind == "translation" and not _is_task(c) and c.decision != Decision.REJECTED
    ]
    for c in done:
        slot = _text_slot(reviewed, c.location)
        if slot is None:
            continue
        container, key = slot
        if str(container[key]) != c.from_value:
            raise LocalizationError(
                _(
                    "The text at %(loc)s changed after it was translated; reject its translation "
                    "first, then translate it again."
                )
                % {"loc": c.location}
            )
        container[key] = c.edited_value if c.decision == Decision.EDITED else c.to_value
    if done and {c.location for c in done} >= {s.location for s in make_segments(reviewed)}:
        reviewed["language"] = item.job.target_locale
        meta = reviewed.setdefault("metadata", {}).setdefault("localize", {})
        meta["translation"] = "done"


def _item_status(item: DraftItem, changes: Sequence[Change]) -> str:
    decisions = {c.decision for c in changes}
    if Decision.PENDING in decisions:
        return Decision.PENDING
    if decisions & {Decision.EDITED, Decision.REJECTED}:
        return Decision.EDITED
    return Decision.ACCEPTED


def _check(job: LocalizationJob, reviewed: dict[str, Any]) -> list[str]:
    return recheck(reviewed, load_pack(job.target_locale))


def _reviewable(job: LocalizationJob) -> None:
    if job.status != JobStatus.DONE:
        raise LocalizationError(_("Only a drafted, unpublished job can be reviewed."))


@transaction.atomic
def change_decide(*, by: User, change: Change, decision: str, value: str = "") -> Change:
    """Accept, edit or reject one change. An edit is re-checked by the engine and refused with
    the engine's reason when it breaks the numbers or brings back something forbidden."""
    item = DraftItem.objects.select_for_update().select_related("job").get(pk=change.item_id)
    _reviewable(item.job)
    if item.status == Decision.REJECTED:
        raise LocalizationError(_("This item is left out of the derivative; reopen it first."))
    if decision not in (Decision.ACCEPTED, Decision.EDITED, Decision.REJECTED):
        raise LocalizationError(_("Choose accept, edit or reject."))
    value = value.strip()
    if decision == Decision.EDITED:
        if not value:
            raise LocalizationError(_("An edit needs the text to use instead."))
        if change.kind in NOT_EDITABLE and (change.kind != "translation" or _is_task(change)):
            raise LocalizationError(
                _("A %(kind)s change can be accepted or rejected only.") % {"kind": change.kind}
            )
        if change.kind == "translation":
            _check_translation_edit(item.job, change, value)
    changes = list(item.changes.all())
    before = _check(item.job, item.reviewed)
    for c in changes:
        if c.pk == change.pk:
            c.decision = decision
            c.edited_value = value if decision == Decision.EDITED else ""
    reviewed = _rebuild(item, changes)
    problems = _check(item.job, reviewed)
    if decision == Decision.EDITED:
        new = [p for p in problems if p not in before]
        if new:
            raise LocalizationError(_("The edit was not saved: %(why)s.") % {"why": "; ".join(new)})
    change.decision = decision
    change.edited_value = value if decision == Decision.EDITED else ""
    change.reviewer, change.decided_at = by, timezone.now()
    change.save(update_fields=["decision", "edited_value", "reviewer", "decided_at"])
    item.reviewed, item.problems = reviewed, problems
    item.status = _item_status(item, changes)
    item.save(update_fields=["reviewed", "problems", "status"])
    return change


@transaction.atomic
def item_decide(*, by: User, item: DraftItem, decision: str) -> DraftItem:
    """accept: accept every change not yet decided; reject: leave the item out of the
    derivative; reopen: take a left-out item back into review."""
    item = DraftItem.objects.select_for_update().select_related("job").get(pk=item.pk)
    _reviewable(item.job)
    changes = list(item.changes.all())
    now = timezone.now()
    if decision == "accept":
        if item.status == Decision.REJECTED:
            raise LocalizationError(_("This item is left out of the derivative; reopen it first."))
        pending = [c for c in changes if c.decision == Decision.PENDING]
        for c in pending:
            c.decision, c.reviewer, c.decided_at = Decision.ACCEPTED, by, now
        reviewed = _rebuild(item, changes)
        Change.objects.bulk_update(pending, ["decision", "reviewer", "decided_at"])
        item.reviewed, item.problems = reviewed, _check(item.job, reviewed)
        item.status = _item_status(item, changes)
    elif decision == "reject":
        item.status = Decision.REJECTED
    elif decision == "reopen":
        item.status = _item_status(item, changes)
    else:
        raise LocalizationError(_("Choose accept, reject or reopen."))
    item.save(update_fields=["reviewed", "problems", "status"])
    return item


# ------------------------------------------------------------------ publishing


def publish_blockers(job: LocalizationJob) -> list[str]:
    """Why the job cannot be published yet (empty when it can)."""
    if job.status == JobStatus.PUBLISHED:
        return [_("The derivative is published already.")]
    if job.status != JobStatus.DONE:
        return [_("The draft is not finished.")]
    items = list(job.items.all())
    out = []
    pending = sum(1 for i in items if i.status == Decision.PENDING)
    if pending:
        out.append(_("%(n)d items still have changes to review.") % {"n": pending})
    broken = [i.identifier for i in items if i.status != Decision.REJECTED and i.problems]
    if broken:
        out.append(
            _("The engine's re-check still finds problems in: %(ids)s.")
            % {"ids": ", ".join(broken)}
        )
    if all(i.status == Decision.REJECTED for i in items):
        out.append(_("Every item is left out; there is nothing to publish."))
    return out


def _published_item(job: LocalizationJob, item: DraftItem, by: User, now: str) -> dict[str, Any]:
    data: dict[str, Any] = copy.deepcopy(item.reviewed)
    decisions = [
        {
            "kind": c.kind,
            "location": c.location,
            "from": c.from_value,
            "to": c.to_value,
            "reason": c.reason,
            "decision": c.decision,
            **({"value": c.edited_value} if c.decision == Decision.EDITED else {}),
            "reviewer": c.reviewer.username if c.reviewer else "",
            "at": c.decided_at.isoformat() if c.decided_at else "",
        }
        for c in item.changes.select_related("reviewer").order_by("position")
    ]
    reviewers = sorted({d["reviewer"] for d in decisions if d["reviewer"]})
    data["provenance"] = {
        "derived_from": {"item": item.identifier, "version": job.bank_version},
        "by": f"{ENGINE}; reviewed by {', '.join(reviewers) or by.username}",
        "at": now,
        "method": "localization",
        "locale_pack": job.pack_version,
    }
    meta = data.setdefault("metadata", {})
    meta.setdefault("localize", {})["review"] = {
        "source_bank": job.bank.slug,
        "source_version": job.bank_version,
        "locale_pack": job.pack_version,
        "job": job.pk,
        "published_by": by.username,
        "decisions": decisions,
    }
    return data


@transaction.atomic
def job_publish(*, by: User, job: LocalizationJob) -> Bank:
    """Publish the reviewed items as a derivative bank in the catalogue, with provenance."""
    job = LocalizationJob.objects.select_for_update().select_related("bank").get(pk=job.pk)
    blockers = publish_blockers(job)
    if blockers:
        raise LocalizationError(" ".join(blockers))
    now = timezone.now()
    items = [
        _published_item(job, i, by, now.isoformat())
        for i in job.items.exclude(status=Decision.REJECTED).order_by("position")
    ]
    pack = load_pack(job.target_locale)
    grade = f" {pack.grade_name(job.grade)}" if job.grade else ""
    slug = slugify(f"{job.bank.slug}-{job.target_locale}-{job.pk}")[:120]
    reviewers = sorted(
        set(
            Change.objects.filter(item__job=job, reviewer__isnull=False).values_list(
                "reviewer__username", flat=True
            )
        )
    )
    description = _(
        "Localized for %(locale)s%(grade)s from %(bank)s version %(version)d with locale pack "
        "%(pack)s; every change reviewed by %(reviewers)s; published by %(by)s on %(at)s."
    ) % {
        "locale": job.target_locale,
        "grade": grade,
        "bank": job.bank.slug,
        "version": job.bank_version,
        "pack": job.pack_version,
        "reviewers": ", ".join(reviewers) or by.username,
        "by": by.username,
        "at": now.date().isoformat(),
    }
    document = {
        "format": "edubridge-bank/1",
        "id": slug,
        "title": f"{job.bank.title} ({job.target_locale}{grade})"[:300],
        "language": items[0]["language"],
        "description": description,
        "licence": job.bank.licence,
        "items": items,
    }
    try:
        result = catalogue.bank_import(
            by=by,
            filename=f"{slug}.json",
            content=json.dumps(document, ensure_ascii=False).encode(),
            data_class=job.bank.data_class,
            author_organization=by.organization,
        )
        bank = catalogue.bank_publish(by=by, bank=result.bank)
    except catalogue.CatalogueError as exc:
        raise LocalizationError(str(exc)) from exc
    # The catalogue's import has no derived_from argument yet: set the provenance link here.
    Bank.objects.filter(pk=bank.pk).update(derived_from=job.bank)
    bank.derived_from = job.bank
    job.status, job.derivative, job.published_by, job.published_at = (
        JobStatus.PUBLISHED,
        bank,
        by,
        now,
    )
    job.save(update_fields=["status", "derivative", "published_by", "published_at"])
    audit_record(
        action="localization.derivative_published",
        actor=by,
        target=f"bank:{bank.slug}",
        details={
            "job": job.pk,
            "source": job.bank.slug,
            "source_version": job.bank_version,
            "pack": job.pack_version,
            "items": len(items),
        },
    )
    return bank


# ------------------------------------------------------------------ translation


class TranslationRejectedError(LocalizationError):
    """An uploaded translation with segments the engine refuses; nothing was applied."""

    def __init__(self, rejected: list[tuple[str, str]]) -> None:
        super().__init__(
            _("%(n)d translated texts were refused; nothing was applied.") % {"n": len(rejected)}
        )
        self.rejected = rejected


def translation_provider() -> ChatProvider | None:
    """The OpenAI-compatible endpoint configured for the node (EDUBRIDGE_TRANSLATION_URL,
    _MODEL, _API_KEY, _TIMEOUT; the same settings the secretariat's bulletins use), or None."""
    url = str(getattr(settings, "EDUBRIDGE_TRANSLATION_URL", "") or "").strip()
    if not url:
        return None
    return ChatProvider(
        url=url,
        model=str(getattr(settings, "EDUBRIDGE_TRANSLATION_MODEL", "") or "default"),
        api_key=getattr(settings, "EDUBRIDGE_TRANSLATION_API_KEY", None) or None,
        timeout=float(getattr(settings, "EDUBRIDGE_TRANSLATION_TIMEOUT", 60) or 60),
    )


def _protected(changes: Sequence[Change]) -> list[str]:
    """Texts translators must keep as they are: adapted names, amounts, festivals, places."""
    return [
        c.edited_value or c.to_value
        for c in changes
        if c.kind in ("name", "price", "festival", "place") and c.decision != Decision.REJECTED
    ]


def _job_segments(job: LocalizationJob) -> list[tuple[DraftItem, Segment]]:
    """Every text still to translate: the adapted (reviewed, untranslated) text of each item
    kept in the derivative, with names, amounts and numbers as placeholders."""
    out: list[tuple[DraftItem, Segment]] = []
    for item in job.items.exclude(status=Decision.REJECTED).prefetch_related("changes"):
        changes = list(item.changes.all())
        if not any(_is_task(c) for c in changes):
            continue  # already in the target language
        adapted = [c for c in changes if c.kind != "translation"]
        base = copy.deepcopy(item.draft)
        for change in adapted:
            if change.decision == Decision.REJECTED:
                _replace(base, item.source, change, change.from_value, editing=False)
            elif change.decision == Decision.EDITED:
                _replace(base, item.source, change, change.edited_value, editing=True)
        out.extend((item, seg) for seg in make_segments(base, _protected(changes)))
    return out


def _languages(job: LocalizationJob) -> tuple[str, str]:
    first = job.items.order_by("position").first()
    source = str(first.source.get("language", "")) if first else ""
    return source.split("-")[0], load_pack(job.target_locale).language


def xliff_export(*, job: LocalizationJob) -> bytes:
    """The job's texts to translate as an XLIFF 2.1 file (placeholders as <ph/>)."""
    if job.status not in (JobStatus.DONE, JobStatus.PUBLISHED):
        raise LocalizationError(_("The draft is not finished yet."))
    source, target = _languages(job)
    return export_xliff([seg for _item, seg in _job_segments(job)], source, target)


def _check_translation_edit(job: LocalizationJob, change: Change, value: str) -> None:
    """A reviewer's own translation keeps the numbers and avoids forbidden terms."""
    pack = load_pack(job.target_locale)
    if sorted(NUMBER_TOKEN.findall(value)) != sorted(NUMBER_TOKEN.findall(change.to_value)):
        raise LocalizationError(
            _("The edit was not saved: the numbers must stay as in the translation.")
        )
    for term in forbidden_terms(pack, pack.language):
        if term and term.lower() in value.lower():
            raise LocalizationError(
                _("The edit was not saved: %(term)s is not suitable in %(where)s.")
                % {"term": term, "where": pack.data["name"]}
            )


def translations_apply(
    *,
    by: User | None,
    job: LocalizationJob,
    translated: dict[str, str],
    provider: str,
    machine: bool,
    all_or_nothing: bool,
) -> tuple[int, list[tuple[str, str]]]:
    """Check every translated text with the engine (placeholders, digits, forbidden terms) and
    put the accepted ones in as "translation" changes to review. With all_or_nothing (an
    uploaded file) any refused text means nothing is applied: TranslationRejectedError lists why."""
    _reviewable(job)
    pack = load_pack(job.target_locale)
    forbidden = forbidden_terms(pack, pack.language)
    known = {seg.id: (item, seg) for item, seg in _job_segments(job)}
    rejected: list[tuple[str, str]] = []
    accepted: list[tuple[DraftItem, Segment, str]] = []
    for seg_id, text in translated.items():
        if seg_id not in known:
            rejected.append((seg_id, _("no such text to translate in this job")))
            continue
        item, seg = known[seg_id]
        problems = check_translation(seg, text, {}, forbidden)
        if problems:
            rejected.append((seg_id, "; ".join(problems)))
        elif text.strip():
            accepted.append((item, seg, seg.restore(text)))
    if rejected and all_or_nothing:
        raise TranslationRejectedError(rejected)
    by_item: dict[int, list[tuple[Segment, str]]] = {}
    items = {}
    for item, seg, text in accepted:
        by_item.setdefault(item.pk, []).append((seg, text))
        items[item.pk] = item
    with transaction.atomic():
        for pk, done in by_item.items():
            item = DraftItem.objects.select_for_update().get(pk=pk)
            locations = {seg.location for seg, _t in done}
            item.changes.filter(kind="translation", location__in=locations).exclude(
                its_type="untranslated"
            ).delete()
            last = item.changes.order_by("-position").values_list("position", flat=True).first()
            position = (last or 0) + 1
            for seg, text in done:
                Change.objects.create(
                    item=item,
                    position=position,
                    kind="translation",
                    location=seg.location,
                    from_value=seg.restore(seg.source),
                    to_value=text,
                    reason=(
                        _(
                            "translated by %(p)s; placeholders, numbers and forbidden terms checked "
                            "by the engine."
                        )
                        % {"p": provider}
                    ),
                    confidence=0.7 if machine else 0.95,
                    needs_review=True,
                    its_type="other",
                )
                position += 1
            changes = list(item.changes.all())
            reviewed = _rebuild(item, changes)
            if reviewed.get("language") == job.target_locale and by is not None:
                item.changes.filter(its_type="untranslated", decision=Decision.PENDING).update(
                    decision=Decision.ACCEPTED, reviewer=by, decided_at=timezone.now()
                )
                changes = list(item.changes.all())
            item.reviewed, item.problems = reviewed, _check(job, reviewed)
            item.status = _item_status(item, changes)
            item.save(update_fields=["reviewed", "problems", "status"])
        audit_record(
            actor=by,
            action="localization.translations_applied",
            target=f"localization-job:{job.pk}",
            details={"provider": provider, "applied": len(accepted), "refused": len(rejected)},
        )
    return len(accepted), rejected


def xliff_import(*, by: User, job: LocalizationJob, data: bytes) -> int:
    """Apply a translated XLIFF 2.1 file: every text checked, nothing applied if one fails."""
    from lxml import etree

    try:
        targets = import_xliff(data).targets
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise LocalizationError(
            _("This is not a readable XLIFF file: %(why)s") % {"why": exc}
        ) from exc
    if not targets:
        raise LocalizationError(_("The file has no translated <target> texts."))
    applied, _rejected = translations_apply(
        by=by, job=job, translated=targets, provider="XLIFF", machine=False, all_or_nothing=True
    )
    return applied


def translate_start(*, by: User, job: LocalizationJob, enqueue: bool = True) -> None:
    """Queue machine translation of the draft; refused when no provider is configured."""
    _reviewable(job)
    if translation_provider() is None:
        raise LocalizationError(
            _("No translation service is configured; translate with the XLIFF file instead.")
        )
    audit_record(
        actor=by,
        action="localization.translation_queued",
        target=f"localization-job:{job.pk}",
        details={},
    )
    if enqueue:
        user_id = by.pk
        transaction.on_commit(lambda: _enqueue_translation(job.pk, user_id))


def _enqueue_translation(job_id: int, user_id: int) -> None:
    from edubridge.localization.tasks import translate_job

    translate_job.enqueue(job_id, user_id)


def translate_run(job_id: int, user_id: int | None) -> tuple[int, list[tuple[str, str]]]:
    """Machine-translate every text still to translate; refused texts are listed in the job's
    warnings and keep their task. Answers and numbers are never the model's: they are
    placeholders the engine puts back."""
    job = LocalizationJob.objects.get(pk=job_id)
    provider = translation_provider()
    by = User.objects.filter(pk=user_id).first() if user_id else None
    if provider is None:
        return 0, []
    source, target = _languages(job)
    segments = [seg for _item, seg in _job_segments(job)]
    translated: dict[str, str] = {}
    failures: list[tuple[str, str]] = []
    for start in range(0, len(segments), 20):
        chunk = segments[start : start + 20]
        try:
            outs = provider.translate(chunk, source, target)
        except TranslationError as exc:
            failures.extend((seg.id, str(exc)) for seg in chunk)
            continue
        for seg, out in zip(chunk, outs, strict=True):
            if out is not None:
                translated[seg.id] = out
    applied, rejected = translations_apply(
        by=by,
        job=job,
        translated=translated,
        provider=f"{provider.name} ({provider.model})",
        machine=True,
        all_or_nothing=False,
    )
    rejected += failures
    if rejected:
        job.refresh_from_db()
        job.warnings = list(job.warnings) + [
            f"{seg}: {_('machine translation refused')}: {why}" for seg, why in rejected
        ]
        job.save(update_fields=["warnings"])
    return applied, rejected
