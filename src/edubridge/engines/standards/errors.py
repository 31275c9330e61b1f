"""Errors that say where the input is wrong (file, line, JSON path) and what is wrong.

Every codec raises a subclass of ``StandardsError`` so a caller can show one clear line to a
publisher and import nothing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and what is wrong."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class StandardsError(ValueError):
    """An input that a codec refuses; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem] | Problem | str, *, file: str | None = None) -> None:
        if isinstance(problems, str):
            problems = [Problem("", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        self.file = file
        super().__init__(self._text())

    def _text(self) -> str:
        head = f"{self.file}: " if self.file else ""
        if not self.problems:
            return head + "invalid input"
        first = str(self.problems[0])
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        return head + first + more


class ItemFormatError(StandardsError):
    """A JSON item or bank that breaks the edubridge-item/1 contract."""


class ExpressionError(StandardsError):
    """A template answer expression that is not plain arithmetic or cannot be evaluated."""


class XmlSafetyError(StandardsError):
    """XML refused before parsing: DTDs, entities, external references, or too large."""


class QtiError(StandardsError):
    """A QTI 3 item or package that is malformed or breaks the structural rules."""


class UnsupportedItemError(QtiError):
    """A well-formed QTI item that uses features EduBridge items cannot hold."""


class PackageError(StandardsError):
    """A content package (zip) that is unsafe or inconsistent."""


class CaseError(StandardsError):
    """A CASE CFPackage that breaks the CASE 1.1 (or 1.0) schema or its own references."""
