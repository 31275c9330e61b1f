"""The alignment suggester's bias audit and model card: measured on the node's hand alignments by
item language, subject and grade band, with intervals; small groups named; the card is a page and
JSON, reachable by a stable link for the place where the suggester acts."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from edubridge.accounts.models import User
from edubridge.catalogue.models import Alignment, Bank, Framework, Item
from edubridge.catalogue.selectors import top3_hit_rate
from edubridge.governance.alignment_audit import NAME, audit_alignment_suggester
from edubridge.governance.bias import BiasAuditError, ranking_audit
from edubridge.governance.models import ModelCard
from edubridge.governance.services import GovernanceError

pytestmark = pytest.mark.usefixtures("demo_network")


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_ranking_audit_means_intervals_gaps_and_small_groups() -> None:
    rows = [{"g": "a", "hit": 1.0} for _ in range(30)] + [
        {"g": "b", "hit": float(i % 2)} for i in range(20)
    ]
    rows += [{"g": "c", "hit": 0.0} for _ in range(4)]
    out = ranking_audit(rows, attributes=["g"], metrics=["hit"], min_items=10, n_boot=200, seed=1)
    groups = {g["group"]: g for g in out["by_attribute"]["g"]["groups"]}
    assert groups["a"]["hit"] == 1.0
    assert groups["b"]["hit"] == 0.5
    low, high = groups["b"]["hit_ci"]
    assert low < 0.5 < high
    (gap,) = out["by_attribute"]["g"]["gaps"]
    assert (gap["group"], gap["reference"], gap["gap"]) == ("b", "a", -0.5)
    assert gap["p_value"] < 0.01
    assert out["by_attribute"]["g"]["too_small"] == [
        {"group": "c", "n": 4, "reason": "4 items, fewer than 10"}
    ]


@pytest.mark.parametrize(
    ("row", "message"), [({"g": "a"}, "no 'hit'"), ({"g": "a", "hit": 2}, "not in \\[0, 1\\]")]
)
def test_ranking_audit_refuses_bad_rows(row: dict[str, Any], message: str) -> None:
    with pytest.raises(BiasAuditError, match=message):
        ranking_audit([row], attributes=["g"], metrics=["hit"])


def test_the_audit_matches_the_catalogues_own_top3_count_and_names_small_groups() -> None:
    # Three aligned items are science items: a group too small to judge, named as such.
    science = list(Item.objects.filter(alignments__source="hand").distinct().order_by("pk")[:3])
    Item.objects.filter(pk__in=[i.pk for i in science]).update(subject="science")
    card = audit_alignment_suggester(n_boot=50, seed=3)
    assert card.name == NAME
    hits = total = 0
    for bank in Bank.objects.all():
        for framework in Framework.objects.all():
            h, t = top3_hit_rate(bank=bank, framework=framework)
            hits, total = hits + h, total + t
    assert total == card.metrics["items_audited"]
    assert card.metrics["top3_hit_rate"] == pytest.approx(hits / total, abs=1e-4)
    ranking = card.bias_audit["ranking"]
    assert set(ranking["by_attribute"]) == {"language", "subject", "grade_band"}
    languages = {g["group"]: g for g in ranking["by_attribute"]["language"]["groups"]}
    assert {"en-US", "zh-CN"} <= set(languages)
    for g in languages.values():
        low, high = g["hit_at_3_ci"]
        assert low <= g["hit_at_3"] <= high
    assert ranking["by_attribute"]["subject"]["too_small"] == [
        {"group": "science", "n": 3, "reason": "3 items, fewer than 10"}
    ]
    small = card.bias_audit["by_attribute"]["subject"]["too_small"]
    assert [s["group"] for s in small] == ["science"]
    assert card.bias_audit["by_attribute"]["language"]["abroca"]  # scores compared by ABROCA
    assert "language=zh-CN" in card.metrics_by_group


def test_the_card_is_a_page_and_json_behind_a_stable_link() -> None:
    card = audit_alignment_suggester(n_boot=20)
    client = signed_in("learner")  # every signed-in person may read model cards; pages in English
    link = client.get(f"/governance/model-cards/{NAME}/")
    assert link.status_code == 302
    assert link["Location"] == f"/governance/model-cards/{NAME}/{card.version}/"
    page = client.get(link["Location"]).content.decode()
    for text in ("Ranking quality by group", "top-3 hit rate", "zh-CN", "Ethical considerations"):
        assert text in page
    data = client.get(f"/api/governance/model-cards/{NAME}/{card.version}").json()
    assert data["bias_audit"]["ranking"]["overall"]["hit_at_3"] == card.metrics["top3_hit_rate"]
    assert data["used_at"].startswith("catalogue")


def test_a_missing_card_link_says_so() -> None:
    ModelCard.objects.filter(name=NAME).delete()
    response = signed_in("learner").get(f"/governance/model-cards/{NAME}/")
    assert response.status_code == 404
    assert f"no model card for {NAME}" in response.content.decode()


def test_the_command_prints_the_audit_and_refuses_without_hand_alignments() -> None:
    out = io.StringIO()
    call_command("governance_audit_alignment", "--n-boot", "20", stdout=out)
    assert "top-3 hit rate" in out.getvalue()
    assert "language=zh-CN" in out.getvalue()
    Alignment.objects.filter(source="hand").delete()
    with pytest.raises(GovernanceError, match="No item has a hand alignment"):
        audit_alignment_suggester(n_boot=20)
