"""``edubridge kt evaluate``: fit the learner models on TRAIN, score them on TEST.

Exit status 0 on success, 2 on bad input after one clear line on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from edubridge.engines.adaptive.data import KTFormatError, read_three_line
from edubridge.engines.adaptive.evaluate import CANDIDATES, ModelResult, evaluate_all


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit status 2 (no usage dump)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise KTFormatError(f"{self.prog}: {message}")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="edubridge kt evaluate",
        description=(
            "Fit the learner models on TRAIN and predict each TEST answer from that learner's "
            "earlier answers only. Files: three lines per learner (count; skill ids; outcomes)."
        ),
    )
    parser.add_argument("--train", required=True, help="training file (three-line format)")
    parser.add_argument("--test", required=True, help="test file (three-line format)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--cards",
        action="store_true",
        help="with --json, add each model's card (intended use, data, metrics by group, limits)",
    )
    parser.add_argument(
        "--models",
        default=",".join(CANDIDATES),
        help=f"comma-separated subset of: {', '.join(CANDIDATES)} (default: all)",
    )
    return parser


def _table(results: list[ModelResult]) -> str:
    header = (
        f"{'model':<12} {'AUC':>7} {'RMSE':>7} {'logloss':>8} {'acc':>7} {'fit s':>8} {'pred s':>8}"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        lines.append(
            f"{r.name:<12} {r.auc:7.4f} {r.rmse:7.4f} {r.log_loss:8.4f} {r.accuracy:7.4f} "
            f"{r.fit_seconds:8.2f} {r.predict_seconds:8.2f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args_in: Sequence[str] = sys.argv[1:] if argv is None else argv
    if any(a in ("-h", "--help") for a in args_in):
        _parser().print_help()
        return 0
    try:
        args = _parser().parse_args(list(args_in))
        names = [n.strip() for n in args.models.split(",") if n.strip()]
        unknown = [n for n in names if n not in CANDIDATES]
        if unknown or not names:
            raise KTFormatError(
                f"unknown model(s) {', '.join(unknown) or '(none given)'}; "
                f"choose from {', '.join(CANDIDATES)}"
            )
        train = read_three_line(args.train)
        test = read_three_line(args.test)
    except KTFormatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    show = sys.stderr.isatty() or train.n_responses > 100_000

    def progress(name: str) -> None:
        if show:
            print(f"fitting and scoring {name} ...", file=sys.stderr, flush=True)

    results = evaluate_all(train, test, names, progress)
    if args.json:
        print(
            json.dumps(
                {
                    "train_responses": train.n_responses,
                    "test_responses": test.n_responses,
                    "models": [
                        {**r.as_dict(), **({"card": r.card} if args.cards else {})} for r in results
                    ],
                }
            )
        )
    else:
        print(_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
