"""Exports through the services: policy refusals name the rule and write nothing; protections are
applied and checked independently; manifests verify with the node's key; the workflow needs a
second steward; the privacy budget refuses to overspend."""

from __future__ import annotations

import base64
import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from edubridge.accounts.models import User
from edubridge.core.models import AuditEvent, NodeIdentity
from edubridge.engines.privacy.manifest import verify_manifest
from edubridge.engines.privacy.pseudonymize import reidentify
from edubridge.exchange.models import Participation
from edubridge.governance import services
from edubridge.governance.models import BudgetCharge, Export, ExportKind, ExportStatus

pytestmark = pytest.mark.usefixtures("demo_network")


def user(name: str) -> User:
    return User.objects.get(username=name)


def spec(**overrides: object) -> services.ExportSpec:
    values: dict[str, object] = {
        "dataset": "exchange-participations",
        "jurisdiction": "EU",
        "destination": "GB",
        "purpose": "research",
        "columns": (
            "participant",
            "sending_country",
            "host_country",
            "field",
            "level",
            "choice",
            "first_generation",
        ),
        "k": 5,
        "l": 2,
        "suppression": 0.05,
    }
    values.update(overrides)
    return services.ExportSpec(**values)  # type: ignore[arg-type]


def built(**overrides: object) -> Export:
    export = services.export_request(spec=spec(**overrides), by=user("steward"), enqueue=False)
    return services.export_build(export.pk)


def released(**overrides: object) -> Export:
    export = built(**overrides)
    services.export_approve(export=export, by=user("steward2"), confirm_conditions=True)
    return services.export_release(export=export, by=user("steward"))


def rows_of(export: Export) -> pd.DataFrame:
    return pd.read_csv(services.export_path(export), dtype=str, keep_default_na=False)


def files() -> set[Path]:
    return set(services.export_folder().iterdir())


def assert_refused(match: str, **overrides: object) -> None:
    before_exports, before_files = Export.objects.count(), files()
    with pytest.raises(services.GovernanceError, match=match):
        services.export_request(spec=spec(**overrides), by=user("steward"), enqueue=False)
    assert Export.objects.count() == before_exports
    assert files() == before_files


NODE_POLICY = """
schema: edubridge-export-policy/1
id: node-id-test
version: "1"
title: "A node's own policy for Indonesia (test)"
jurisdiction: ID
example: true
disclaimer: "Test policy, not legal advice."
home: [ID]
rules:
  - id: personal-to-singapore
    effect: allow
    description: "Pseudonymized personal data to Singapore for research."
    cites: "test"
    data_classes: [personal, sensitive]
    destinations: ["@home", SG]
    purposes: [research]
    protections_any_of:
      - pseudonymized: true
    approval: data-steward
"""


def test_a_destination_no_policy_names_is_refused_by_the_default_rule(
    settings: object, tmp_path: Path
) -> None:
    (tmp_path / "id.yaml").write_text(NODE_POLICY)
    settings.GOVERNANCE_POLICY_DIR = tmp_path  # type: ignore[attr-defined]
    assert_refused(
        r"node-id-test@1#default-deny: no rule of node-id-test@1 names destination 'KP'",
        jurisdiction="ID",
        destination="KP",
    )
    assert built(jurisdiction="ID", destination="SG").status == ExportStatus.DRAFT


def test_a_malformed_destination_is_refused() -> None:
    assert_refused("destination must be", destination="Mars")


def test_a_refusal_names_the_rule_that_refused() -> None:
    # Sensitive data (first_generation) to a non-adequate country for research: the allowing rule
    # asks for k>=10 and l>=3, which the export does not offer.
    assert_refused(r"refused by example-eu-gdpr@2026\.1#", destination="BR")
    event = AuditEvent.objects.filter(action="governance.export_refused").latest("pk")
    assert "#" in event.details["rule"]


def test_a_jurisdiction_without_a_policy_is_denied_by_default() -> None:
    assert_refused("no policy for jurisdiction 'ID'", jurisdiction="ID")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"columns": ("participant", "shoe_size")}, "unknown column 'shoe_size'"),
        ({"dataset": "nope"}, "unknown dataset 'nope'"),
        ({"k": 100000}, "k=100000 is impossible"),
        ({"l": 7}, "l=7 is impossible"),
        ({"suppression": 0.9}, "suppression limit"),
        ({"pseudonymize": False}, "direct identifier"),
        ({"k": None, "l": 2}, "l-diversity needs k-anonymity"),
        (
            {"kind": ExportKind.HISTOGRAM, "group_by": "level", "epsilon": 0.5},
            "no public categories",
        ),
    ],
)
def test_bad_input_is_refused_with_the_reason_and_nothing_is_written(
    overrides: dict[str, object], message: str
) -> None:
    assert_refused(message, **overrides)


def test_a_released_export_is_k_anonymous_and_l_diverse_by_an_independent_checker() -> None:
    pycanon = pytest.importorskip("pycanon.anonymity")
    export = released()
    frame = rows_of(export)
    quasi = ["sending_country", "host_country", "field", "level", "choice"]
    assert pycanon.k_anonymity(frame, quasi) >= 5
    assert pycanon.l_diversity(frame, quasi, ["first_generation"]) >= 2
    assert export.report["row_counts"]["input"] == Participation.objects.count()
    assert export.report["row_counts"]["output"] == len(frame)
    assert export.report["loss"]["ncp"] > 0


