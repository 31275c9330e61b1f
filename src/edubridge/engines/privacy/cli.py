"""``edubridge privacy anonymize``: least-loss k-anonymity / l-diversity for a CSV file.

Exit 0 after writing the release; exit 2 with one line on stderr, and nothing written, on bad
input (unknown column, missing or non-covering hierarchy, impossible k, unreadable file, ...).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from .anonymize import AnonymizationResult, anonymize_table
from .errors import PrivacyInputError
from .hierarchy import Hierarchy, load_hierarchy
from .lattice import PrivacyModel


class _UsageError(Exception):
    """argparse wants to exit; turn that into our one-line exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="edubridge privacy anonymize",
        description="Generalize quasi-identifiers to the least-loss k-anonymous (and l-diverse) "
        "release, searching the whole generalization lattice.",
    )
    parser.add_argument("--input", required=True, type=Path, help="CSV file with a header row")
    parser.add_argument(
        "--sep", default=",", help="field separator of the input and output ('\\t' for tab)"
    )
    parser.add_argument("--quasi", required=True, help="quasi-identifier columns, comma-separated")
    parser.add_argument("--sensitive", help="sensitive column (needed for --l / --entropy-l)")
    parser.add_argument(
        "--person",
        help="column naming whose row it is; k then counts distinct persons per class, not rows",
    )
    parser.add_argument(
        "--hierarchies",
        required=True,
        type=Path,
        help="folder with one *_hierarchy_<column>.csv per quasi-identifier",
    )
    parser.add_argument("--hierarchy-sep", default=";", help="separator of hierarchy files")
    parser.add_argument("--k", required=True, type=int)
    parser.add_argument("--l", type=int, help="distinct l-diversity of the sensitive column")
    parser.add_argument("--entropy-l", type=float, help="entropy l-diversity")
    parser.add_argument(
        "--suppression",
        default="0",
        help="share of rows that may be suppressed: a fraction (0.02) or a percentage (2%%)",
    )
    parser.add_argument("--objective", choices=["ncp", "height"], default="ncp")
    parser.add_argument("--out", required=True, type=Path, help="where to write the release")
    return parser


def _suppression(text: str) -> float:
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise PrivacyInputError(f"--suppression {text!r} is not a number") from None
    return value


def _read_table(path: Path, sep: str) -> tuple[list[str], list[list[str]]]:
    if len(sep) != 1:
        raise PrivacyInputError(f"--sep must be one character, got {sep!r}")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            records = list(csv.reader(handle, delimiter=sep))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise PrivacyInputError(f"cannot read {path}: {exc}") from exc
    records = [r for r in records if r]
    if not records:
        raise PrivacyInputError(f"{path} is empty")
    return records[0], records[1:]


def _find_hierarchies(folder: Path, columns: list[str], sep: str) -> dict[str, Hierarchy]:
    if not folder.is_dir():
        raise PrivacyInputError(f"hierarchy folder {folder} does not exist")
    found: dict[str, Hierarchy] = {}
    for column in columns:
        matches = sorted(folder.glob(f"*_hierarchy_{column}.csv"))
        if not matches:
            raise PrivacyInputError(
                f"no hierarchy file *_hierarchy_{column}.csv for column {column!r} in {folder}"
            )
        if len(matches) > 1:
            names = ", ".join(m.name for m in matches)
            raise PrivacyInputError(f"several hierarchy files for column {column!r}: {names}")
        found[column] = load_hierarchy(column, matches[0], sep=sep)
    return found


def _write_atomically(path: Path, result: AnonymizationResult, sep: str) -> None:
    """Write beside the target and rename, so a failure never leaves a half-written release."""
    folder = path.resolve().parent
    if not folder.is_dir():
        raise PrivacyInputError(f"output folder {folder} does not exist")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, delimiter=sep, lineterminator="\n")
            writer.writerow(result.header)
            writer.writerows(result.rows)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _progress() -> Callable[[int, int], None] | None:
    if not sys.stderr.isatty():
        return None

    def report(checked: int, total: int) -> None:
        if checked % 25 == 0:
            print(f"\rchecked {checked} of {total} lattice nodes", end="", file=sys.stderr)

    return report


def _summary(result: AnonymizationResult, out: Path) -> list[str]:
    loss = result.loss
    levels = " ".join(f"{c}={lv}/{result.max_levels[c]}" for c, lv in result.generalization.items())
    return [
        f"generalization: {levels}",
        f"loss: ncp={loss.ncp:.4f} height={loss.generalization_height}/{loss.max_height} "
        f"discernibility={loss.discernibility} classes={loss.equivalence_classes} "
        f"average class size={loss.average_class_size:.1f} "
        f"(normalized {loss.normalized_average_class_size:.2f})",
        f"suppressed: {loss.suppressed_rows} of {result.input_rows} rows",
        *(
            [
                f"k counted over distinct persons ({result.person}): smallest class "
                f"{loss.smallest_class} persons, {loss.persons_released} of {loss.persons} "
                "persons released"
            ]
            if result.person is not None
            else []
        ),
        f"lattice: {result.lattice_size} nodes, {result.nodes_checked} checked, "
        f"{result.nodes_tagged} decided by monotonicity",
        f"wrote {len(result.rows)} rows to {out}",
    ]


def main(argv: list[str] | None = None) -> int:
    """Run the command; 0 on success, 2 on bad input (one line on stderr, nothing written)."""
    try:
        args = _parser().parse_args(argv)
        quasi = [c.strip() for c in str(args.quasi).split(",") if c.strip()]
        model = PrivacyModel(
            k=args.k,
            l=args.l,
            entropy_l=args.entropy_l,
            suppression_limit=_suppression(args.suppression),
            objective=args.objective,
        )
        sep = "\t" if args.sep in {"\\t", "tab"} else args.sep
        if args.out.resolve() == args.input.resolve():
            raise PrivacyInputError("--out must not be the --input file")
        header, rows = _read_table(args.input, sep)
        named = [
            *quasi,
            *([args.sensitive] if args.sensitive else []),
            *([args.person] if args.person else []),
        ]
        unknown = [c for c in named if c not in header]
        if unknown:
            raise PrivacyInputError(
                f"unknown column {unknown[0]!r}; {args.input} has: {', '.join(header)}"
            )
        hierarchies = _find_hierarchies(args.hierarchies, quasi, args.hierarchy_sep)
        result = anonymize_table(
            header,
            rows,
            quasi_identifiers=quasi,
            sensitive=args.sensitive,
            hierarchies=hierarchies,
            model=model,
            progress=_progress(),
            person=args.person,
        )
        _write_atomically(args.out, result, sep)
    except (_UsageError, PrivacyInputError) as exc:
        print(f"edubridge privacy anonymize: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"edubridge privacy anonymize: error: {exc}", file=sys.stderr)
        return 2
    if sys.stderr.isatty():
        print(file=sys.stderr)
    for line in _summary(result, args.out):
        print(line)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
