"""An export is built by the background worker through django_tasks, and the page follows it."""

from __future__ import annotations

import pytest
from django.test import Client
from huey.contrib.djhuey import HUEY

from edubridge.accounts.models import User
from edubridge.governance import services
from edubridge.governance.models import Export, ExportStatus
from edubridge.governance.tasks import build_export


@pytest.mark.django_db(transaction=True)
def test_the_build_runs_as_a_background_task_and_the_page_shows_its_status(
    demo_network: None,
) -> None:
    HUEY.flush()
    steward = User.objects.get(username="steward")
    export = services.export_request(
        spec=services.ExportSpec(
            dataset="exchange-participations",
            jurisdiction="EU",
            destination="FR",
            purpose="research",
            columns=("participant", "status"),
        ),
        by=steward,
    )
    client = Client()
    client.force_login(steward)
    assert "Building" in client.get(f"/governance/exports/{export.pk}/").content.decode()
    assert HUEY.pending_count() == 1
    HUEY.execute(HUEY.dequeue())
    export = Export.objects.get(pk=export.pk)
    assert export.status == ExportStatus.DRAFT, export.error
    assert export.task_id
    assert build_export.get_result(export.task_id).status == "SUCCESSFUL"
    page = client.get(f"/governance/exports/{export.pk}/")
    assert "Refresh" not in page
    assert "Draft: waiting for approval" in page.content.decode()
