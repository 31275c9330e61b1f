"""Writes of the governance app: policy checks, exports (request, build, approve, release),
privacy budgets and model cards. Every refusal is a GovernanceError with one sentence saying why,
raised before anything is stored or written."""

from __future__ import annotations

import base64
import csv
import io
import os
import re
import secrets
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from edubridge.accounts.models import User
from edubridge.accounts.roles import Permission
from edubridge.accounts.selectors import user_has_permission
from edubridge.core.audit import audit_record
from edubridge.core.identity import node_identity_ensure, node_sign
from edubridge.engines.privacy.anonymize import anonymize_table
from edubridge.engines.privacy.budget import BudgetLedger, LedgerEntry
from edubridge.engines.privacy.dp import dp_histogram, dp_mean
from edubridge.engines.privacy.errors import PrivacyInputError
from edubridge.engines.privacy.lattice import PrivacyModel
from edubridge.engines.privacy.manifest import build_manifest, canonical_json, sha256_hex
from edubridge.engines.privacy.policy import Decision, ExportRequest, Protections
from edubridge.engines.privacy.policy_schema import APPROVALS
from edubridge.engines.privacy.pseudonymize import MIN_KEY_BYTES, key_fingerprint, pseudonym
from edubridge.governance.datasets import Dataset, dataset_column_class, dataset_get
from edubridge.governance.models import (
    BudgetCharge,
    Export,
    ExportKind,
    ExportStatus,
    ModelCard,
    PrivacyBudget,
)
from edubridge.governance.policies import load_policies

PSEUDONYM_KEY_FILE = "governance-pseudonym.key"
DEFAULT_TOTAL_EPSILON = 2.0
MAX_SUPPRESSION = 0.5


class GovernanceError(ValueError):
    """A refusal: the message says why; nothing was stored or written."""


# -- keys and files -------------------------------------------------------------------------
def _key_dir() -> Path:
    folder = Path(str(settings.NODE["KEY_DIR"]))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def pseudonym_key() -> bytes:
    """The node's pseudonymization key: 32 random bytes in a 0600 file, created on first use.

    It never leaves the node: manifests carry only its fingerprint, so re-identification is
    possible only here, with the home records.
    """
    path = _key_dir() / PSEUDONYM_KEY_FILE
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(MIN_KEY_BYTES))
            audit_record(action="governance.pseudonym_key_created", target=str(path.name))
    key = path.read_bytes()
    if len(key) < MIN_KEY_BYTES:
        raise GovernanceError(_("The pseudonymization key %(path)s is too short.") % {"path": path})
    return key


def export_folder() -> Path:
    folder = Path(str(settings.DATA_DIR)) / "governance" / "exports"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def export_path(export: Export) -> Path:
    return export_folder() / export.file_name


