"""Small synthetic logs drawn from known BKT parameters, for fast, checkable tests."""

from __future__ import annotations

import numpy as np

from edubridge.engines.adaptive.data import ResponseLog


def bkt_sequences(
    params: dict[int, dict[str, float]],
    learners: int,
    answers: int,
    seed: int = 0,
) -> list[tuple[list[int], list[int]]]:
    """Each learner answers ``answers`` times per skill, skills interleaved at random."""
    rng = np.random.default_rng(seed)
    out: list[tuple[list[int], list[int]]] = []
    for _ in range(learners):
        known = {s: rng.random() < p["prior"] for s, p in params.items()}
        order = rng.permutation(np.repeat(list(params), answers))
        skills: list[int] = []
        outcomes: list[int] = []
        for s in order.tolist():
            p = params[s]
            right = rng.random() < ((1 - p["slip"]) if known[s] else p["guess"])
            skills.append(s)
            outcomes.append(int(right))
            if known[s]:
                known[s] = rng.random() >= p["forget"]
            else:
                known[s] = rng.random() < p["learn"]
        out.append((skills, outcomes))
    return out


def bkt_log(
    params: dict[int, dict[str, float]], learners: int, answers: int, seed: int = 0
) -> ResponseLog:
    return ResponseLog.from_sequences(bkt_sequences(params, learners, answers, seed))


TRUE = {
    1: {"prior": 0.3, "learn": 0.15, "forget": 0.0, "guess": 0.2, "slip": 0.1},
    2: {"prior": 0.6, "learn": 0.08, "forget": 0.0, "guess": 0.25, "slip": 0.15},
}


def write_three_line(path: str, sequences: list[tuple[list[int], list[int]]]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for skills, outcomes in sequences:
            handle.write(f"{len(skills)}\n{','.join(map(str, skills))}\n")
            handle.write(",".join(map(str, outcomes)) + "\n")
