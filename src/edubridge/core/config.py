"""Read the node's configuration from the environment, failing with one clear sentence.

Settings import this module; so does the command line before Django starts, so that a wrong
``DATABASE_URL`` or an unreachable Redis is reported plainly instead of as a traceback.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import dj_database_url


class ConfigurationError(Exception):
    """A setting is missing or wrong; the message is one sentence saying what to do."""


SUPPORTED_DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql", "pgsql")


def project_root() -> Path:
    """The folder holding pyproject.toml when run from a checkout, else the working directory."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists():
            return parent
    return Path.cwd()


def data_dir() -> Path:
    """The one folder that holds everything the node writes (database, keys, task queue)."""
    raw = os.environ.get("EDUBRIDGE_DATA_DIR")
    path = Path(raw) if raw else project_root() / "var"
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(folder: Path) -> str:
    """Use SECRET_KEY from the environment, else one generated once and kept in the data folder."""
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    key_file = folder / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def database_settings(folder: Path) -> dict[str, Any]:
    """Parse DATABASE_URL (default: SQLite in the data folder) into Django's DATABASES entry."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(folder / "edubridge.sqlite3"),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            "TEST": {"NAME": None},
            # Keep connections between requests, as DATABASE_URL does: opening one per request
            # cost about a quarter of the CPU of a practice answer (bench/adaptive/load).
            "CONN_MAX_AGE": 60,
        }
    scheme = urlparse(url).scheme.lower()
    if scheme not in SUPPORTED_DATABASE_SCHEMES:
        raise ConfigurationError(
            f"DATABASE_URL uses the scheme '{scheme or '(none)'}', which EduBridge does not support; "
            "use sqlite:///path/to/file.sqlite3 or postgres://user@host:5432/dbname."
        )
    try:
        parsed: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    except Exception as exc:  # dj_database_url raises several types for malformed URLs
        raise ConfigurationError(
            f"DATABASE_URL could not be read ({exc}); "
            "use sqlite:///path/to/file.sqlite3 or postgres://user@host:5432/dbname."
        ) from exc
    if parsed["ENGINE"].endswith("postgresql") and not parsed.get("NAME"):
        raise ConfigurationError(
            "DATABASE_URL names no database; add one, for example postgres://user@host:5432/edubridge."
        )
    if parsed["ENGINE"].endswith("sqlite3"):
        parsed["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return parsed


@dataclass(frozen=True)
class TaskStorage:
    """Where queued background work is kept: a SQLite file by default, Redis at scale."""

    kind: str  # "sqlite" or "redis"
    location: str

    def huey_settings(self, name: str) -> dict[str, Any]:
        if self.kind == "redis":
            return {
                "huey_class": "huey.RedisHuey",
                "name": name,
                "url": self.location,
                "immediate": False,
                "utc": True,
            }
        return {
            "huey_class": "huey.SqliteHuey",
            "name": name,
            "filename": self.location,
            "immediate": False,
            "utc": True,
        }


def task_storage(folder: Path) -> TaskStorage:
    """REDIS_URL selects Redis; otherwise the embedded queue is a SQLite file in the data folder."""
    url = os.environ.get("REDIS_URL", "").strip()
    if not url:
        return TaskStorage("sqlite", str(folder / "tasks.sqlite3"))
    if urlparse(url).scheme not in ("redis", "rediss", "unix"):
        raise ConfigurationError(
            f"REDIS_URL '{url}' is not a Redis address; use redis://127.0.0.1:6379/0 or leave it unset "
            "to keep the task queue in the data folder."
        )
    return TaskStorage("redis", url)


def env_flag(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in ("1", "true", "yes", "on")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if not raw:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]