def test_the_manifest_verifies_with_the_node_public_key_and_catches_tampering() -> None:
    export = released()
    text = NodeIdentity.objects.get().public_key
    public = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    data = services.export_path(export).read_bytes()
    signed = export.manifest
    assert verify_manifest(signed, public, data)
    manifest = signed["manifest"]
    assert manifest["policy"]["rule"] == export.decision["rule"]
    assert manifest["protections"]["k_anonymity"]["k"] == 5
    assert manifest["row_counts"]["output"] == export.report["row_counts"]["output"]
    assert not verify_manifest(signed, public, data + b"x")
    forged = {**signed, "manifest": {**manifest, "destination": "US"}}
    assert not verify_manifest(forged, public)
    assert "private" not in str(signed).lower()


def test_pseudonyms_are_stable_under_the_node_key_and_reversible_only_with_it() -> None:
    columns = ("participant", "sending_country", "host_country", "field", "level", "choice")
    first = rows_of(released(k=None, l=None, columns=columns))
    second = rows_of(released(k=None, l=None, columns=("participant", "status")))
    assert list(first["participant"]) == list(second["participant"])  # stable, linkable
    originals = [str(p.application.applicant_id) for p in Participation.objects.order_by("pk")]
    assert not set(first["participant"]) & set(originals)
    key = services.pseudonym_key()
    domain = "exchange-participations/participant"
    back = reidentify(first["participant"], originals, key, domain=domain)
    assert list(back.values()) == originals
    wrong = reidentify(first["participant"], originals, b"k" * 32, domain=domain)
    assert set(wrong.values()) == {None}
    manifest = Export.objects.filter(status=ExportStatus.RELEASED).latest("released_at").manifest
    assert "key_fingerprint" in manifest["manifest"]["protections"]["pseudonymization"]
    assert key.hex() not in str(manifest)


def test_the_author_cannot_approve_and_only_released_exports_download() -> None:
    export = built()
    with pytest.raises(services.GovernanceError, match="author cannot approve"):
        services.export_approve(export=export, by=user("steward"), confirm_conditions=True)
    with pytest.raises(services.GovernanceError, match="only once it is released"):
        services.export_file(export=export, by=user("steward"))
    with pytest.raises(services.GovernanceError, match="Only an approved export"):
        services.export_release(export=export, by=user("steward"))
    with pytest.raises(services.GovernanceError, match="Confirm"):
        services.export_approve(export=export, by=user("steward2"))
    services.export_approve(export=export, by=user("steward2"), confirm_conditions=True)
    services.export_release(export=export, by=user("steward"))
    assert services.export_file(export=export, by=user("steward2"))
    actions = list(
        AuditEvent.objects.filter(target=str(export.pk)).values_list("action", flat=True)
    )
    for action in ("requested", "built", "approved", "released", "downloaded"):
        assert f"governance.export_{action}" in actions


def test_only_data_stewards_request_exports() -> None:
    for name in ("admin", "learner", "exchange"):
        with pytest.raises(services.GovernanceError, match="Only data stewards"):
            services.export_request(spec=spec(), by=user(name), enqueue=False)


def dp_spec(epsilon: float) -> services.ExportSpec:
    return spec(
        kind=ExportKind.HISTOGRAM,
        group_by="status",
        epsilon=epsilon,
        destination="US",
        purpose="statistics",
    )


def test_private_counts_charge_the_ledger_which_refuses_to_overspend() -> None:
    services.budget_set(dataset="exchange-participations", total_epsilon=1.0, by=user("steward"))
    spent_before = BudgetCharge.objects.filter(budget__dataset="exchange-participations").count()
    services.budget_set(
        dataset="exchange-participations",
        total_epsilon=1.0
        + sum(
            BudgetCharge.objects.filter(budget__dataset="exchange-participations").values_list(
                "epsilon", flat=True
            )
        ),
        by=user("steward"),
    )
    first = services.export_request(spec=dp_spec(0.6), by=user("steward"), enqueue=False)
    # A second request validated before the first is built passes the check ...
    racing = services.export_request(spec=dp_spec(0.6), by=user("steward"), enqueue=False)
    first = services.export_build(first.pk)
    assert first.status == ExportStatus.DRAFT
    counts = list(csv.reader(io.StringIO(services.export_path(first).read_text())))
    assert counts[0] == ["status", "noisy_count"]
    assert [r[0] for r in counts[1:]][:3] == ["admitted", "accepted", "visa"]
    assert all(int(r[1]) >= 0 for r in counts[1:])
    # ... but its build is refused by the ledger, and writes nothing.
    racing = services.export_build(racing.pk)
    assert racing.status == ExportStatus.FAILED
    assert "overspent" in racing.error
    assert not racing.file_name
    # A new request is refused up front.
    assert_refused("would be overspent", **dp_spec(0.6).__dict__)
    charges = BudgetCharge.objects.filter(budget__dataset="exchange-participations")
    assert charges.count() == spent_before + 1
    with pytest.raises(services.GovernanceError, match="at least"):
        services.budget_set(
            dataset="exchange-participations", total_epsilon=0.1, by=user("steward")
        )
