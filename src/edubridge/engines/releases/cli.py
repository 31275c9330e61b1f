"""`edubridge releases verify RELEASE.json --registry REGISTRY.json [--json]`.

Exit 0 when the release carries valid signatures of at least its threshold of distinct, unrevoked,
designated members of the registry; 1 with the reason otherwise; 2 when an input is unreadable.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from .documents import DocumentError, parse_registry, parse_release
from .verify import verify_registry, verify_release


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="edubridge releases", description="Verify joint releases offline.")
    commands = parser.add_subparsers(dest="command", required=True)
    verify = commands.add_parser("verify", help="verify a release against a member registry")
    verify.add_argument("release", type=Path, help="RELEASE.json downloaded from a node")
    verify.add_argument("--registry", type=Path, required=True, help="REGISTRY.json")
    verify.add_argument(
        "--issuer-key",
        default=None,
        help="pin the registry issuer's Ed25519 public key (base64url); otherwise it is reported",
    )
    verify.add_argument("--json", action="store_true", help="print the verdict as JSON")
    return parser


def _load(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DocumentError(f"{path}: not JSON ({exc})") from exc


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except _UsageError as exc:
        print(f"edubridge releases: {exc}", file=sys.stderr)
        return 2
    try:
        release = parse_release(_load(args.release))
    except DocumentError as exc:
        print(f"edubridge releases: {args.release}: {exc}", file=sys.stderr)
        return 2
    try:
        registry = parse_registry(_load(args.registry))
    except DocumentError as exc:
        print(f"edubridge releases: {args.registry}: {exc}", file=sys.stderr)
        return 2
    registry_problem = verify_registry(registry, args.issuer_key)
    verdict = verify_release(release, registry)
    reasons = ([registry_problem] if registry_problem else []) + list(verdict.reasons)
    valid = not reasons
    if args.json:
        out = verdict.as_dict()
        out.update(
            valid=valid,
            reasons=reasons,
            release=release.body["id"],
            registry_issuer_key=registry.issuer_public_key,
        )
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        title = release.body["title"]
        if valid:
            print(
                f"valid: {title!r} v{release.body['version']} signed by "
                f"{len(verdict.counted_members)} of {verdict.designated} designated members "
                f"(threshold {verdict.threshold}); registry issuer key "
                f"{registry.issuer_public_key}"
            )
        else:
            print(f"invalid: {title!r}: " + "; ".join(reasons))
        for s in verdict.signatures:
            if not s.counted:
                print(f"  not counted: {s.reason}")
    return 0 if valid else 1


if __name__ == "__main__":
    sys.exit(main())
