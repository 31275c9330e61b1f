"""Every stored field declares a data class and a purpose, next to the field.

Exports, federation and the governance pages read this registry, so an unclassified field is a
defect: ``registry_problems()`` lists them and a test fails on any. Fields of our own models are
wrapped with :func:`classified`; fields of third-party apps are classified in
``THIRD_PARTY`` below, the one place for what we do not own.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

from django.apps import apps
from django.db import models


class DataClass(enum.StrEnum):
    """How sensitive a stored value is; ordered from least to most protected."""

    PUBLIC = "public"  # may be published to anyone, e.g. catalogue metadata
    INTERNAL = "internal"  # operational data of the node, not about a person
    PERSONAL = "personal"  # identifies or relates to an adult person
    SENSITIVE = "sensitive"  # special-category personal data (health, religion, learning needs)
    MINOR_SENSITIVE = "minor-sensitive"  # any personal data about a child (PIPL: under 14)
    SECRET = "secret"  # noqa: S105  (a class name)  credentials and keys; never exported

    @property
    def rank(self) -> int:
        return list(DataClass).index(self)


F = TypeVar("F", bound=models.Field[Any, Any])


def classified(field: F, data_class: DataClass, purpose: str) -> F:
    """Attach a data class and the purpose the value is kept for to a model field."""
    if not purpose.strip():
        raise ValueError("a classified field needs a purpose")
    field.data_class = data_class  # type: ignore[attr-defined]
    field.data_purpose = purpose  # type: ignore[attr-defined]
    return field


# Third-party models we install but do not own. Keys are "app_label.ModelName".
_I, _P, _S = DataClass.INTERNAL, DataClass.PERSONAL, DataClass.SECRET
THIRD_PARTY: dict[str, dict[str, tuple[DataClass, str]]] = {
    "auth.Permission": {
        "id": (_I, "row identity"),
        "name": (_I, "permission label shown to administrators"),
        "content_type": (_I, "which model the permission guards"),
        "codename": (_I, "permission code checked by the node"),
    },
    "auth.Group": {
        "id": (_I, "row identity"),
        "name": (_I, "role group name"),
        "permissions": (_I, "permissions granted to the group"),
    },
    "contenttypes.ContentType": {
        "id": (_I, "row identity"),
        "app_label": (_I, "model registry"),
        "model": (_I, "model registry"),
    },
    "sessions.Session": {
        "session_key": (_S, "keeps a person signed in; a bearer secret"),
        "session_data": (_P, "signed-in user id and language choice"),
        "expire_date": (_I, "when the session ends"),
    },
    "admin.LogEntry": {
        "id": (_I, "row identity"),
        "action_time": (_P, "when an administrator changed a record"),
        "user": (_P, "which administrator changed a record"),
        "content_type": (_I, "kind of record changed"),
        "object_id": (_I, "which record changed"),
        "object_repr": (_P, "label of the changed record, may name a person"),
        "action_flag": (_I, "added, changed or deleted"),
        "change_message": (_P, "what the administrator changed"),
    },
    "axes.AccessAttempt": {
        "id": (_I, "row identity"),
        "user_agent": (_P, "login throttling: browser of failed attempts"),
        "ip_address": (_P, "login throttling: address of failed attempts"),
        "username": (_P, "login throttling: account tried"),
        "http_accept": (_I, "login throttling diagnostics"),
        "path_info": (_I, "login throttling diagnostics"),
        "attempt_time": (_P, "login throttling: when"),
        "get_data": (_P, "login throttling diagnostics"),
        "post_data": (_P, "login throttling diagnostics, passwords removed by axes"),
        "failures_since_start": (_I, "login throttling counter"),
    },
    "axes.AccessAttemptExpiration": {
        "access_attempt": (_P, "login throttling: which attempt record expires"),
        "expires_at": (_I, "login throttling: when the lockout ends"),
    },
    "axes.AccessLog": {
        "id": (_I, "row identity"),
        "user_agent": (_P, "security log: browser used to sign in"),
        "ip_address": (_P, "security log: address used to sign in"),
        "username": (_P, "security log: account"),
        "http_accept": (_I, "security log diagnostics"),
        "path_info": (_I, "security log diagnostics"),
        "attempt_time": (_P, "security log: when signed in"),
        "logout_time": (_P, "security log: when signed out"),
        "session_hash": (_S, "security log: hash of the session key"),
    },
    "axes.AccessFailureLog": {
        "id": (_I, "row identity"),
        "user_agent": (_P, "security log: browser of a failed sign-in"),
        "ip_address": (_P, "security log: address of a failed sign-in"),
        "username": (_P, "security log: account tried"),
        "http_accept": (_I, "security log diagnostics"),
        "path_info": (_I, "security log diagnostics"),
        "attempt_time": (_P, "security log: when"),
        "locked_out": (_I, "whether the attempt caused a lockout"),
    },
}


@dataclass(frozen=True)
class FieldClassification:
    """One row of the registry: where a value is stored, how sensitive it is, and why it is kept."""

    model: str
    table: str
    field: str
    column: str | None
    data_class: str
    purpose: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _concrete_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.get_fields() if getattr(f, "concrete", False)]  # type: ignore[misc]


def _model_label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def _declared(
    model: type[models.Model], field: models.Field[Any, Any]
) -> tuple[DataClass, str] | None:
    data_class = getattr(field, "data_class", None)
    if data_class is not None:
        return data_class, field.data_purpose  # type: ignore[attr-defined]
    return THIRD_PARTY.get(_model_label(model), {}).get(field.name)


def _is_auto_primary_key(field: models.Field[Any, Any]) -> bool:
    return bool(field.primary_key) and isinstance(field, models.AutoField)


def registry() -> list[FieldClassification]:
    """Every concrete field of every installed model with its data class (unclassified omitted)."""
    rows: list[FieldClassification] = []
    for model in apps.get_models(include_auto_created=True):
        for field in _concrete_fields(model):
            declared = _declared(model, field)
            if declared is None and _is_auto_primary_key(field):
                declared = (DataClass.INTERNAL, "row identity")
            if declared is None and model._meta.auto_created and field.is_relation:
                declared = _through_classification(model, field)
            if declared is None:
                continue
            rows.append(
                FieldClassification(
                    model=_model_label(model),
                    table=model._meta.db_table,
                    field=field.name,
                    column=field.column,
                    data_class=str(declared[0]),
                    purpose=declared[1],
                )
            )
    return rows


def _through_classification(
    model: type[models.Model], field: models.Field[Any, Any]
) -> tuple[DataClass, str] | None:
    """An automatic many-to-many table inherits the class of the field that created it."""
    owner = model._meta.auto_created
    if not isinstance(owner, type):
        return None
    for m2m in owner._meta.many_to_many:
        if m2m.remote_field.through is model:
            declared = _declared(owner, m2m)
            if declared is not None:
                return declared
    return None


def registry_problems() -> list[str]:
    """Fields of installed models that declare no data class: each one is a defect."""
    problems: list[str] = []
    for model in apps.get_models(include_auto_created=True):
        for field in _concrete_fields(model):
            if _declared(model, field) is not None or _is_auto_primary_key(field):
                continue
            if (
                model._meta.auto_created
                and field.is_relation
                and _through_classification(model, field)
            ):
                continue
            problems.append(f"{_model_label(model)}.{field.name} has no data class")
    return problems


def registry_markdown(rows: list[FieldClassification]) -> str:
    """The registry as a Markdown table, one section per model, for people to review."""
    lines = [
        "# Data classes",
        "",
        "| model | field | column | data class | purpose |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in sorted(rows, key=lambda r: (r.model, r.field)):
        lines.append(
            f"| {row.model} | {row.field} | {row.column or ''} | {row.data_class} | {row.purpose} |"
        )
    return "\n".join(lines) + "\n"
