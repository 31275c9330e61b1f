"""Learning data leaves the node only as the policies allow: learner responses, mastery and training
records are datasets with registry classes, minors lift them to minor-sensitive, one policy refuses
by name and another allows with k-anonymity (checked by pycanon), DP counts and means work on them,
and the steward's pages carry the whole workflow with a second steward's approval."""

from __future__ import annotations

import base64
import io
from typing import Any

import pandas as pd
import pytest
from django.test import Client

from edubridge.accounts.models import User
from edubridge.core.models import AuditEvent, NodeIdentity
from edubridge.engines.privacy.manifest import verify_manifest
from edubridge.governance import services
from edubridge.governance.datasets import dataset_get
from edubridge.governance.models import BudgetCharge, Export, ExportKind, ExportStatus

pytestmark = pytest.mark.usefixtures("demo_network")

RESPONSE_COLUMNS = ("learner", "minor", "country", "grade", "day", "correct")
PIPL_REFUSAL = "example-cn-pipl@2026.1#minors-under-14-stay-home"
FERPA_RULE = "example-us-ferpa@2026.1#de-identified-with-record-code"


@pytest.fixture
def pupils() -> None:
    """The demo learners practise grade 3-5 mathematics: they are children, recorded as such."""
    User.objects.filter(answers__isnull=False).update(is_minor=True)


@pytest.fixture
def checker() -> Any:
    return pytest.importorskip("pycanon.anonymity")


def user(name: str) -> User:
    return User.objects.get(username=name)


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(user(username))
    return client


def responses_spec(**overrides: object) -> services.ExportSpec:
    values: dict[str, object] = {
        "dataset": "learner-responses",
        "jurisdiction": "US",
        "destination": "FR",
        "purpose": "research",
        "columns": RESPONSE_COLUMNS,
        "k": 5,
        "l": 2,
        "suppression": 0.02,
    }
    values.update(overrides)
    return services.ExportSpec(**values)  # type: ignore[arg-type]


def read(export: Export) -> pd.DataFrame:
    return pd.read_csv(services.export_path(export), dtype=str, keep_default_na=False)


def test_learning_datasets_take_their_classes_from_the_registry_and_cover_their_values() -> None:
    for key in ("learner-responses", "learner-mastery", "training-records"):
        dataset = dataset_get(key)
        assert dataset is not None
        fields = services.dataset_fields(dataset, dataset.header)
        assert set(fields.values()) <= {"public", "internal", "personal"}
        rows = dataset.rows()
        assert rows, key
        for q in dataset.quasi_identifiers:
            at = dataset.header.index(q)
            leaves = set(dataset.hierarchy(q, [r[at] for r in rows]).leaves())
            assert {r[at] for r in rows} <= leaves, (key, q)


def test_a_pupils_responses_are_minor_sensitive_data(pupils: None) -> None:
    dataset = dataset_get("learner-responses")
    assert dataset is not None
    fields = services.dataset_fields(dataset, dataset.header)
    assert fields["correct"] == fields["learner"] == fields["day"] == "minor-sensitive"
    assert fields["grade"] == "public"  # public item metadata is not lifted
    page = signed_in("steward").get("/governance/").content.decode()
    assert "About minors:" in page
    assert "(registry: personal)" in page


def test_pipl_refuses_pupils_responses_abroad_and_names_the_rule(pupils: None) -> None:
    before = Export.objects.count()
    with pytest.raises(services.GovernanceError, match=PIPL_REFUSAL.replace(".", r"\.")):
        services.export_request(
            spec=responses_spec(jurisdiction="CN"), by=user("steward"), enqueue=False
        )
    assert Export.objects.count() == before
    event = AuditEvent.objects.filter(action="governance.export_refused").latest("pk")
    assert event.details["rule"] == PIPL_REFUSAL


