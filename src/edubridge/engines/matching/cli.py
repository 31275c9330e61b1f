"""`edubridge exchange match`: match applicants to exchange places from CSV files.

Exit 0 on success; 2 on bad input after one line on stderr naming the file and line.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn, TextIO

from .api import match, second_round
from .csvio import (
    CsvError,
    LoadedApplications,
    read_applications,
    read_places,
    write_lottery,
    write_match,
)
from .data import MatchInputError, MatchResult, Place
from .instance import PlaceError, RowError

LARGE_INPUT_BYTES = 2_000_000  # about 50,000 application rows: show progress from here


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="edubridge exchange match",
        description=(
            "Match applicants to exchange places by applicant-proposing deferred acceptance "
            "(stable, applicant-optimal), with a reason for every applicant."
        ),
    )
    p.add_argument("--places", required=True, type=Path, help="PLACES.csv: place_id,capacity")
    p.add_argument(
        "--applications",
        required=True,
        type=Path,
        help="APPLICATIONS.csv: applicant_id,place_id,preference,host_score",
    )
    p.add_argument("--out", required=True, type=Path, help="MATCH.csv to write")
    p.add_argument(
        "--seed", type=int, help="lottery seed for ties (default: drawn at random and printed)"
    )
    p.add_argument(
        "--second-round",
        type=Path,
        metavar="APPLICATIONS2.csv",
        help="applications of round-1 unmatched applicants to the seats round 1 left",
    )
    p.add_argument(
        "--lottery-out",
        type=Path,
        help="where to publish the lottery order (default: MATCH.lottery.csv next to --out)",
    )
    return p


class _Progress:
    """Phase-by-phase progress on stderr: a rich bar on a terminal, plain lines otherwise."""

    def __init__(self, stream: TextIO, enabled: bool, phases: int) -> None:
        self.stream = stream
        self.enabled = enabled
        self.bar = None
        if enabled and stream.isatty():
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(file=stream), transient=True)
            self.task = self.bar.add_task("matching", total=phases)
            self.bar.start()

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        if self.bar is not None:
            self.bar.update(self.task, description=name)
        yield
        if self.bar is not None:
            self.bar.advance(self.task)
        elif self.enabled:
            print(f"{name}: {time.perf_counter() - start:.2f} s", file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _located(
    exc: MatchInputError, places: Path, place_lines: list[int], apps: Path, app_lines: list[int]
) -> str:
    if isinstance(exc, CsvError):
        return str(exc)
    if isinstance(exc, RowError):
        return f"{apps}, line {app_lines[exc.row]}: {exc}"
    if isinstance(exc, PlaceError):
        return f"{places}, line {place_lines[exc.index]}: {exc}"
    return f"{apps}: {exc}"


def _summary(result: MatchResult, seconds: float, lottery_path: Path) -> str:
    n = len(result.applicants)
    matched = result.matched_count
    full = sum(1 for p in result.places if p.filled >= p.capacity)
    seats = sum(p.capacity for p in result.places)
    filled = sum(p.filled for p in result.places)
    return "\n".join(
        [
            f"matched {matched:,} of {n:,} applicants ({n - matched:,} unmatched)",
            f"places filled {full:,} of {len(result.places):,} "
            f"(seats {filled:,} of {seats:,}; {seats - filled:,} left)",
            f"lottery seed {result.seed}; order published in {lottery_path}",
            f"{seconds:.2f} s",
        ]
    )


def _reserve_attributes(places: list[Place]) -> set[str]:
    return {r.attribute for p in places for r in p.reserves}


def run(args: argparse.Namespace, stderr: TextIO) -> str:
    """Do the work; returns the summary. Raises MatchInputError / OSError on bad input."""
    start = time.perf_counter()
    seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
    if seed < 0:
        raise MatchInputError(f"--seed must be 0 or more, got {seed}")
    paths = [args.applications] + ([args.second_round] if args.second_round else [])
    large = any(p.exists() and p.stat().st_size >= LARGE_INPUT_BYTES for p in paths)
    progress = _Progress(stderr, large or stderr.isatty(), 4 + 2 * bool(args.second_round))
    try:
        return _run(args, seed, progress, start)
    finally:
        progress.close()


def _run(args: argparse.Namespace, seed: int, progress: _Progress, start: float) -> str:
    place_lines: list[int] = []
    apps = LoadedApplications.empty()
    try:
        with progress.phase("reading places"):
            places, place_lines = read_places(args.places)
        used = _reserve_attributes(places)
        with progress.phase("reading applications"):
            apps = read_applications(args.applications, used)
        with progress.phase("matching"):
            result = match(places, apps.columns, seed=seed, attributes=apps.attributes)
    except MatchInputError as e:
        raise MatchInputError(
            _located(e, args.places, place_lines, args.applications, apps.lines)
        ) from None
    if args.second_round:
        apps2 = LoadedApplications.empty()
        try:
            with progress.phase("reading second-round applications"):
                apps2 = read_applications(args.second_round, used)
            with progress.phase("second round"):
                result = second_round(result, places, apps2.columns, attributes=apps2.attributes)
        except MatchInputError as e:
            raise MatchInputError(
                _located(e, args.places, place_lines, args.second_round, apps2.lines)
            ) from None
    lottery_path = args.lottery_out or args.out.with_name(f"{args.out.stem}.lottery.csv")
    with progress.phase("writing results"):
        write_match(args.out, result)
        write_lottery(lottery_path, result)
    return _summary(result, time.perf_counter() - start, lottery_path)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (0 ok, 2 bad input)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except _UsageError as e:
        print(f"{parser.prog}: {e}", file=sys.stderr)
        return 2
    except SystemExit as e:  # --help
        return int(e.code or 0)
    try:
        summary = run(args, sys.stderr)
    except MatchInputError as e:
        print(f"{parser.prog}: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"{parser.prog}: cannot read or write {e.filename}: {e.strerror}", file=sys.stderr)
        return 2
    print(summary)
    return 0
