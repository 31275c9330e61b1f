"""Background work of the governance app: building an export runs in the worker."""

from __future__ import annotations

from django_tasks import task

from edubridge.governance.services import export_build


@task()
def build_export(export_id: str) -> dict[str, str]:
    """Apply an export's protections, write its file and signed manifest (or record why not)."""
    export = export_build(export_id)
    return {"export": str(export.pk), "status": export.status, "error": export.error}
