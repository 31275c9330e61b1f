"""Background work of the localization app: drafting a resource runs in the worker."""

from __future__ import annotations

from django_tasks import task

from edubridge.localization.services import job_run


@task()
def draft_job(job_id: int) -> dict[str, object]:
    """Draft every item of a queued job; progress and any failure are recorded on the job."""
    job = job_run(job_id)
    return {"job": job.pk, "status": job.status, "done": job.done, "error": job.error}


@task()
def translate_job(job_id: int, user_id: int | None) -> dict[str, object]:
    """Machine-translate a drafted job; refused texts are listed in the job's warnings."""
    from edubridge.localization.services import translate_run

    applied, rejected = translate_run(job_id, user_id)
    return {"job": job_id, "applied": applied, "refused": len(rejected)}
