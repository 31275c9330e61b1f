"""The ``edubridge`` command: node commands (serve, demo, worker, data-classes, Django's own) and
engine commands that need no database (exchange match, kt evaluate, privacy anonymize, localize).

Configuration problems end with one sentence and exit status 2, never a traceback.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys

# Engine commands: (words) -> module with main(argv) -> int. They run without Django.
ENGINE_COMMANDS: dict[tuple[str, ...], tuple[str, str]] = {
    ("exchange", "match"): (
        "edubridge.engines.matching.cli",
        "match applicants to exchange places",
    ),
    ("kt", "evaluate"): ("edubridge.engines.adaptive.cli", "evaluate learner models on a split"),
    ("privacy", "anonymize"): ("edubridge.engines.privacy.cli", "k-anonymize a CSV file"),
    ("localize",): ("edubridge.engines.localize.cli", "draft a localized version of items"),
    ("xapi", "validate"): ("edubridge.engines.xapi.cli", "validate xAPI statements offline"),
    ("credentials",): ("edubridge.engines.credentials.cli", "verify Open Badges 3.0 credentials"),
    ("releases",): ("edubridge.engines.releases.cli", "verify joint releases against a registry"),
}

NODE_COMMANDS = {
    "serve": "migrate, start the task worker and serve the node over HTTP",
    "demo": "load the demo network (idempotent) and print the demo logins",
    "worker": "run the background task worker",
    "data-classes": "print every stored field with its data class (--format json|markdown)",
}

ALIASES = {"data-classes": "data_classes"}


def _available(module_name: str) -> bool:
    try:
        return importlib.util.find_spec(module_name) is not None
    except ModuleNotFoundError:  # the engine's package itself is absent from this build
        return False


def _usage() -> str:
    lines = [
        "usage: edubridge COMMAND [options]   (edubridge COMMAND --help for each)",
        "",
        "Node commands:",
    ]
    lines += [f"  {name:<20} {text}" for name, text in NODE_COMMANDS.items()]
    lines += ["", "Engine commands (no database needed):"]
    lines += [
        f"  {' '.join(words):<20} {text}"
        for words, (_, text) in ENGINE_COMMANDS.items()
        if _available(ENGINE_COMMANDS[words][0])
    ]
    lines += [
        "",
        "Every Django management command works too, e.g. edubridge migrate, edubridge createsuperuser.",
    ]
    return "\n".join(lines)


def _engine_command(argv: list[str]) -> int | None:
    for words, (module_name, _) in ENGINE_COMMANDS.items():
        if tuple(argv[: len(words)]) == words:
            if not _available(module_name):
                print(
                    f"edubridge: '{' '.join(words)}' is not available in this build.",
                    file=sys.stderr,
                )
                return 2
            module = importlib.import_module(module_name)
            return int(module.main(argv[len(words) :]))
    return None


def _fail(message: str) -> int:
    print(f"edubridge: {message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(_usage())
        return 0
    engine_status = _engine_command(argv)
    if engine_status is not None:
        return engine_status

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edubridge.core.settings")
    from edubridge.core.config import ConfigurationError

    try:
        import django

        django.setup()
    except ConfigurationError as exc:
        return _fail(str(exc))

    from django.core.management import execute_from_command_line
    from django.db import Error as DatabaseError

    from edubridge.core.preflight import PreflightError

    command = ALIASES.get(argv[0], argv[0])
    try:
        execute_from_command_line(["edubridge", command, *argv[1:]])
    except (PreflightError, ConfigurationError) as exc:
        return _fail(str(exc))
    except DatabaseError as exc:
        first_line = (str(exc).strip().splitlines() or [exc.__class__.__name__])[0]
        return _fail(
            f"the database refused the command ({first_line}); check DATABASE_URL and that "
            "the database is running and migrated (edubridge migrate)."
        )
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
