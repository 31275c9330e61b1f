"""Anonymize a table: validate the request, search the lattice, apply the chosen generalization.

Plain data in (a header and rows of strings, hierarchies, a :class:`PrivacyModel`), plain data out
(the released rows, the generalization, loss figures and reasons). Suppressed rows are left out of
the release; columns that are neither quasi-identifiers nor sensitive pass through unchanged, so
the caller must drop direct identifiers (or pseudonymize them) before calling.

With ``person`` (the column naming whose row it is, e.g. a pseudonymized learner), k counts
distinct persons per equivalence class rather than rows; without it every row is a person.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .errors import PrivacyInputError
from .hierarchy import Hierarchy, encode_hierarchy, encode_values
from .lattice import LatticeSearch, LossReport, PrivacyModel


@dataclass(frozen=True)
class AnonymizationResult:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    generalization: dict[str, int]
    max_levels: dict[str, int]
    loss: LossReport
    input_rows: int
    lattice_size: int
    nodes_checked: int
    nodes_tagged: int
    reasons: tuple[str, ...]
    person: str | None = None  # the column k was counted over, if any


def anonymize_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    quasi_identifiers: Sequence[str],
    sensitive: str | None,
    hierarchies: Mapping[str, Hierarchy],
    model: PrivacyModel,
    progress: Callable[[int, int], None] | None = None,
    person: str | None = None,
) -> AnonymizationResult:
    """Release the least-loss generalization of ``rows`` that satisfies ``model``.

    Raises :class:`PrivacyInputError` (and computes nothing further) on an unknown column, a
    missing or non-covering hierarchy, a ragged row, or a model no generalization can satisfy.
    """
    columns = _checked_columns(header, quasi_identifiers, sensitive, hierarchies, person)
    for number, row in enumerate(rows, start=1):
        if len(row) != len(header):
            raise PrivacyInputError(
                f"data row {number} has {len(row)} fields, the header has {len(header)}"
            )
    if not rows:
        raise PrivacyInputError("the table has no rows")
    by_column = list(zip(*rows, strict=True))
    encoded = [encode_hierarchy(hierarchies[name]) for name in quasi_identifiers]
    leaves = [
        encode_values(enc, by_column[columns[name]])
        for enc, name in zip(encoded, quasi_identifiers, strict=True)
    ]
    sensitive_codes = None
    if sensitive is not None:
        values = by_column[columns[sensitive]]
        index = {v: i for i, v in enumerate(dict.fromkeys(values))}
        sensitive_codes = np.array(list(map(index.__getitem__, values)), dtype=np.int64)
    person_codes = None
    if person is not None:
        values = by_column[columns[person]]
        index = {v: i for i, v in enumerate(dict.fromkeys(values))}
        person_codes = np.array(list(map(index.__getitem__, values)), dtype=np.int64)
    search = LatticeSearch(
        encoded, leaves, sensitive_codes, model, progress=progress, persons=person_codes
    )
    result = search.run()

    released: list[Sequence[str]] = list(by_column)
    for enc, name, leaf, level in zip(encoded, quasi_identifiers, leaves, result.node, strict=True):
        labels = np.asarray(enc.labels[level], dtype=object)
        released[columns[name]] = labels[enc.codes[level][leaf]].tolist()
    keep = np.ones(len(rows), dtype=bool)
    keep[list(result.suppressed_row_indices)] = False
    out_rows = tuple(itertools.compress(zip(*released, strict=True), keep.tolist()))
    generalization = dict(zip(quasi_identifiers, result.node, strict=True))
    max_levels = {name: enc.height for name, enc in zip(quasi_identifiers, encoded, strict=True)}
    return AnonymizationResult(
        header=tuple(header),
        rows=out_rows,
        generalization=generalization,
        max_levels=max_levels,
        loss=result.loss,
        input_rows=len(rows),
        lattice_size=result.lattice_size,
        nodes_checked=result.nodes_checked,
        nodes_tagged=result.nodes_tagged,
        reasons=_reasons(
            model, generalization, max_levels, result.loss, len(rows), sensitive, person
        ),
        person=person,
    )


def _checked_columns(
    header: Sequence[str],
    quasi_identifiers: Sequence[str],
    sensitive: str | None,
    hierarchies: Mapping[str, Hierarchy],
    person: str | None = None,
) -> dict[str, int]:
    columns = {name: i for i, name in enumerate(header)}
    if len(columns) != len(header):
        raise PrivacyInputError("the header names a column twice")
    if not quasi_identifiers:
        raise PrivacyInputError("declare at least one quasi-identifier")
    wanted = [
        *quasi_identifiers,
        *([sensitive] if sensitive is not None else []),
        *([person] if person is not None else []),
    ]
    unknown = [name for name in wanted if name not in columns]
    if unknown:
        raise PrivacyInputError(
            f"unknown column {unknown[0]!r}; the table has: {', '.join(header)}"
        )
    if len(set(quasi_identifiers)) != len(quasi_identifiers):
        raise PrivacyInputError("a quasi-identifier is listed twice")
    if sensitive is not None and sensitive in quasi_identifiers:
        raise PrivacyInputError(
            f"column {sensitive!r} cannot be both quasi-identifier and sensitive"
        )
    if person is not None and (person in quasi_identifiers or person == sensitive):
        raise PrivacyInputError(
            f"column {person!r} names the person; it cannot also be quasi-identifier or sensitive"
        )
    missing = [name for name in quasi_identifiers if name not in hierarchies]
    if missing:
        raise PrivacyInputError(f"no generalization hierarchy for quasi-identifier {missing[0]!r}")
    return columns


def _reasons(
    model: PrivacyModel,
    generalization: Mapping[str, int],
    max_levels: Mapping[str, int],
    loss: LossReport,
    input_rows: int,
    sensitive: str | None,
    person: str | None = None,
) -> tuple[str, ...]:
    levels = ", ".join(f"{c}={lv}/{max_levels[c]}" for c, lv in generalization.items())
    privacy = [f"k={model.k}" + (" distinct persons" if person is not None else "")]
    if model.l is not None:
        privacy.append(f"distinct l={model.l} on {sensitive!r}")
    if model.entropy_l is not None:
        privacy.append(f"entropy l={model.entropy_l:g} on {sensitive!r}")
    share = loss.suppressed_rows / input_rows
    counted = (
        f"k counted over distinct persons (column {person!r}): the smallest equivalence class "
        f"holds rows of {loss.smallest_class} persons; {loss.persons_released} of {loss.persons} "
        "persons keep at least one row"
        if person is not None
        else f"k counted over rows (each row a person): the smallest equivalence class holds "
        f"{loss.smallest_class} rows"
    )
    return (
        f"chosen generalization {levels}: the least {model.objective} loss of all lattice nodes "
        f"that satisfy {', '.join(privacy)}",
        f"{loss.suppressed_rows} of {input_rows} rows suppressed ({share:.2%}; limit "
        f"{model.suppression_limit:.2%}), left out of the release",
        f"{loss.equivalence_classes} equivalence classes, average size "
        f"{loss.average_class_size:.1f}",
        counted,
    )
