"""The datasets a data steward may export, each declaring how it must be protected.

A dataset names its columns and, for each, the model field it comes from
(``app_label.Model.field``), so its data class comes from the node's registry and never from the
dataset itself. It declares the direct identifiers (pseudonymized or left out), the
quasi-identifiers with their generalization hierarchies, the sensitive attribute for l-diversity
and the public categories of columns that differentially private counts may group by.

Other datasets plug in with :func:`register`; the learning datasets (learner responses, mastery,
training records) live in :mod:`edubridge.governance.learning_datasets`.

Two declarations protect people beyond the registry: ``subjects_minor`` says whether any person the
dataset is about is a minor (``User.is_minor``) -- then every personal or sensitive column is shown
to the policy as ``minor-sensitive``, never less protected than the registry says -- and
``contributions`` bounds how many rows one person adds to a differentially private release (rows
beyond it are left out of the aggregate, so the noise covers a whole person).

``person`` names the column saying whose row it is (an identifier column, pseudonymized on
export). Where it is declared, k-anonymity and l-diversity are counted over distinct persons --
an equivalence class must hold rows of at least k different people -- whether or not the column
itself is exported (ADR 0012).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from edubridge.core.data_classes import DataClass, registry
from edubridge.engines.privacy.hierarchy import Hierarchy, load_hierarchy

HierarchyRule = Callable[[str, Sequence[str]], Hierarchy]

HIERARCHIES = Path(__file__).resolve().parent / "hierarchies"


@dataclass(frozen=True)
class Column:
    name: str
    source: str  # "app_label.Model.field": the data class comes from the registry
    description: str | Promise = ""
    identifier: bool = False  # a direct identifier: pseudonymized or left out, never in clear
    categories: tuple[str, ...] = ()  # public categories: DP counts may group by this column
    # Open value spaces (scores, dates, counts): a rule builds the hierarchy for the values held.
    hierarchy_rule: HierarchyRule | None = None
    bounds: tuple[float, float] | None = None  # public clamping bounds: DP means may use it


@dataclass(frozen=True)
class Dataset:
    key: str
    title: str | Promise
    description: str | Promise
    columns: tuple[Column, ...]
    quasi_identifiers: tuple[str, ...]
    sensitive: str | None
    rows: Callable[[], list[tuple[str, ...]]]  # one tuple per record, in column order
    hierarchy_prefix: str = ""  # files <dir>/<prefix>_hierarchy_<column>.csv (ARX naming)
    hierarchy_dir: Path = HIERARCHIES
    purposes_hint: tuple[str, ...] = field(default=())
    subjects_minor: Callable[[], bool] | None = None  # any person in it a minor?
    contributions: int = 1  # most rows one person adds to a DP release (more are left out)
    person: str | None = None  # the identifier column naming whose row it is (k over persons)

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    def hierarchy(self, column: str, values: Sequence[str] = ()) -> Hierarchy:
        """The column's hierarchy: built by its rule for ``values``, else read from its file."""
        declared = self.column(column)
        if declared is not None and declared.hierarchy_rule is not None:
            return declared.hierarchy_rule(column, values)
        path = self.hierarchy_dir / f"{self.hierarchy_prefix}_hierarchy_{column}.csv"
        return load_hierarchy(column, path)

    @property
    def identifier(self) -> Column | None:
        if self.person is not None:
            return self.column(self.person)
        return next((c for c in self.columns if c.identifier), None)

    def about_minors(self) -> bool:
        return bool(self.subjects_minor and self.subjects_minor())


_DATASETS: dict[str, Dataset] = {}


def register(dataset: Dataset) -> None:
    unknown = [q for q in dataset.quasi_identifiers if dataset.column(q) is None]
    if unknown or (dataset.sensitive and dataset.column(dataset.sensitive) is None):
        raise ValueError(f"dataset {dataset.key}: quasi-identifier or sensitive column unknown")
    if dataset.person is not None:
        person = dataset.column(dataset.person)
        if person is None or not person.identifier:
            raise ValueError(f"dataset {dataset.key}: the person column must be an identifier")
    _DATASETS[dataset.key] = dataset


def datasets() -> list[Dataset]:
    _ensure_builtin()
    return sorted(_DATASETS.values(), key=lambda d: d.key)


def dataset_get(key: str) -> Dataset | None:
    _ensure_builtin()
    return _DATASETS.get(key)


@cache
def _classes() -> dict[str, tuple[str, str]]:
    return {f"{r.model}.{r.field}": (r.data_class, r.purpose) for r in registry()}


def column_class(column: Column) -> str:
    """The data class of a column, read from the registry of the field it comes from."""
    found = _classes().get(column.source)
    if found is None:
        raise ValueError(f"column {column.name!r}: {column.source} is not in the registry")
    return found[0]


LIFTED_FOR_MINORS = {DataClass.PERSONAL.value, DataClass.SENSITIVE.value}