def node_public_key() -> bytes:
    text = node_identity_ensure().public_key
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_with_node_key(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """Sign the manifest's canonical JSON with the node's Ed25519 key (the engine's format)."""
    public = node_public_key()
    signature = node_sign(canonical_json(manifest))
    return {
        "manifest": dict(manifest),
        "signature": {
            "algorithm": "Ed25519",
            "public_key": base64.b64encode(public).decode("ascii"),
            "key_id": sha256_hex(public)[:16],
            "value": base64.b64encode(signature).decode("ascii"),
        },
    }


# -- policy ---------------------------------------------------------------------------------
def policy_check(
    *,
    jurisdiction: str,
    destination: str,
    purpose: str,
    fields: Mapping[str, str],
    protections: Protections,
) -> Decision:
    """The node's answer for a proposed transfer; a refusal names the rule that refused."""
    destination = destination.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", destination):
        raise GovernanceError(
            _("The destination must be a two-letter ISO country code such as FR or US, got %(d)r.")
            % {"d": destination}
        )
    if not purpose.strip():
        raise GovernanceError(_("Name the purpose of the transfer."))
    try:
        return (
            load_policies()
            .policy_set()
            .evaluate(
                ExportRequest(
                    jurisdiction=jurisdiction.strip().upper(),
                    destination=destination,
                    purpose=purpose.strip(),
                    fields=dict(fields),
                    protections=protections,
                )
            )
        )
    except PrivacyInputError as exc:
        raise GovernanceError(str(exc)) from exc


def decision_dict(decision: Decision) -> dict[str, Any]:
    return {
        "allowed": decision.allowed,
        "policy": decision.policy,
        "policy_version": decision.policy_version,
        "rule": decision.rule,
        "reason": decision.reason,
        "approval": decision.approval,
        "conditions": list(decision.conditions),
        "required_protections": [dict(p) for p in decision.required_protections],
        "cites": [c.cites for c in decision.by_class],
        "disclaimer": decision.disclaimer,
        "by_class": [
            {
                "data_class": c.data_class,
                "fields": list(c.fields),
                "allowed": c.allowed,
                "rule": c.rule,
                "cites": c.cites,
                "reason": c.reason,
            }
            for c in decision.by_class
        ],
    }


def dataset_fields(dataset: Dataset, columns: Sequence[str]) -> dict[str, str]:
    """Column -> data class, read from the registry through each column's source field, lifted to
    minor-sensitive when the dataset is about minors."""
    minors = dataset.about_minors()
    return {
        c.name: dataset_column_class(dataset, c, minors=minors)
        for c in dataset.columns
        if c.name in set(columns)
    }


# -- export request -------------------------------------------------------------------------
@dataclass(frozen=True)
class ExportSpec:
    """What a steward asks for; validated by :func:`export_request` before anything is stored."""

    dataset: str
    jurisdiction: str
    destination: str
    purpose: str
    kind: str = ExportKind.RECORDS
    columns: tuple[str, ...] = ()
    pseudonymize: bool = True
    k: int | None = None
    l: int | None = None  # noqa: E741 - the name of the model
    suppression: float = 0.0
    group_by: str = ""
    epsilon: float | None = None
    value_column: str = ""  # DP means: the numeric column averaged (it declares public bounds)


def _require_steward(user: User) -> None:
    if not user_has_permission(user, Permission.APPROVE_EXPORTS):
        raise GovernanceError(_("Only data stewards build, approve and release exports."))


def _budget(dataset: str) -> PrivacyBudget:
    budget, _created = PrivacyBudget.objects.get_or_create(
        dataset=dataset,
        defaults={
            "total_epsilon": float(
                getattr(settings, "GOVERNANCE_DEFAULT_EPSILON", DEFAULT_TOTAL_EPSILON)
            )
        },
    )
    return budget


def ledger_for(budget: PrivacyBudget) -> BudgetLedger:
    return BudgetLedger(
        dataset=budget.dataset,
        total_epsilon=budget.total_epsilon,
        entries=tuple(
            LedgerEntry(
                label=c.label, epsilon=c.epsilon, mechanism=c.mechanism, at=c.at.isoformat()
            )
            for c in budget.charges.all()
        ),
    )


def ledger_read(dataset: str) -> BudgetLedger:
    budget = PrivacyBudget.objects.filter(dataset=dataset).first()
    if budget is None:
        total = float(getattr(settings, "GOVERNANCE_DEFAULT_EPSILON", DEFAULT_TOTAL_EPSILON))
        return BudgetLedger(dataset=dataset, total_epsilon=total)
    return ledger_for(budget)


def _unknown_column(dataset: Dataset, name: str) -> GovernanceError:
    return GovernanceError(
        _("unknown column %(c)r; %(d)s has: %(columns)s")
        % {"c": name, "d": dataset.key, "columns": ", ".join(dataset.header)}
    )


def _validated_mean(
    dataset: Dataset, spec: ExportSpec
) -> tuple[Dataset, list[str], Protections, dict[str, str]]:
    value = dataset.column(spec.value_column)
    if value is None:
        raise _unknown_column(dataset, spec.value_column)
    if value.bounds is None:
        raise GovernanceError(
            _(
                "Column %(c)r declares no public bounds, so a mean of it cannot be made "
                "differentially private."
            )
            % {"c": value.name}
        )
    names = [value.name]
    if spec.group_by:
        group = dataset.column(spec.group_by)
        if group is None:
            raise _unknown_column(dataset, spec.group_by)
        if not group.categories:
            raise GovernanceError(
                _(
                    "Column %(c)r has no public categories, so means cannot be grouped by it "
                    "without revealing which groups exist."
                )
                % {"c": group.name}
            )
        names.append(group.name)
    if spec.epsilon is None or not (spec.epsilon > 0):
        raise GovernanceError(_("A differentially private release needs a positive epsilon."))
    ledger_read(dataset.key).check(spec.epsilon, f"means of {value.name}")
    identifiers = [c.name for c in dataset.columns if c.identifier]
    fields = dataset_fields(dataset, [*names, *identifiers])
    return dataset, names, Protections(pseudonymized=True, epsilon=spec.epsilon), fields


def _validated(spec: ExportSpec) -> tuple[Dataset, list[str], Protections, dict[str, str]]:
    dataset = dataset_get(spec.dataset)
    if dataset is None:
        raise GovernanceError(_("unknown dataset %(d)r") % {"d": spec.dataset})
    if spec.kind == ExportKind.MEAN:
        return _validated_mean(dataset, spec)
    if spec.kind == ExportKind.HISTOGRAM:
        column = dataset.column(spec.group_by)
        if column is None:
            raise GovernanceError(
                _("unknown column %(c)r; %(d)s has: %(columns)s")
                % {"c": spec.group_by, "d": dataset.key, "columns": ", ".join(dataset.header)}
            )
        if not column.categories:
            raise GovernanceError(
                _(
                    "Column %(c)r has no public categories, so counts cannot be grouped by it "
                    "without revealing which groups exist."
                )
                % {"c": column.name}
            )
        if spec.epsilon is None or not (spec.epsilon > 0):
            raise GovernanceError(_("A differentially private release needs a positive epsilon."))
        ledger_read(dataset.key).check(spec.epsilon, f"counts by {column.name}")
        identifiers = [c.name for c in dataset.columns if c.identifier]
        fields = dataset_fields(dataset, [column.name, *identifiers])
        return dataset, [column.name], Protections(pseudonymized=True, epsilon=spec.epsilon), fields
    if spec.kind != ExportKind.RECORDS:
        raise GovernanceError(_("unknown export kind %(k)r") % {"k": spec.kind})
    columns = list(spec.columns) or list(dataset.header)
    unknown = [c for c in columns if dataset.column(c) is None]
    if unknown:
        raise GovernanceError(
            _("unknown column %(c)r; %(d)s has: %(columns)s")
            % {"c": unknown[0], "d": dataset.key, "columns": ", ".join(dataset.header)}
        )
    if len(set(columns)) != len(columns):
        raise GovernanceError(_("A column is listed twice."))
    columns = [c for c in dataset.header if c in set(columns)]  # dataset order
    in_clear = [
        c
        for c in columns
        if (col := dataset.column(c)) and col.identifier and not spec.pseudonymize
    ]
    if in_clear:
        raise GovernanceError(
            _("Column %(c)r is a direct identifier: pseudonymize it or leave it out.")
            % {"c": in_clear[0]}
        )
    if not 0 <= spec.suppression <= MAX_SUPPRESSION:
        raise GovernanceError(
            _("The suppression limit must be between 0 and %(max)s, got %(got)s.")
            % {"max": f"{MAX_SUPPRESSION:g}", "got": f"{spec.suppression:g}"}
        )
    if spec.l is not None and spec.k is None:
        raise GovernanceError(_("l-diversity needs k-anonymity: give k as well."))
    if spec.k is not None:
        quasi = [q for q in dataset.quasi_identifiers if q in columns]
        if not quasi:
            raise GovernanceError(
                _("k-anonymity needs at least one quasi-identifier among the columns (%(q)s).")
                % {"q": ", ".join(dataset.quasi_identifiers)}
            )
        if spec.k < 2:
            raise GovernanceError(_("k must be at least 2, got %(k)s.") % {"k": spec.k})
        rows = dataset.rows()
        if spec.k > len(rows):
            raise GovernanceError(
                _("k=%(k)s is impossible: the dataset has only %(n)s rows.")
                % {"k": spec.k, "n": len(rows)}
            )
        if dataset.person is not None:
            at = dataset.header.index(dataset.person)
            persons = len({r[at] for r in rows})
            if spec.k > persons:
                raise GovernanceError(
                    _(
                        "k=%(k)s is impossible: k counts distinct persons and the dataset holds "
                        "rows of only %(n)s persons."
                    )
                    % {"k": spec.k, "n": persons}
                )
        if spec.l is not None:
            if dataset.sensitive is None or dataset.sensitive not in columns:
                raise GovernanceError(
                    _("l-diversity needs the sensitive column %(c)r among the exported columns.")
                    % {"c": dataset.sensitive}
                )
            index = dataset.header.index(dataset.sensitive)
            distinct = len({r[index] for r in rows})
            if spec.l < 2 or spec.l > distinct:
                raise GovernanceError(
                    _("l=%(l)s is impossible: %(c)r has %(n)s distinct values in the dataset.")
                    % {"l": spec.l, "c": dataset.sensitive, "n": distinct}
                )
    has_identifier = any((col := dataset.column(c)) and col.identifier for c in columns)
    protections = Protections(
        pseudonymized=spec.pseudonymize or not has_identifier, k=spec.k, l=spec.l
    )
    return dataset, columns, protections, dataset_fields(dataset, columns)


def export_request(
    *, spec: ExportSpec, by: User, request: HttpRequest | None = None, enqueue: bool = True
) -> Export:
    """Check input and policy, then store a draft and start the build in the background.

    Any refusal (unknown dataset or column, impossible k or l, overspent budget, a policy that
    does not allow the transfer) raises GovernanceError and stores nothing.
    """
    _require_steward(by)
    try:
        dataset, columns, protections, fields = _validated(spec)
    except PrivacyInputError as exc:
        raise GovernanceError(str(exc)) from exc
    decision = policy_check(
        jurisdiction=spec.jurisdiction,
        destination=spec.destination,
        purpose=spec.purpose,
        fields=fields,
        protections=protections,
    )
    if not decision.allowed:
        audit_record(
            action="governance.export_refused",
            actor=by,
            target=dataset.key,
            request=request,
            details={"rule": decision.rule, "destination": spec.destination.upper()},
        )
        raise GovernanceError(
            _("refused by %(rule)s: %(reason)s")
            % {"rule": decision.rule, "reason": decision.reason}
        )
    parameters: dict[str, Any] = {"columns": columns}
    if spec.kind == ExportKind.HISTOGRAM:
        parameters.update({"group_by": spec.group_by, "epsilon": spec.epsilon})
    elif spec.kind == ExportKind.MEAN:
        parameters.update(
            {"value_column": spec.value_column, "group_by": spec.group_by, "epsilon": spec.epsilon}
        )
    else:
        parameters.update(
            {
                "pseudonymize": spec.pseudonymize,
                "k": spec.k,
                "l": spec.l,
                "suppression": spec.suppression,
            }
        )
    with transaction.atomic():
        export = Export.objects.create(
            dataset=dataset.key,
            kind=spec.kind,
            jurisdiction=spec.jurisdiction.strip().upper(),
            destination=spec.destination.strip().upper(),
            purpose=spec.purpose.strip(),
            parameters=parameters,
            decision=decision_dict(decision),
            author=by,
        )
        audit_record(
            action="governance.export_requested",
            actor=by,
            target=str(export.pk),
            request=request,
            details={"dataset": dataset.key, "rule": decision.rule, "kind": spec.kind},
        )
        if enqueue:
            transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _enqueue(export_id: UUID) -> None:
    from edubridge.governance.tasks import build_export

    result = build_export.enqueue(str(export_id))
    Export.objects.filter(pk=export_id, status=ExportStatus.BUILDING).update(task_id=result.id)


# -- export build (runs in the worker) --------------------------------------------------------
def _csv_bytes(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def export_build(export_id: UUID | str) -> Export:
    """Apply the protections, write the file and its signed manifest; mark failed on refusal."""
    export = Export.objects.select_related("author").get(pk=export_id)
    if export.status != ExportStatus.BUILDING:
        return export
    dataset = dataset_get(export.dataset)
    try:
        if dataset is None:
            raise GovernanceError(_("unknown dataset %(d)r") % {"d": export.dataset})
        with transaction.atomic():
            if export.kind == ExportKind.HISTOGRAM:
                header, rows, protections, report = _build_histogram(export, dataset)
            elif export.kind == ExportKind.MEAN:
                header, rows, protections, report = _build_mean(export, dataset)
            else:
                header, rows, protections, report = _build_records(export, dataset)
            data = _csv_bytes(header, rows)
            file_name = f"{export.dataset}-{export.pk}.csv"
            identity = node_identity_ensure()
            manifest = build_manifest(
                what=f"{dataset.key}: {dataset.title} ({export.kind})",
                file_name=file_name,
                file_bytes=data,
                policy_id=str(export.decision.get("policy")),
                policy_version=str(export.decision.get("policy_version")),
                decision_rule=str(export.decision.get("rule")),
                protections=protections,
                row_counts=report["row_counts"],
                created_at=timezone.now(),
                node=str(identity.node_id),
                destination=export.destination,
                purpose=export.purpose,
            )
            manifest["export_id"] = str(export.pk)
            manifest["columns"] = list(header)
            signed = sign_with_node_key(manifest)
            _write_atomically(export_folder() / file_name, data)
            export.file_name = file_name
            export.manifest = signed
            export.report = report
            export.status = ExportStatus.DRAFT
            export.save(update_fields=["file_name", "manifest", "report", "status"])
            audit_record(
                action="governance.export_built",
                actor=export.author,
                target=str(export.pk),
                details={"sha256": manifest["file"]["sha256"], "rows": report["row_counts"]},
            )
    except (GovernanceError, PrivacyInputError) as exc:
        export.status = ExportStatus.FAILED
        export.error = str(exc)
        export.save(update_fields=["status", "error"])
        audit_record(action="governance.export_failed", actor=export.author, target=str(export.pk))
    return export


PERSON_KEY = "\x00person"  # the search's own column naming whose row it is; never written


def _build_records(
    export: Export, dataset: Dataset
) -> tuple[tuple[str, ...], list[tuple[str, ...]], dict[str, Any], dict[str, Any]]:
    params = export.parameters
    columns: list[str] = params["columns"]
    index = [dataset.header.index(c) for c in columns]
    source = dataset.rows()
    rows = [tuple(r[i] for i in index) for r in source]
    header = tuple(columns)
    # Whose row it is, kept beside the rows (never written) so k counts distinct persons even
    # when the person column is left out of the export.
    person_at = dataset.header.index(dataset.person) if dataset.person is not None else None
    owners = [r[person_at] for r in source] if person_at is not None else None
    protections: dict[str, Any] = {}
    identifiers = [c for c in columns if (col := dataset.column(c)) and col.identifier]
    if identifiers:
        key = pseudonym_key()
        for name in identifiers:
            at = header.index(name)
            domain = f"{dataset.key}/{name}"
            rows = [(*r[:at], pseudonym(r[at], key, domain=domain), *r[at + 1 :]) for r in rows]
        protections["pseudonymization"] = {
            "method": "HMAC-SHA256",
            "columns": identifiers,
            "key_fingerprint": key_fingerprint(key),
            "domain": f"{dataset.key}/<column>",
        }
    report: dict[str, Any] = {"row_counts": {"input": len(rows), "output": len(rows)}}
    if params.get("k"):
        quasi = [q for q in dataset.quasi_identifiers if q in columns]
        sensitive = dataset.sensitive if params.get("l") and dataset.sensitive in columns else None
        searched_header, searched = header, rows
        if owners is not None:
            searched_header = (*header, PERSON_KEY)
            searched = [(*r, owner) for r, owner in zip(rows, owners, strict=True)]
        result = anonymize_table(
            searched_header,
            searched,
            quasi_identifiers=quasi,
            sensitive=sensitive,
            hierarchies={
                q: dataset.hierarchy(q, [r[header.index(q)] for r in rows]) for q in quasi
            },
            model=PrivacyModel(
                k=int(params["k"]),
                l=int(params["l"]) if sensitive else None,
                suppression_limit=float(params.get("suppression") or 0.0),
            ),
            person=PERSON_KEY if owners is not None else None,
        )
        width = len(header)
        rows = [r[:width] for r in result.rows]  # the person key never leaves the node
        loss = result.loss
        protections["k_anonymity"] = {
            "k": int(params["k"]),
            "l": int(params["l"]) if sensitive else None,
            "quasi_identifiers": quasi,
            "sensitive": sensitive,
            "suppression_limit": float(params.get("suppression") or 0.0),
            "generalization": result.generalization,
            "counted_over": "distinct persons" if owners is not None else "rows",
            "person_column": dataset.person,
            "smallest_class": loss.smallest_class,
        }
        report = {
            "row_counts": {
                "input": result.input_rows,
                "output": len(rows),
                "suppressed": loss.suppressed_rows,
            },
            "generalization": result.generalization,
            "max_levels": result.max_levels,
            "loss": {
                "generalization_height": loss.generalization_height,
                "max_height": loss.max_height,
                "ncp": round(loss.ncp, 6),
                "discernibility": loss.discernibility,
                "equivalence_classes": loss.equivalence_classes,
                "average_class_size": round(loss.average_class_size, 3),
            },
            "lattice": {"size": result.lattice_size, "checked": result.nodes_checked},
            "reasons": [r.replace(repr(PERSON_KEY), repr(dataset.person)) for r in result.reasons],
            "k_counted_over": "persons" if owners is not None else "rows",
        }
        if owners is not None:
            report["people_per_class_min"] = loss.smallest_class
            report["persons"] = {"input": loss.persons, "output": loss.persons_released}
    return header, rows, protections, report


def _bounded_rows(dataset: Dataset) -> tuple[list[tuple[str, ...]], int]:
    """The dataset's rows with at most ``dataset.contributions`` per person (the first ones kept);
    returns the rows and how many were left out, so DP noise covers a whole person."""
    rows = dataset.rows()
    person = dataset.identifier
    if person is None:
        return rows, 0
    at = dataset.header.index(person.name)
    seen: dict[str, int] = defaultdict(int)
    kept: list[tuple[str, ...]] = []
    for row in rows:
        seen[row[at]] += 1
        if seen[row[at]] <= dataset.contributions:
            kept.append(row)
    return kept, len(rows) - len(kept)


def _build_histogram(
    export: Export, dataset: Dataset
) -> tuple[tuple[str, ...], list[tuple[str, ...]], dict[str, Any], dict[str, Any]]:
    params = export.parameters
    column = dataset.column(params["group_by"])
    assert column is not None
    at = dataset.header.index(column.name)
    source, dropped = _bounded_rows(dataset)
    labels = [r[at] for r in source]
    budget = PrivacyBudget.objects.select_for_update().get(pk=_budget(dataset.key).pk)
    ledger = ledger_for(budget)
    now = timezone.now()
    label = f"export {export.pk}: counts by {column.name}"
    release, charged = dp_histogram(
        labels,
        categories=column.categories,
        epsilon=float(params["epsilon"]),
        ledger=ledger,
        label=label,
        at=now,
        contributions=dataset.contributions,
    )
    BudgetCharge.objects.create(
        budget=budget,
        export=export,
        label=label,
        epsilon=release.epsilon,
        mechanism=release.mechanism,
        at=now,
    )
    assert isinstance(release.value, dict)
    # Post-processing cannot weaken differential privacy: report negative noisy counts as 0.
    rows: list[tuple[str, ...]] = [
        (name, str(max(int(count), 0))) for name, count in release.value.items()
    ]
    protections: dict[str, Any] = {
        "differential_privacy": {
            "epsilon": release.epsilon,
            "mechanism": release.mechanism,
            "scale": release.parameters["scale"],
            "contributions_per_person": release.parameters["contributions"],
            "categories": list(column.categories),
            "post_processing": "noisy counts below 0 reported as 0",
            "budget_after": {"total": charged.total_epsilon, "spent": charged.spent},
        }
    }
    report: dict[str, Any] = {
        "row_counts": {
            "input": len(labels) + dropped,
            "beyond_contribution_bound": dropped,
            "output": len(rows),
        },
        "epsilon": release.epsilon,
        "reasons": [*_bound_reason(dataset, dropped), *release.reasons],
    }
    return (column.name, "noisy_count"), rows, protections, report


def _bound_reason(dataset: Dataset, dropped: int) -> list[str]:
    return [
        f"each person adds at most {dataset.contributions} row(s); {dropped} row(s) beyond that "
        "bound were left out, so the noise hides a whole person"
    ]


def _build_mean(
    export: Export, dataset: Dataset
) -> tuple[tuple[str, ...], list[tuple[str, ...]], dict[str, Any], dict[str, Any]]:
    """Noisy clamped means of a numeric column, overall or per public category of a group
    column; the epsilon is split evenly over the groups (sequential composition)."""
    params = export.parameters
    value = dataset.column(params["value_column"])
    assert value is not None
    assert value.bounds is not None
    group = dataset.column(params["group_by"]) if params.get("group_by") else None
    source, dropped = _bounded_rows(dataset)
    at_value = dataset.header.index(value.name)
    at_group = dataset.header.index(group.name) if group else None
    groups = list(group.categories) if group else [_ALL]
    values: dict[str, list[float]] = {g: [] for g in groups}
    for row in source:
        key = row[at_group] if at_group is not None else _ALL
        if key in values:
            try:
                values[key].append(float(row[at_value]))
            except ValueError:
                raise GovernanceError(
                    _("Column %(c)r holds %(v)r, which is not a number.")
                    % {"c": value.name, "v": row[at_value]}
                ) from None
    budget = PrivacyBudget.objects.select_for_update().get(pk=_budget(dataset.key).pk)
    ledger = ledger_for(budget)
    share = float(params["epsilon"]) / len(groups)
    now = timezone.now()
    rows: list[tuple[str, ...]] = []
    spent = 0.0
    scales: dict[str, Any] = {}
    reasons: list[str] = _bound_reason(dataset, dropped)
    for name in groups:
        label = f"export {export.pk}: mean of {value.name}" + (
            f" where {group.name}={name}" if group else ""
        )
        release, ledger = dp_mean(
            values[name],
            bounds=value.bounds,
            epsilon=share,
            ledger=ledger,
            label=label,
            at=now,
            contributions=dataset.contributions,
        )
        BudgetCharge.objects.create(
            budget=budget,
            export=export,
            label=label,
            epsilon=release.epsilon,
            mechanism=release.mechanism,
            at=now,
        )
        spent += release.epsilon
        scales[name] = {
            "sum_scale": release.parameters["sum_scale"],
            "count_scale": release.parameters["count_scale"],
        }
        assert isinstance(release.value, float)
        rows.append((name, f"{release.value:.4f}"))
        reasons.extend(f"{name}: {r}" for r in release.reasons)
    protections: dict[str, Any] = {
        "differential_privacy": {
            "epsilon": spent,
            "mechanism": "laplace sum / discrete laplace count (OpenDP), per group",
            "bounds": list(value.bounds),
            "groups": groups,
            "epsilon_per_group": share,
            "scales": scales,
            "contributions_per_person": dataset.contributions,
            "composition": "sequential: the groups' epsilons add up",
            "budget_after": {"total": ledger.total_epsilon, "spent": ledger.spent},
        }
    }
    report: dict[str, Any] = {
        "row_counts": {
            "input": len(source) + dropped,
            "beyond_contribution_bound": dropped,
            "output": len(rows),
        },
        "epsilon": spent,
        "reasons": reasons,
    }
    header = (group.name if group else "group", f"noisy_mean_{value.name}")
    return header, rows, protections, report


_ALL = "all"


# -- approval and release -----------------------------------------------------------------
def export_approve(
    *,
    export: Export,
    by: User,
    confirm_conditions: bool = False,
    request: HttpRequest | None = None,
) -> Export:
    """A second data steward approves a built draft; the author cannot approve their own."""
    _require_steward(by)
    with transaction.atomic():
        export = Export.objects.select_for_update().get(pk=export.pk)
        if export.status != ExportStatus.DRAFT:
            raise GovernanceError(
                _("Only a built draft can be approved; this export is %(s)s.")
                % {"s": export.get_status_display()}
            )
        if export.author_id == by.pk:
            raise GovernanceError(
                _("The author cannot approve their own export: a second data steward must.")
            )
        needs = export.decision.get("approval", "none")
        beyond = APPROVALS.index(needs) > APPROVALS.index("data-steward")
        if (export.decision.get("conditions") or beyond) and not confirm_conditions:
            raise GovernanceError(
                _(
                    "Confirm that the policy's conditions are met and that the %(needs)s approval "
                    "is on file."
                )
                % {"needs": needs}
                if beyond
                else _("Confirm that the policy's conditions are met.")
            )
        export.status = ExportStatus.APPROVED
        export.approved_by = by
        export.approved_at = timezone.now()
        export.save(update_fields=["status", "approved_by", "approved_at"])
        audit_record(
            action="governance.export_approved",
            actor=by,
            target=str(export.pk),
            request=request,
            details={
                "author": export.author.get_username(),
                "conditions_confirmed": confirm_conditions,
            },
        )
    return export


def export_release(*, export: Export, by: User, request: HttpRequest | None = None) -> Export:
    """Release an approved export: only then may it be downloaded."""
    _require_steward(by)
    with transaction.atomic():
        export = Export.objects.select_for_update().get(pk=export.pk)
        if export.status != ExportStatus.APPROVED:
            raise GovernanceError(
                _("Only an approved export can be released; this export is %(s)s.")
                % {"s": export.get_status_display()}
            )
        data = export_path(export).read_bytes()
        if sha256_hex(data) != export.manifest["manifest"]["file"]["sha256"]:
            raise GovernanceError(
                _("The export file no longer matches its manifest; not released.")
            )
        export.status = ExportStatus.RELEASED
        export.released_by = by
        export.released_at = timezone.now()
        export.save(update_fields=["status", "released_by", "released_at"])
        audit_record(
            action="governance.export_released",
            actor=by,
            target=str(export.pk),
            request=request,
            details={"sha256": export.manifest["manifest"]["file"]["sha256"]},
        )
    return export


def export_file(*, export: Export, by: User, request: HttpRequest | None = None) -> bytes:
    """The released file (checked against its manifest); the download is audited."""
    _require_steward(by)
    export.refresh_from_db()
    if export.status != ExportStatus.RELEASED:
        raise GovernanceError(_("An export can be downloaded only once it is released."))
    data = export_path(export).read_bytes()
    if sha256_hex(data) != export.manifest["manifest"]["file"]["sha256"]:
        raise GovernanceError(_("The export file no longer matches its manifest."))
    audit_record(
        action="governance.export_downloaded", actor=by, target=str(export.pk), request=request
    )
    return data


def budget_set(*, dataset: str, total_epsilon: float, by: User) -> PrivacyBudget:
    """Set a dataset's total epsilon; it can never go below what is already spent."""
    _require_steward(by)
    if dataset_get(dataset) is None:
        raise GovernanceError(f"unknown dataset {dataset!r}")
    with transaction.atomic():
        budget = PrivacyBudget.objects.select_for_update().get(pk=_budget(dataset).pk)
        spent = ledger_for(budget).spent
        if not total_epsilon > 0 or total_epsilon < spent:
            raise GovernanceError(
                _("The budget must be positive and at least the %(spent)s already spent.")
                % {"spent": f"{spent:g}"}
            )
        budget.total_epsilon = total_epsilon
        budget.save(update_fields=["total_epsilon"])
        audit_record(
            action="governance.budget_set",
            actor=by,
            target=dataset,
            details={"total_epsilon": total_epsilon},
        )
    return budget


# -- model cards --------------------------------------------------------------------------
def model_card_store(
    *,
    name: str,
    version: str,
    intended_use: str,
    training_data: str,
    metrics: Mapping[str, Any],
    metrics_by_group: Mapping[str, Any],
    limits: Sequence[str],
    ethical_considerations: str,
    bias_audit: Mapping[str, Any],
    used_at: str = "",
) -> ModelCard:
    if not name.strip() or not version.strip():
        raise GovernanceError(_("A model card needs a model name and a version."))
    card, _created = ModelCard.objects.update_or_create(
        name=name,
        version=version,
        defaults={
            "intended_use": intended_use,
            "training_data": training_data,
            "metrics": dict(metrics),
            "metrics_by_group": dict(metrics_by_group),
            "limits": list(limits),
            "ethical_considerations": ethical_considerations,
            "bias_audit": dict(bias_audit),
            "used_at": used_at,
        },
    )
    audit_record(action="governance.model_card_stored", target=f"{name} {version}")
    return card
