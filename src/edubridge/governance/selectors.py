"""Reads of the governance app: the registry beside the policies, exports, budgets, cards."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from edubridge.core.data_classes import FieldClassification, registry
from edubridge.governance.datasets import (
    column_class,
    column_purpose,
    dataset_column_class,
    datasets,
)
from edubridge.governance.models import BudgetCharge, Export, PrivacyBudget
from edubridge.governance.services import ledger_read


def registry_by_model() -> list[tuple[str, list[FieldClassification]]]:
    grouped: dict[str, list[FieldClassification]] = defaultdict(list)
    for row in registry():
        grouped[row.model].append(row)
    return [(model, sorted(rows, key=lambda r: r.field)) for model, rows in sorted(grouped.items())]


def dataset_rows() -> list[dict[str, Any]]:
    """Every exportable dataset with each column's class and purpose from the registry."""
    out = []
    for d in datasets():
        minors = d.about_minors()
        out.append(
            {
                "key": d.key,
                "title": str(d.title),
                "description": str(d.description),
                "quasi_identifiers": list(d.quasi_identifiers),
                "sensitive": d.sensitive,
                "about_minors": minors,
                "contributions": d.contributions,
                "columns": [
                    {
                        "name": c.name,
                        "source": c.source,
                        "description": str(c.description),
                        "data_class": dataset_column_class(d, c, minors=minors),
                        "registry_class": column_class(c),
                        "purpose": column_purpose(c),
                        "identifier": c.identifier,
                        "quasi_identifier": c.name in d.quasi_identifiers,
                        "sensitive": c.name == d.sensitive,
                        "categories": list(c.categories),
                        "bounds": list(c.bounds) if c.bounds else None,
                        "rule": c.hierarchy_rule is not None,
                    }
                    for c in d.columns
                ],
            }
        )
    return out


def budgets() -> list[dict[str, Any]]:
    stored = {b.dataset: b for b in PrivacyBudget.objects.all()}
    out = []
    for d in datasets():
        ledger = ledger_read(d.key)
        charges = (
            list(BudgetCharge.objects.filter(budget=stored[d.key]).select_related("export"))
            if d.key in stored
            else []
        )
        out.append(
            {
                "dataset": d.key,
                "title": str(d.title),
                "total_epsilon": ledger.total_epsilon,
                "spent_epsilon": round(ledger.spent, 6),
                "remaining_epsilon": round(ledger.remaining, 6),
                "charges": charges,
            }
        )
    return out


def exports() -> list[Export]:
    return list(Export.objects.select_related("author", "approved_by", "released_by"))
