"""Every stored field declares a data class and a purpose."""

from __future__ import annotations

import json
import subprocess
import sys

from django.apps import apps

from edubridge.core.data_classes import DataClass, registry, registry_problems


def test_every_field_of_every_installed_model_is_classified() -> None:
    assert registry_problems() == []


def test_registry_covers_every_concrete_field() -> None:
    expected = {
        (f"{m._meta.app_label}.{m.__name__}", f.name)
        for m in apps.get_models(include_auto_created=True)
        for f in m._meta.get_fields()
        if getattr(f, "concrete", False)
    }
    assert {(row.model, row.field) for row in registry()} == expected


def test_secrets_are_classified_secret() -> None:
    by_field = {(r.model, r.field): r.data_class for r in registry()}
    assert by_field[("accounts.User", "password")] == DataClass.SECRET
    assert by_field[("accounts.ApiKey", "hashed_secret")] == DataClass.SECRET


def test_every_row_names_a_known_class_and_a_purpose() -> None:
    known = {c.value for c in DataClass}
    for row in registry():
        assert row.data_class in known
        assert row.purpose.strip()


def test_command_prints_the_registry_as_json_and_markdown() -> None:
    as_json = subprocess.run(
        [sys.executable, "-m", "edubridge.cli", "data-classes", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = json.loads(as_json.stdout)
    assert {"model", "field", "column", "data_class", "purpose"} <= set(rows[0])
    assert len(rows) == len(registry())
    as_md = subprocess.run(
        [sys.executable, "-m", "edubridge.cli", "data-classes", "--format", "markdown"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "| accounts.User | password | password | secret |" in as_md.stdout
