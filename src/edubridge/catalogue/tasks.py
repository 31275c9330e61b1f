"""Background work of the catalogue: importing a large bank runs in the worker."""

from __future__ import annotations

from django_tasks import task

from edubridge.catalogue.services import import_job_run


@task()
def run_import(job_id: int) -> dict[str, object]:
    """Import a queued upload (all or nothing) and record the outcome on the job."""
    job = import_job_run(job_id)
    return {"job": job.pk, "status": job.status, "error": job.error}
