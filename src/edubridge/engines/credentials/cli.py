"""`edubridge credentials verify FILE.json [--json]` and `edubridge credentials issue ...`.

verify: exit 0 with a report when the credential verifies, 1 with the reason when it does not,
2 (one line on stderr) when the input cannot be read. issue: sign a claim file with a PEM key.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from .achievement import AchievementClaim, Competency, StatusEntry
from .contexts import LocalContextLoader, default_context_dir
from .issue import IssuerKey, issue_achievement
from .verify import VerificationReport, parse_datetime, verify_credential


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _parser() -> _Parser:
    parser = _Parser(prog="edubridge credentials", description="Open Badges 3.0 credentials")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    verify = commands.add_parser("verify", help="verify a credential (JSON file or - for stdin)")
    verify.add_argument("file")
    verify.add_argument("--json", action="store_true", help="print the report as JSON")
    verify.add_argument("--contexts", help="folder of local JSON-LD context copies")
    verify.add_argument(
        "--status-list",
        action="append",
        default=[],
        metavar="FILE",
        help="a BitstringStatusListCredential to check revocation against (repeatable)",
    )
    verify.add_argument(
        "--trust", action="append", default=[], metavar="DID", help="a known issuer"
    )
    verify.add_argument("--require-trusted", action="store_true", help="fail for unknown issuers")
    verify.add_argument(
        "--require-status", action="store_true", help="fail when revocation is unchecked"
    )
    verify.add_argument(
        "--did-document",
        action="append",
        default=[],
        metavar="FILE",
        help="a did:web issuer's DID document (did.json) held locally (repeatable); "
        "the network is never used",
    )
    verify.add_argument("--at", help="verify as of this date-time (default: now)")
    issue = commands.add_parser("issue", help="sign an achievement claim with an Ed25519 PEM key")
    issue.add_argument("claim", help="JSON object with the AchievementClaim fields")
    issue.add_argument("--key", required=True, help="PKCS#8 PEM Ed25519 private key")
    issue.add_argument("--contexts", help="folder of local JSON-LD context copies")
    issue.add_argument("--created", help="proof date-time (default: now)")
    return parser


def _read_json(name: str) -> Any:
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise _UsageError(f"cannot read {name}: {error}") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise _UsageError(f"{name} is not JSON: {error.msg} at line {error.lineno}") from error


def _loader(folder: str | None) -> LocalContextLoader:
    try:
        return LocalContextLoader(Path(folder) if folder else default_context_dir())
    except (OSError, ValueError) as error:
        raise _UsageError(f"cannot load the local contexts: {error}") from error


def _now_text() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _print_report(report: VerificationReport) -> None:
    summary = report.summary
    print("VALID" if report.valid else f"NOT VALID: {report.reason}")
    for label, key in (
        ("credential", "id"),
        ("issuer", "issuer_name"),
        ("issuer id", "issuer_id"),
        ("recipient", "subject_name"),
        ("achievement", "achievement"),
        ("valid from", "valid_from"),
        ("valid until", "valid_until"),
    ):
        if summary.get(key):
            print(f"  {label}: {summary[key]}")
    for competency in summary.get("competencies", []):
        print(f"  competency: {competency}")
    for check in report.checks:
        mark = {True: "ok", False: "FAIL", None: "--"}[check.ok]
        print(f"  [{mark}] {check.name}: {check.detail}")


def _verify(args: argparse.Namespace) -> int:
    credential = _read_json(args.file)
    if not isinstance(credential, dict):
        raise _UsageError(f"{args.file} does not hold a JSON object")
    lists: dict[str, Mapping[str, Any]] = {}
    for name in args.status_list:
        document = _read_json(name)
        if not isinstance(document, dict) or not isinstance(document.get("id"), str):
            raise _UsageError(f"{name} is not a status list credential with an id")
        lists[document["id"]] = document
    documents: dict[str, Mapping[str, Any]] = {}
    for name in args.did_document:
        document = _read_json(name)
        if not isinstance(document, dict) or not isinstance(document.get("id"), str):
            raise _UsageError(f"{name} is not a DID document with an id")
        documents[document["id"]] = document
    try:
        now = parse_datetime(args.at) if args.at else datetime.now(UTC)
    except ValueError as error:
        raise _UsageError(f"--at: {error}") from error
    report = verify_credential(
        credential,
        loader=_loader(args.contexts),
        now=now,
        trusted_issuers=dict.fromkeys(args.trust, "trusted on the command line"),
        require_trusted_issuer=args.require_trusted,
        status_lists=lists.get,
        require_status=args.require_status,
        did_resolver=documents.get,
    )
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        _print_report(report)
    return 0 if report.valid else 1


def _issue(args: argparse.Namespace) -> int:
    raw = _read_json(args.claim)
    try:
        pem = Path(args.key).read_bytes()
        key = serialization.load_pem_private_key(pem, password=None)
    except (OSError, ValueError, TypeError) as error:
        raise _UsageError(f"cannot read the key {args.key}: {error}") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise _UsageError(f"{args.key} is not an Ed25519 private key")
    public = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    issuer = IssuerKey(public_key=public, sign=key.sign)
    if not isinstance(raw, dict):
        raise _UsageError(f"{args.claim} does not hold a JSON object")
    fields = dict(raw)
    fields.setdefault("issuer_id", issuer.did)
    try:
        fields["competencies"] = tuple(
            Competency(**item) for item in fields.get("competencies", [])
        )
        status = fields.get("status")
        fields["status"] = StatusEntry(**status) if isinstance(status, dict) else None
        claim = AchievementClaim(**fields)
    except TypeError as error:
        raise _UsageError(f"{args.claim}: {error}") from error
    try:
        credential = issue_achievement(
            claim, key=issuer, created=args.created or _now_text(), loader=_loader(args.contexts)
        )
    except (ValueError, LookupError) as error:
        raise _UsageError(str(error)) from error
    print(json.dumps(credential, indent=2, ensure_ascii=False))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(list(argv) if argv is not None else None)
        if args.command == "verify":
            return _verify(args)
        return _issue(args)
    except _UsageError as error:
        print(f"edubridge credentials: {error}", file=sys.stderr)
        return 2
