"""``edubridge xapi validate FILE``: check statements offline, as the record store would."""

from __future__ import annotations

import argparse
import json
import sys

from edubridge.engines.xapi.errors import XapiError
from edubridge.engines.xapi.validate import validate_statement


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="edubridge xapi validate",
        description="Validate xAPI statements (one object or an array) from a JSON file or '-'.",
    )
    parser.add_argument(
        "file", help="JSON file with a statement or an array of statements; - for stdin"
    )
    parser.add_argument("--xapi-version", default="2.0.0", choices=["1.0.3", "2.0.0"])
    args = parser.parse_args(argv)
    try:
        if args.file == "-":
            data = json.load(sys.stdin)
        else:
            with open(args.file, encoding="utf-8") as handle:
                data = json.load(handle)
    except OSError as exc:
        print(f"cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"{args.file} is not valid JSON: {exc}", file=sys.stderr)
        return 2
    statements = data if isinstance(data, list) else [data]
    try:
        for index, statement in enumerate(statements):
            path = f"$[{index}]" if isinstance(data, list) else "$"
            validate_statement(statement, version=args.xapi_version, path=path)
    except XapiError as exc:
        print(f"invalid statement: {exc.path}: {exc.message}", file=sys.stderr)
        return 2
    print(f"{len(statements)} statement(s) valid for xAPI {args.xapi_version}")
    return 0