def test_ferpa_allows_pupils_responses_k_anonymous_signed_and_approved_by_a_second_steward(
    pupils: None, checker: Any
) -> None:
    export = services.export_request(spec=responses_spec(), by=user("steward"), enqueue=False)
    assert export.decision["rule"] == FERPA_RULE
    export = services.export_build(export.pk)
    assert export.status == ExportStatus.DRAFT, export.error

    release = read(export)
    quasi = ["minor", "country", "grade", "day"]
    assert checker.k_anonymity(release, quasi) >= 5
    assert checker.l_diversity(release, quasi, ["correct"]) >= 2
    answers = len(dataset_get("learner-responses").rows())  # type: ignore[union-attr]
    assert len(release) == answers - export.report["row_counts"]["suppressed"]
    assert len(release) >= 0.98 * answers
    assert set(export.report["generalization"]) == set(quasi)  # day's hierarchy built by rule
    # k counts distinct learners per class, checked here with a plain pandas count...
    learners_per_class = release.groupby(quasi)["learner"].nunique()
    assert learners_per_class.min() >= 5
    assert export.report["k_counted_over"] == "persons"
    assert export.report["people_per_class_min"] == learners_per_class.min()
    assert export.report["persons"]["output"] == release["learner"].nunique()
    # ...and with pycanon on the distinct (class, learner) pairs: one row per person and class.
    assert checker.k_anonymity(release.drop_duplicates([*quasi, "learner"]), quasi) >= 5
    assert not set(release["learner"]) & {str(u.pk) for u in User.objects.all()}

    signed = export.manifest
    public = base64.urlsafe_b64decode(NodeIdentity.objects.get().public_key + "==")
    assert verify_manifest(signed, public, file_bytes=services.export_path(export).read_bytes())
    manifest = signed["manifest"]
    assert manifest["policy"]["rule"] == FERPA_RULE
    assert manifest["protections"]["k_anonymity"]["k"] == 5
    assert manifest["protections"]["k_anonymity"]["counted_over"] == "distinct persons"
    assert manifest["protections"]["k_anonymity"]["person_column"] == "learner"
    assert manifest["protections"]["k_anonymity"]["smallest_class"] == learners_per_class.min()

    with pytest.raises(services.GovernanceError, match="second data steward"):
        services.export_approve(export=export, by=user("steward"))
    services.export_approve(export=export, by=user("steward2"))
    services.export_release(export=export, by=user("steward"))
    data = services.export_file(export=export, by=user("steward2"))
    assert pd.read_csv(io.BytesIO(data), dtype=str).shape == release.shape
    actions = set(AuditEvent.objects.filter(target=str(export.pk)).values_list("action", flat=True))
    assert {
        "governance.export_requested",
        "governance.export_built",
        "governance.export_approved",
        "governance.export_released",
        "governance.export_downloaded",
    } <= actions


def test_the_steward_pages_refuse_under_one_policy_and_carry_an_export_under_another(
    pupils: None, checker: Any
) -> None:
    form = {
        "dataset": "learner-responses",
        "destination": "FR",
        "purpose": "research",
        "kind": "records",
        "columns": list(RESPONSE_COLUMNS),
        "pseudonymize": "1",
        "k": "5",
        "l": "2",
        "suppression": "0.02",
    }
    client = signed_in("steward")
    before = Export.objects.count()
    refused = client.post("/governance/exports/new/", {**form, "jurisdiction": "CN"})
    assert refused.status_code == 400
    assert PIPL_REFUSAL in refused.content.decode()
    assert Export.objects.count() == before

    accepted = client.post("/governance/exports/new/", {**form, "jurisdiction": "US"})
    assert accepted.status_code == 302
    export = Export.objects.latest("created_at")
    services.export_build(export.pk)  # what the worker does (tests/governance/test_worker.py)
    page = client.get(accepted["Location"]).content.decode()
    assert FERPA_RULE in page
    assert "k counted over distinct persons" in page
    export.refresh_from_db()
    assert (
        f"the smallest equivalence class holds rows of {export.report['people_per_class_min']} "
        "different persons" in page
    )
    assert client.post(f"/governance/exports/{export.pk}/approve/").status_code == 400
    second = signed_in("steward2")
    assert second.post(f"/governance/exports/{export.pk}/approve/").status_code == 302
    assert second.post(f"/governance/exports/{export.pk}/release/").status_code == 302
    download = client.get(f"/governance/exports/{export.pk}/file.csv")
    assert download.status_code == 200
    release = pd.read_csv(io.BytesIO(download.content), dtype=str, keep_default_na=False)
    assert checker.k_anonymity(release, ["minor", "country", "grade", "day"]) >= 5


def test_k_counts_learners_even_when_the_learner_column_is_left_out(pupils: None) -> None:
    with_learner = services.export_build(
        services.export_request(spec=responses_spec(), by=user("steward"), enqueue=False).pk
    )
    without = services.export_build(
        services.export_request(
            spec=responses_spec(columns=("minor", "country", "grade", "day", "correct")),
            by=user("steward"),
            enqueue=False,
        ).pk
    )
    assert without.status == ExportStatus.DRAFT, without.error
    assert "learner" not in read(without).columns
    assert without.report["k_counted_over"] == "persons"
    assert without.report["generalization"] == with_learner.report["generalization"]
    assert without.report["people_per_class_min"] == with_learner.report["people_per_class_min"]
    assert without.report["people_per_class_min"] >= 5


