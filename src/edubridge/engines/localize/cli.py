"""`edubridge localize SOURCE --to LOCALE [--grade N] [--format json]` (a stable contract)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from typing import Any

from .adapt import Localizer, Options
from .items import InputError, read_source
from .model import LocalizeResult
from .pack import PackError, available_locales
from .translate import ChatProvider, make_segments, translate_result
from .xliff import export_xliff

PROGRESS_THRESHOLD = 200


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, exit 2, no usage dump
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="edubridge localize",
        description="Draft a deep localization of items for another country; every change "
        "is listed with its reason for a person to review.",
    )
    p.add_argument("source", help="JSON item, JSON array/bank of items, or QTI 3 item XML")
    p.add_argument("--to", required=True, dest="target", help="target locale, e.g. id-ID")
    p.add_argument("--grade", type=int, default=None, help="target school grade")
    p.add_argument("--format", choices=["json"], default="json", help="output format")
    p.add_argument("--seed", type=int, default=0, help="seed for name choice (reproducible)")
    p.add_argument(
        "--crosswalk",
        default=None,
        help="JSON file: {source CFItem id: [{item, type, framework, code}]}",
    )
    p.add_argument("--target-framework", default=None, help="target CASE framework identifier")
    p.add_argument(
        "--chat-url",
        default=None,
        help="OpenAI-compatible endpoint base URL (e.g. http://127.0.0.1:8000/v1) to translate",
    )
    p.add_argument("--chat-model", default=None, help="model name for --chat-url")
    p.add_argument("--xliff-out", default=None, help="also write an XLIFF 2.1 file for translators")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; 0 on success, 2 with one line on stderr for bad input."""
    parser = _parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        if args.target not in available_locales():
            raise PackError(
                f"unknown locale {args.target!r}; packs exist for: {', '.join(available_locales())}"
            )
        crosswalk = _read_crosswalk(args.crosswalk) if args.crosswalk else None
        items = read_source(args.source)
        options = Options(
            target=args.target,
            grade=args.grade,
            seed=args.seed,
            now=dt.datetime.now(dt.UTC).replace(microsecond=0),
            crosswalk=crosswalk,
            target_framework=args.target_framework,
        )
        if bool(args.chat_url) != bool(args.chat_model):
            raise InputError("--chat-url and --chat-model go together")
        localizer = Localizer(options)
        result = _run(localizer, items)
        if args.chat_url:
            provider = ChatProvider(url=args.chat_url, model=args.chat_model)
            result = translate_result(result, provider, localizer.pack)
        if args.xliff_out:
            _write_xliff(args.xliff_out, result, localizer.pack.language)
    except (InputError, PackError) as exc:
        sys.stderr.write(f"edubridge localize: error: {exc}\n")
        return 2
    try:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # reader closed early (e.g. `| head`): not an error of ours
        sys.stderr.close()
    return 0


def _run(localizer: Localizer, items: list[dict[str, Any]]) -> LocalizeResult:
    show = sys.stderr.isatty() or len(items) >= PROGRESS_THRESHOLD
    out = LocalizeResult([], [], [])
    for i, item in enumerate(items, 1):
        res = localizer.localize_item(item)
        out.items.append(res.item)
        out.changes.extend(res.changes)
        out.warnings.extend(res.warnings)
        if show and (i % 50 == 0 or i == len(items)):
            sys.stderr.write(f"\rlocalized {i}/{len(items)} items")
            if i == len(items):
                sys.stderr.write("\n")
    return out


def _write_xliff(path: str, result: LocalizeResult, target_lang: str) -> None:
    segments = []
    source_lang = "und"
    for item in result.items:
        if item.get("metadata", {}).get("localize", {}).get("translation") != "pending":
            continue
        source_lang = str(item["language"]).split("-")[0]
        protected = [
            c.to
            for c in result.changes
            if c.item == item["id"] and c.kind in ("name", "price", "festival", "place")
        ]
        segments.extend(make_segments(item, protected))
    try:
        with open(path, "wb") as fh:
            fh.write(export_xliff(segments, source_lang, target_lang))
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _read_crosswalk(path: str) -> dict[str, list[dict[str, str]]]:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read crosswalk {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError(f"crosswalk {path}: expected an object of source id -> associations")
    return {str(k): [dict(a) for a in v] for k, v in data.items()}


if __name__ == "__main__":
    sys.exit(main())
