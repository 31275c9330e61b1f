"""Demo governance: a second data steward, and one export of the demo exchange taken through the
whole workflow (policy check, pseudonymization, 5-anonymity, signed manifest, approval by the
second steward, release), plus one differentially private count left as a draft."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from edubridge.accounts.models import User
from edubridge.governance import services
from edubridge.governance.models import Export, ExportKind

SECOND_STEWARD = "steward2"
STEPS = 3


def load(advance: Callable[[str], None]) -> list[tuple[str, str, str]]:
    # The second steward (who approves what the first requests) is one of the accounts demo users.
    second = User.objects.get(username=SECOND_STEWARD)
    advance(f"user {SECOND_STEWARD}")
    logins: list[tuple[str, str, str]] = []
    steward = User.objects.filter(username="steward").first()
    if steward is None or Export.objects.filter(author=steward).exists():
        advance("released export")
        advance("private counts")
        return logins
    export = services.export_request(
        spec=services.ExportSpec(
            dataset="exchange-participations",
            jurisdiction="EU",
            destination="GB",
            purpose="research",
            columns=(
                "participant",
                "sending_country",
                "host_country",
                "field",
                "level",
                "choice",
                "status",
                "first_generation",
            ),
            pseudonymize=True,
            k=5,
            l=2,
            suppression=0.05,
        ),
        by=steward,
        enqueue=False,
    )
    export = services.export_build(export.pk)
    if export.status == "draft":
        services.export_approve(export=export, by=second, confirm_conditions=True)
        services.export_release(export=export, by=steward)
    advance("released export")
    counts = services.export_request(
        spec=services.ExportSpec(
            dataset="exchange-participations",
            jurisdiction="EU",
            destination="US",
            purpose="statistics",
            kind=ExportKind.HISTOGRAM,
            group_by="status",
            epsilon=0.5,
        ),
        by=steward,
        enqueue=False,
    )
    services.export_build(counts.pk)
    advance("private counts")
    return logins


def background() -> None:
    """Queue the model audits, so the demo's model cards exist once the worker has run them."""
    from edubridge.governance.tasks import audit_models

    kt_dir = Path(str(settings.BASE_DIR)).parent / "shared" / "data" / "knowledge-tracing"
    audit_models.enqueue(str(kt_dir))
