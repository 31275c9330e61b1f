"""Background work of the governance app: building an export, and the model audits that write
model cards, run in the worker."""

from __future__ import annotations

from django_tasks import task

from edubridge.governance.services import GovernanceError, export_build


@task()
def build_export(export_id: str) -> dict[str, str]:
    """Apply an export's protections, write its file and signed manifest (or record why not)."""
    export = export_build(export_id)
    return {"export": str(export.pk), "status": export.status, "error": export.error}


@task()
def audit_models(kt_dir: str | None = None) -> dict[str, str]:
    """Audit the node's models and store their model cards: the alignment suggester on the node's
    hand alignments, and the learner model in use on the knowledge-tracing data in ``kt_dir``
    (ASSISTments 2015 in the three-line format) when that folder holds it."""
    from pathlib import Path

    from edubridge.adaptive.models import FittedModel
    from edubridge.governance.adaptive_audit import audit_adaptive_model
    from edubridge.governance.alignment_audit import audit_alignment_suggester

    done: dict[str, str] = {}
    try:
        card = audit_alignment_suggester()
        done[card.name] = card.version
    except GovernanceError as exc:
        done["alignment-suggester"] = f"not audited: {exc}"
    fitted = FittedModel.objects.order_by("-pk").first()
    folder = Path(kt_dir) if kt_dir else None
    if fitted is not None and folder is not None:
        train, test = folder / "assist2015_train.csv", folder / "assist2015_test.csv"
        if train.is_file() and test.is_file():
            try:
                card = audit_adaptive_model(train=train, test=test, model=fitted.name)
                done[card.name] = card.version
            except GovernanceError as exc:
                done[fitted.name] = f"not audited: {exc}"
    return done
