"""Background work of the adaptive app: the refit (model choice by cross-validation) runs in the
task worker; its progress and outcome are kept on the RefitJob row."""

from __future__ import annotations

from django_tasks import task

from edubridge.adaptive.services import refit_run


@task()
def refit_task(job_id: int) -> dict[str, object]:
    """Cross-validate the learner models, fit the chosen one and re-score learners."""
    job = refit_run(job_id)
    return {
        "job": job.pk,
        "status": job.status,
        "fitted": job.fitted_id,
        "error": job.error,
    }
