"""Errors the privacy engine raises; each carries one human-readable sentence."""

from __future__ import annotations


class PrivacyInputError(ValueError):
    """Bad input (unknown column, uncovered value, impossible k, ...): refuse, write nothing."""


class HierarchyError(PrivacyInputError):
    """A generalization hierarchy file is malformed or does not cover the data."""


class BudgetExceededError(PrivacyInputError):
    """A differentially private release would spend more epsilon than the dataset has left."""


class PolicyFileError(PrivacyInputError):
    """A policy file does not match the policy schema or is internally inconsistent."""
