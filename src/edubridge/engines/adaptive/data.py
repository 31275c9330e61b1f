"""Response logs in the three-lines-per-learner knowledge-tracing format.

Each learner is three lines: the number of responses; the skill ids; the outcomes (1 right,
0 wrong), in time order. Everything downstream works on flat NumPy arrays grouped by learner,
so a 700k-response log loads and fits in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]


class KTFormatError(ValueError):
    """The input is not a valid three-line knowledge-tracing file; the message names the line."""


@dataclass(frozen=True)
class ResponseLog:
    """Responses flattened in learner-then-time order.

    ``learner[i]`` is a 0-based learner index, ``skill[i]`` the skill id as written in the file,
    ``correct[i]`` 0 or 1. A learner's responses are contiguous and in time order.
    """

    learner: IntArray
    skill: IntArray
    correct: IntArray

    @property
    def n_responses(self) -> int:
        return int(self.correct.shape[0])

    @property
    def n_learners(self) -> int:
        return int(self.learner.max()) + 1 if self.learner.size else 0

    @staticmethod
    def from_sequences(sequences: list[tuple[list[int], list[int]]]) -> ResponseLog:
        """Build a log from ``[(skills, outcomes), ...]``, one pair per learner."""
        learner = [np.full(len(s), i, dtype=np.int64) for i, (s, _) in enumerate(sequences)]
        skill = [np.asarray(s, dtype=np.int64) for s, _ in sequences]
        correct = [np.asarray(o, dtype=np.int64) for _, o in sequences]
        if not sequences:
            empty = np.zeros(0, dtype=np.int64)
            return ResponseLog(empty, empty.copy(), empty.copy())
        return ResponseLog(np.concatenate(learner), np.concatenate(skill), np.concatenate(correct))


def _parse_ints(text: str, line_no: int, what: str) -> IntArray:
    parts = text.strip().rstrip(",").split(",")
    try:
        return np.array([int(p) for p in parts], dtype=np.int64)
    except ValueError:
        raise KTFormatError(
            f"line {line_no}: {what} must be comma-separated integers, got {text.strip()[:40]!r}"
        ) from None


def parse_three_line(text: str, source: str = "input") -> ResponseLog:
    """Parse the three-line format; raise :class:`KTFormatError` naming the first bad line."""
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not lines:
        raise KTFormatError(f"{source}: no learners (the file is empty)")
    if len(lines) % 3:
        last = lines[-(len(lines) % 3)][0]
        raise KTFormatError(
            f"{source}: line {last}: incomplete block, expected count, skills and outcomes lines"
        )
    sequences_skill: list[IntArray] = []
    sequences_correct: list[IntArray] = []
    for block in range(0, len(lines), 3):
        (n_count, count_text), (n_skill, skill_text), (n_out, out_text) = lines[block : block + 3]
        try:
            count = int(count_text.strip().rstrip(","))
        except ValueError:
            raise KTFormatError(
                f"{source}: line {n_count}: expected a response count, got "
                f"{count_text.strip()[:40]!r}"
            ) from None
        skills = _parse_ints(skill_text, n_skill, "skill ids")
        outcomes = _parse_ints(out_text, n_out, "outcomes")
        if count <= 0:
            raise KTFormatError(f"{source}: line {n_count}: response count must be positive")
        if skills.shape[0] != count:
            raise KTFormatError(
                f"{source}: line {n_skill}: {skills.shape[0]} skill ids but count says {count}"
            )
        if outcomes.shape[0] != count:
            raise KTFormatError(
                f"{source}: line {n_out}: {outcomes.shape[0]} outcomes but count says {count}"
            )
        if np.any((outcomes != 0) & (outcomes != 1)):
            raise KTFormatError(f"{source}: line {n_out}: outcomes must be 0 or 1")
        if np.any(skills < 0):
            raise KTFormatError(f"{source}: line {n_skill}: skill ids must be non-negative")
        sequences_skill.append(skills)
        sequences_correct.append(outcomes)
    learner = np.repeat(
        np.arange(len(sequences_skill), dtype=np.int64), [s.shape[0] for s in sequences_skill]
    )
    return ResponseLog(learner, np.concatenate(sequences_skill), np.concatenate(sequences_correct))


def read_three_line(path: str | Path) -> ResponseLog:
    """Read a three-line file; unreadable files raise :class:`KTFormatError` too."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KTFormatError(f"{path}: cannot read: {exc.__class__.__name__}: {exc}") from None
    return parse_three_line(text, source=str(path))