def dataset_column_class(dataset: Dataset, column: Column, *, minors: bool | None = None) -> str:
    """The class the policy sees: the registry's, lifted to minor-sensitive when the dataset is
    about minors and the column is personal or sensitive (never lowered)."""
    found = column_class(column)
    about_minors = dataset.about_minors() if minors is None else minors
    if about_minors and found in LIFTED_FOR_MINORS:
        return DataClass.MINOR_SENSITIVE.value
    return found


def column_purpose(column: Column) -> str:
    found = _classes().get(column.source)
    return found[1] if found else ""


# -- exchange data --------------------------------------------------------------------------
PARTICIPATION_STATUSES = ("admitted", "accepted", "visa", "arrived", "completed", "declined")
FIELDS = (
    "mathematics",
    "computer science",
    "agriculture",
    "engineering",
    "natural sciences",
    "education",
    "languages",
    "humanities",
    "social sciences",
    "arts",
)
YES_NO = ("yes", "no", "unknown")


def _yes_no(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def _participation_rows() -> list[tuple[str, ...]]:
    from edubridge.exchange.models import Participation

    rows: list[tuple[str, ...]] = []
    for p in Participation.objects.select_related(
        "application", "place__host", "application__programme"
    ).order_by("pk"):
        a = p.application
        rows.append(
            (
                str(a.applicant_id),
                a.sending_country,
                p.place.host.country,
                p.place.field,
                p.place.level,
                str(p.choice),
                str(p.round),
                p.status,
                _yes_no(a.first_generation),
            )
        )
    return rows


def _application_rows() -> list[tuple[str, ...]]:
    from edubridge.exchange.models import Application, Choice

    first = {
        c.application_id: c
        for c in Choice.objects.filter(preference=1).select_related("place__host")
    }
    matched = set(
        Application.objects.filter(participation__isnull=False).values_list("pk", flat=True)
    )
    rows: list[tuple[str, ...]] = []
    for a in Application.objects.order_by("pk"):
        choice = first.get(a.pk)
        rows.append(
            (
                str(a.applicant_id),
                a.sending_country,
                choice.place.host.country if choice else "",
                choice.place.field if choice else "",
                "yes" if a.pk in matched else "no",
                _yes_no(a.first_generation),
            )
        )
    return rows


def _ensure_builtin() -> None:
    if "exchange-participations" in _DATASETS:
        return
    from edubridge.governance.learning_datasets import register_learning_datasets

    register_learning_datasets()
    register(
        Dataset(
            key="exchange-participations",
            title=_("Exchange participations"),
            description=_(
                "One row per matched exchange participant: where from, where to, what field and "
                "level, which ranked choice, and progress toward completion."
            ),
            columns=(
                Column(
                    "participant",
                    "exchange.Application.applicant",
                    _("the participant (account id)"),
                    identifier=True,
                ),
                Column(
                    "sending_country",
                    "exchange.Application.sending_country",
                    _("country that sends"),
                ),
                Column("host_country", "exchange.Participation.place", _("country that hosts")),
                Column(
                    "field", "exchange.Participation.place", _("subject area"), categories=FIELDS
                ),
                Column("level", "exchange.Participation.place", _("level of the place")),
                Column("choice", "exchange.Participation.choice", _("rank of the matched choice")),
                Column("round", "exchange.Participation.round", _("match round")),
                Column(
                    "status",
                    "exchange.Participation.status",
                    _("progress"),
                    categories=PARTICIPATION_STATUSES,
                ),
                Column(
                    "first_generation",
                    "exchange.Application.first_generation",
                    _("first in the family at university"),
                    categories=YES_NO,
                ),
            ),
            quasi_identifiers=("sending_country", "host_country", "field", "level", "choice"),
            sensitive="first_generation",
            rows=_participation_rows,
            hierarchy_prefix="exchange",
            person="participant",
        )
    )
    register(
        Dataset(
            key="exchange-applications",
            title=_("Exchange applications"),
            description=_(
                "One row per application: sending country, the first choice's host country and "
                "field, and whether the applicant was matched."
            ),
            columns=(
                Column(
                    "applicant",
                    "exchange.Application.applicant",
                    _("the applicant (account id)"),
                    identifier=True,
                ),
                Column(
                    "sending_country",
                    "exchange.Application.sending_country",
                    _("country that sends"),
                ),
                Column("host_country", "exchange.Choice.place", _("host of the first choice")),
                Column("field", "exchange.Choice.place", _("field of the first choice")),
                Column(
                    "matched",
                    "exchange.Participation.application",
                    _("whether a place was offered"),
                    categories=("yes", "no"),
                ),
                Column(
                    "first_generation",
                    "exchange.Application.first_generation",
                    _("first in the family at university"),
                    categories=YES_NO,
                ),
            ),
            quasi_identifiers=("sending_country", "host_country", "field"),
            sensitive="first_generation",
            rows=_application_rows,
            hierarchy_prefix="exchange",
            person="applicant",
        )
    )


def selected(dataset: Dataset, names: Sequence[str]) -> list[Column]:
    return [c for c in dataset.columns if c.name in set(names)]
