"""The demo's model cards: loading the demo queues the model audits for the worker, and the audit
task stores a card for the alignment suggester and for the learner model in use."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from huey.contrib.djhuey import HUEY

from edubridge.adaptive.models import FittedModel
from edubridge.governance import demo
from edubridge.governance.models import ModelCard
from edubridge.governance.tasks import audit_models

pytestmark = pytest.mark.usefixtures("demo_network")
KT_DIR = Path(str(settings.BASE_DIR)).parent / "shared" / "data" / "knowledge-tracing"


def _first_learners(source: Path, target: Path, learners: int) -> None:
    lines = source.read_text().splitlines()
    target.write_text("\n".join(lines[: 3 * learners]) + "\n")


def test_loading_the_demo_queues_the_model_audits_for_the_worker() -> None:
    HUEY.flush()
    demo.background()
    assert HUEY.pending_count() == 1
    HUEY.flush()


def test_the_audit_task_stores_the_suggester_card_and_the_card_of_the_model_in_use(
    tmp_path: Path,
) -> None:
    _first_learners(KT_DIR / "assist2015_train.csv", tmp_path / "assist2015_train.csv", 300)
    _first_learners(KT_DIR / "assist2015_test.csv", tmp_path / "assist2015_test.csv", 150)
    in_use = FittedModel.objects.order_by("-pk").first()
    assert in_use is not None

    stored = audit_models.call(str(tmp_path))

    assert set(stored) == {"alignment-suggester", in_use.name}
    assert ModelCard.objects.filter(name="alignment-suggester").exists()
    card = ModelCard.objects.get(name=in_use.name, version=stored[in_use.name])
    assert card.bias_audit["overall"]["auc"] > 0.5


def test_without_knowledge_tracing_data_only_the_suggester_is_audited(tmp_path: Path) -> None:
    stored = audit_models.call(str(tmp_path))
    assert list(stored) == ["alignment-suggester"]