def test_k_above_the_number_of_learners_is_refused_and_nothing_is_stored(pupils: None) -> None:
    dataset = dataset_get("learner-responses")
    assert dataset is not None
    learners = len({r[0] for r in dataset.rows()})
    before = Export.objects.count()
    with pytest.raises(services.GovernanceError, match=f"only {learners} persons"):
        services.export_request(
            spec=responses_spec(k=learners + 1), by=user("steward"), enqueue=False
        )
    assert Export.objects.count() == before


def test_dp_counts_of_responses_bound_each_learners_contribution(pupils: None) -> None:
    # PIPL lets minors' data leave only as DP aggregates with epsilon <= 0.5.
    export = services.export_request(
        spec=services.ExportSpec(
            dataset="learner-responses",
            jurisdiction="CN",
            destination="FR",
            purpose="statistics",
            kind=ExportKind.HISTOGRAM,
            group_by="correct",
            epsilon=0.5,
        ),
        by=user("steward"),
        enqueue=False,
    )
    assert export.decision["allowed"]
    export = services.export_build(export.pk)
    assert export.status == ExportStatus.DRAFT, export.error
    dp = export.manifest["manifest"]["protections"]["differential_privacy"]
    assert dp["contributions_per_person"] == 100
    assert dp["scale"] >= 100 / 0.5 * 0.99  # the noise covers 100 answers of one learner
    assert list(read(export)["correct"]) == ["yes", "no", "(other)"]
    assert sum(c.epsilon for c in BudgetCharge.objects.filter(export=export)) <= 0.5


def test_dp_means_of_mastery_by_group_split_and_charge_the_budget() -> None:
    export = services.export_request(
        spec=services.ExportSpec(
            dataset="learner-mastery",
            jurisdiction="EU",
            destination="JP",
            purpose="statistics",
            kind=ExportKind.MEAN,
            value_column="mastery",
            group_by="mastered",
            epsilon=1.0,
        ),
        by=user("steward"),
        enqueue=False,
    )
    export = services.export_build(export.pk)
    assert export.status == ExportStatus.DRAFT, export.error
    release = read(export)
    assert list(release["mastered"]) == ["yes", "no"]
    assert all(0.0 <= float(v) <= 1.0 for v in release["noisy_mean_mastery"])
    charges = BudgetCharge.objects.filter(export=export)
    assert charges.count() == 2
    assert sum(c.epsilon for c in charges) == pytest.approx(1.0, abs=1e-9)
    ledger = services.ledger_read("learner-mastery")
    assert ledger.spent == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"value_column": "country"}, "declares no public bounds"),
        ({"value_column": "shoe_size"}, "unknown column 'shoe_size'"),
        ({"group_by": "country"}, "no public categories"),
        ({"epsilon": 5.0}, "budget"),
    ],
)
def test_bad_dp_mean_requests_are_refused_before_anything_is_stored(
    overrides: dict[str, object], message: str
) -> None:
    values: dict[str, object] = {
        "dataset": "learner-mastery",
        "jurisdiction": "EU",
        "destination": "JP",
        "purpose": "statistics",
        "kind": ExportKind.MEAN,
        "value_column": "mastery",
        "epsilon": 0.5,
        **overrides,
    }
    before = Export.objects.count()
    with pytest.raises(services.GovernanceError, match=message):
        services.export_request(
            spec=services.ExportSpec(**values),  # type: ignore[arg-type]
            by=user("steward"),
            enqueue=False,
        )
    assert Export.objects.count() == before


def test_training_records_leave_k_anonymous_with_rule_hierarchies(checker: Any) -> None:
    export = services.export_request(
        spec=services.ExportSpec(
            dataset="training-records",
            jurisdiction="US",
            destination="ID",
            purpose="research",
            columns=("teacher", "country", "programme", "start", "status", "credential"),
            k=5,
            suppression=0.1,
        ),
        by=user("steward"),
        enqueue=False,
    )
    export = services.export_build(export.pk)
    assert export.status == ExportStatus.DRAFT, export.error
    release = read(export)
    assert export.decision["rule"] == FERPA_RULE
    assert checker.k_anonymity(release, ["country", "programme", "start"]) >= 5
    total = len(dataset_get("training-records").rows())  # type: ignore[union-attr]
    assert len(release) == total - export.report["row_counts"]["suppressed"]
