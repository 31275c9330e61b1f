"""Plain dataclasses for a CASE CFPackage.

Modelled fields are the ones EduBridge uses (codes, statements, hierarchy, crosswalks); every
other field is kept verbatim in ``extra`` so export gives back what was imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CROSSWALK_TYPES = frozenset({"isRelatedTo", "exactMatchOf", "isPeerOf", "precedes"})


@dataclass(frozen=True)
class Link:
    """A CASE LinkGenURI/LinkURI: the far end of an association or a reference."""

    identifier: str
    uri: str
    title: str
    target_type: str | None = None


@dataclass(frozen=True)
class CFDocument:
    """The framework itself."""

    identifier: str
    uri: str
    title: str
    creator: str
    last_change: str
    language: str | None = None
    subject: tuple[str, ...] = ()
    version: str | None = None
    adoption_status: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CFItem:
    """One statement of the framework (a standard, cluster, domain...)."""

    identifier: str
    uri: str
    full_statement: str
    last_change: str
    code: str | None = None
    abbreviated_statement: str | None = None
    item_type: str | None = None
    language: str | None = None
    education_level: tuple[str, ...] = ()
    concept_keywords: tuple[str, ...] = ()
    list_enumeration: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CFAssociation:
    """``origin <association_type> destination``; either end may be in another framework."""

    identifier: str
    uri: str
    association_type: str
    origin: Link
    destination: Link
    last_change: str
    sequence_number: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_crosswalk(self) -> bool:
        """True for the cross-framework relations EduBridge shows (isRelatedTo, exactMatchOf...)."""
        return self.association_type in CROSSWALK_TYPES


@dataclass(frozen=True)
class CFPackage:
    """A whole CFPackage. ``notes`` explain what the import changed (e.g. CASE 1.0 upgrades)."""

    document: CFDocument
    items: tuple[CFItem, ...]
    associations: tuple[CFAssociation, ...]
    definitions: dict[str, Any] = field(default_factory=dict)
    rubrics: tuple[dict[str, Any], ...] = ()
    extensions: dict[str, Any] | None = None
    source_version: str = "1.1"
    notes: tuple[str, ...] = ()

    def item(self, identifier: str) -> CFItem | None:
        """The item with ``identifier``, if it is in this package."""
        for candidate in self.items:
            if candidate.identifier == identifier:
                return candidate
        return None

    def crosswalks(self) -> list[CFAssociation]:
        """Associations of crosswalk types (to other frameworks or within this one)."""
        return [a for a in self.associations if a.is_crosswalk]
