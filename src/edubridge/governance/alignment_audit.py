"""Bias audit of the catalogue's alignment suggester, stored as a model card.

The suggester (``engines/standards/align.py``, called through ``catalogue.selectors``) ranks a
framework's statements for an item by a lexical BM25 score. The ground truth is the node's own
*hand* alignments (accepted suggestions are left out: they were chosen from the suggester's list).
For every item with a hand alignment in a framework, the suggester ranks that framework's
statements without looking at the alignments, and the audit measures, by item language, subject
and grade band:

* ranking metrics per item: a top-3 hit (a hand alignment among the first three) and the
  reciprocal rank of the first hand alignment in the top 20 (0 when absent), with bootstrap
  intervals over items, the gap of each group to the largest and a permutation p-value;
* a score-based metric per candidate: over the top 20 statements of each item, how well the
  score relative to the item's best (1 = best) separates hand-aligned statements from others --
  AUC with intervals from a bootstrap over items, and ABROCA between groups (``governance.bias``).

Groups with fewer than 10 items are named as too small to judge.
"""

from __future__ import annotations

import inspect
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from edubridge.engines.standards.align import AlignmentIndex
from edubridge.governance.bias import bias_audit, ranking_audit
from edubridge.governance.models import ModelCard
from edubridge.governance.services import GovernanceError, model_card_store

NAME = "alignment-suggester"
CANDIDATES = 20
ATTRIBUTES = ("language", "subject", "grade_band")
MIN_ITEMS = 10
INTENDED_USE = (
    "Suggest, for an item in the catalogue, the curriculum statements of a framework it most "
    "likely assesses, with the words that matched, so a publisher can accept or reject each "
    "suggestion. A publisher decides; the suggester never aligns an item by itself."
)
ETHICS = (
    "Alignments decide which learners find an item and how it counts toward a curriculum. A "
    "suggester that serves one language, subject or grade worse pushes publishers of that group "
    "toward wrong or missing alignments, so resources in that group are found less and "
    "localized less. It is lexical: it favours items whose wording echoes the framework's, and "
    "languages whose tokenization it handles well. Check the audit for the item's group before "
    "trusting a suggestion, and audit again after importing new banks or frameworks."
)
LIMITS = (
    "Lexical BM25 over the statement text and operation words: no semantics, synonyms only "
    "through the operation word lists.",
    "Ground truth is the node's hand alignments; a node with few of them cannot judge the "
    "suggester, and the groups with fewer than 10 aligned items are named on this card.",
    "Scores are not probabilities: the score-based audit uses each item's scores relative to its "
    "best one, so calibration and error rates at 0.5 describe that scale only.",
)


def grade_band(grade: int | None) -> str:
    if grade is None:
        return "unknown"
    return "K-2" if grade <= 2 else "3-5" if grade <= 5 else "6-8" if grade <= 8 else "9-13"


def suggester_version() -> str:
    """The suggester's version: its scoring function and parameters (defaults of the index)."""
    params = inspect.signature(AlignmentIndex.__init__).parameters
    return f"bm25-k1_{params['k1'].default:g}-b_{params['b'].default:g}"


def audit_rows() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(one row per item with its ranking metrics, one row per item and candidate statement)."""
    from edubridge.catalogue.models import Alignment, Item
    from edubridge.catalogue.selectors import alignment_suggestions

    truth: dict[tuple[int, int], set[str]] = defaultdict(set)
    frameworks: dict[int, Any] = {}
    for a in Alignment.objects.filter(rejected=False, source="hand").select_related(
        "framework_item__framework"
    ):
        framework = a.framework_item.framework
        frameworks[framework.pk] = framework
        truth[(a.item_id, framework.pk)].add(a.framework_item.identifier)
    items = Item.objects.in_bulk({item_id for item_id, _ in truth})
    per_item: list[dict[str, Any]] = []
    candidates: list[dict[str, Any]] = []
    for (item_id, framework_id), wanted in sorted(truth.items()):
        item = items[item_id]
        ranked = alignment_suggestions(
            item=item, framework=frameworks[framework_id], top=CANDIDATES
        )
        groups = {
            "language": item.language or "unknown",
            "subject": item.subject or "unknown",
            "grade_band": grade_band(item.grade_min),
        }
        ids = [s.framework_item.identifier for s in ranked]
        first = next((rank for rank, i in enumerate(ids, start=1) if i in wanted), None)
        unit = f"{item.bank_id}/{item.identifier}/{framework_id}"
        per_item.append(
            {
                "unit": unit,
                **groups,
                "hit_at_3": 1.0 if first is not None and first <= 3 else 0.0,
                "reciprocal_rank": 1.0 / first if first is not None else 0.0,
            }
        )
        best = ranked[0].score if ranked and ranked[0].score > 0 else 1.0
        for s in ranked:
            candidates.append(
                {
                    "unit": unit,
                    **groups,
                    "y_true": int(s.framework_item.identifier in wanted),
                    "y_score": min(max(s.score / best, 0.0), 1.0),
                }
            )
    return per_item, candidates


def audit_alignment_suggester(
    *, n_boot: int = 200, seed: int = 20261122, progress: Callable[[str], None] | None = None
) -> ModelCard:
    """Audit the suggester on the node's hand alignments and store its model card."""
    say = progress or (lambda _m: None)
    per_item, candidates = audit_rows()
    if not per_item:
        raise GovernanceError(
            "No item has a hand alignment, so the alignment suggester cannot be audited; align "
            "some items by hand first."
        )
    say(f"{len(per_item)} aligned items, {len(candidates)} candidate statements")
    ranking = ranking_audit(
        per_item,
        attributes=ATTRIBUTES,
        metrics=("hit_at_3", "reciprocal_rank"),
        min_items=MIN_ITEMS,
        n_boot=n_boot,
        seed=seed,
    )
    scores = bias_audit(
        candidates,
        attributes=ATTRIBUTES,
        min_group=30,
        min_units=MIN_ITEMS,
        n_boot=n_boot,
        seed=seed,
    )
    scores["groups_note"] = (
        "Per candidate statement: y = hand-aligned, score = BM25 relative to the item's best "
        "suggestion; bootstrap units are items. Ranking metrics per item are in 'ranking'."
    )
    scores["ranking"] = ranking
    overall = ranking["overall"]
    metrics = {
        "top3_hit_rate": overall["hit_at_3"],
        "mean_reciprocal_rank": overall["reciprocal_rank"],
        "candidate_auc": scores["overall"]["auc"],
        "items_audited": float(len(per_item)),
    }
    by_group = {
        f"{attribute}={g['group']}": {
            "top3_hit_rate": g["hit_at_3"],
            "mean_reciprocal_rank": g["reciprocal_rank"],
            "n": g["n"],
        }
        for attribute, result in ranking["by_attribute"].items()
        for g in result["groups"]
    }
    return model_card_store(
        name=NAME,
        version=suggester_version(),
        intended_use=INTENDED_USE,
        training_data=(
            "Not trained: BM25 statistics come from each framework's own statements. Audited on "
            f"this node's hand alignments: {len(per_item)} item-framework pairs; the top "
            f"{CANDIDATES} suggestions of each are compared with the hand alignments."
        ),
        metrics=metrics,
        metrics_by_group=by_group,
        limits=list(LIMITS),
        ethical_considerations=ETHICS,
        bias_audit=scores,
        used_at="catalogue: item page, 'Suggested standards' (publishers)",
    )
