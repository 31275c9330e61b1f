"""Governance pages and API: stewards see policies, the registry and exports; the check form and
API name the deciding rule; only data stewards act, node administrators only look."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

from edubridge.accounts.models import User
from edubridge.governance.models import Export, ExportStatus, ModelCard

pytestmark = pytest.mark.usefixtures("demo_network")


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_steward_sees_every_policy_rule_with_its_citation_marked_as_example() -> None:
    page = signed_in("steward").get("/governance/").content.decode()
    for policy in ("example-eu-gdpr", "example-cn-pipl", "example-us-ferpa"):
        assert policy in page
    assert "Example, not legal advice." in page
    assert "Art. 46(2)(c) (standard data protection clauses)" in page
    assert "exchange.Application.first_generation" in page  # datasets beside the policies


def test_the_registry_page_lists_every_model_field_with_class_and_purpose() -> None:
    page = signed_in("admin").get("/governance/registry/").content.decode()
    assert "exchange.Application" in page
    assert "optional; only for soft quotas a programme declares" in page
    assert "tag-sensitive" in page


def test_a_broken_policy_file_in_the_node_folder_is_shown_not_enforced(
    settings: object, tmp_path: Path
) -> None:
    (tmp_path / "bad.yaml").write_text("schema: edubridge-export-policy/1\nid: Bad\n")
    settings.GOVERNANCE_POLICY_DIR = tmp_path  # type: ignore[attr-defined]
    page = signed_in("steward").get("/governance/").content.decode()
    assert "bad.yaml" in page
    assert "example-eu-gdpr" in page


def test_the_check_form_names_the_deciding_rule() -> None:
    client = signed_in("steward")
    page = client.post(
        "/governance/check/",
        {
            "jurisdiction": "CN",
            "destination": "US",
            "purpose": "research",
            "data_class": "minor-sensitive",
        },
    ).content.decode()
    assert "Refused" in page
    assert "example-cn-pipl@" in page
    allowed = client.post(
        "/governance/check/",
        {
            "jurisdiction": "EU",
            "destination": "FR",
            "purpose": "research",
            "dataset": "exchange-applications",
            "pseudonymized": "1",
            "k": "5",
            "l": "2",
        },
    ).content.decode()
    assert "Allowed" in allowed
    bad = client.post(
        "/governance/check/", {"jurisdiction": "EU", "destination": "FR", "purpose": "x", "k": "a"}
    )
    assert bad.status_code == 400


def test_the_check_api_returns_the_rule_and_its_citation() -> None:
    body = (
        signed_in("steward")
        .post(
            "/api/governance/check",
            data=json.dumps(
                {
                    "jurisdiction": "EU",
                    "destination": "JP",
                    "purpose": "research",
                    "fields": {"x": "personal"},
                    "pseudonymized": True,
                }
            ),
            content_type="application/json",
        )
        .json()
    )
    assert body["allowed"] is True
    assert body["rule"] == "example-eu-gdpr@2026.1#personal-adequacy"
    assert "Art. 45" in body["cites"][0]


def test_a_steward_builds_an_export_through_the_form_and_a_second_one_approves() -> None:
    client = signed_in("steward")
    response = client.post(
        "/governance/exports/new/",
        {
            "dataset": "exchange-participations",
            "jurisdiction": "EU",
            "destination": "GB",
            "purpose": "research",
            "kind": "records",
            "columns": ["participant", "sending_country", "host_country", "field", "status"],
            "pseudonymize": "1",
            "k": "5",
        },
    )
    assert response.status_code == 302
    export = Export.objects.latest("created_at")
    assert export.status == ExportStatus.BUILDING
    page = client.get(response["Location"])
    assert page["Refresh"] == "3"
    from edubridge.governance.services import export_build

    export_build(export.pk)
    assert client.get(f"/governance/exports/{export.pk}/file.csv").status_code == 403
    own = client.post(f"/governance/exports/{export.pk}/approve/", {"confirm_conditions": "1"})
    assert own.status_code == 400
    assert "second data steward" in own.content.decode()
    other = signed_in("steward2")
    other.post(f"/governance/exports/{export.pk}/approve/", {"confirm_conditions": "1"})
    other.post(f"/governance/exports/{export.pk}/release/")
    download = client.get(f"/governance/exports/{export.pk}/file.csv")
    assert download.status_code == 200
    assert download.content.startswith(b"participant,")
    manifest = client.get(f"/governance/exports/{export.pk}/manifest.json").json()
    assert manifest["signature"]["algorithm"] == "Ed25519"


def test_a_refused_export_form_says_why_and_stores_nothing() -> None:
    before = Export.objects.count()
    response = signed_in("steward").post(
        "/governance/exports/new/",
        {
            "dataset": "exchange-participations",
            "jurisdiction": "EU",
            "destination": "BR",
            "purpose": "research",
            "kind": "records",
            "pseudonymize": "1",
            "k": "5",
            "l": "2",
        },
    )
    assert response.status_code == 400
    assert "example-eu-gdpr@2026.1#" in response.content.decode()
    assert Export.objects.count() == before


def test_the_export_api_refuses_with_the_reason_and_accepts_valid_requests() -> None:
    client = signed_in("steward")
    refused = client.post(
        "/api/governance/exports",
        data=json.dumps(
            {
                "dataset": "exchange-participations",
                "jurisdiction": "EU",
                "destination": "GB",
                "purpose": "research",
                "columns": ["nope"],
            }
        ),
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert "unknown column 'nope'" in refused.json()["detail"]
    accepted = client.post(
        "/api/governance/exports",
        data=json.dumps(
            {
                "dataset": "exchange-applications",
                "jurisdiction": "EU",
                "destination": "FR",
                "purpose": "statistics",
                "kind": "histogram",
                "group_by": "matched",
                "epsilon": 0.1,
            }
        ),
        content_type="application/json",
    )
    assert accepted.status_code == 202, accepted.content
    assert accepted.json()["status"] == "building"
    assert client.get("/api/governance/budgets").status_code == 200


@pytest.mark.parametrize("name", ["learner", "exchange", "teacher"])
def test_people_without_a_governance_role_are_kept_out(name: str) -> None:
    client = signed_in(name)
    for path in ("/governance/", "/governance/exports/", "/governance/budgets/"):
        assert client.get(path).status_code == 403
    assert client.get("/api/governance/policies").status_code == 403
    assert client.get("/api/governance/exports").status_code == 403


def test_node_administrators_look_but_do_not_build_or_approve() -> None:
    client = signed_in("admin")
    assert client.get("/governance/exports/").status_code == 200
    assert client.get("/governance/exports/new/").status_code == 403
    export = Export.objects.filter(status=ExportStatus.DRAFT).first()
    if export is not None:
        assert client.post(f"/governance/exports/{export.pk}/approve/").status_code == 403
    api = client.post(
        "/api/governance/exports",
        data=json.dumps(
            {
                "dataset": "exchange-participations",
                "jurisdiction": "EU",
                "destination": "FR",
                "purpose": "research",
            }
        ),
        content_type="application/json",
    )
    assert api.status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in() -> None:
    assert Client().get("/governance/").status_code == 302


def test_model_cards_render_as_a_page_and_as_json() -> None:
    ModelCard.objects.create(
        name="demo-model",
        version="1.0",
        intended_use="testing",
        training_data="synthetic",
        metrics={"auc": 0.7},
        limits=["not for grading"],
        ethical_considerations="care",
        bias_audit={
            "method": {"bootstrap_resamples": 10, "min_group": 30, "threshold": 0.5},
            "by_attribute": {
                "g": {
                    "groups": [],
                    "too_small": [{"group": "tiny", "n": 3, "reason": "3 predictions"}],
                    "abroca": [],
                }
            },
        },
    )
    client = signed_in("learner")
    page = client.get("/governance/model-cards/demo-model/1.0/").content.decode()
    assert "Too small to judge: tiny" in page
    body = client.get("/api/governance/model-cards/demo-model/1.0").json()
    assert body["limits"] == ["not for grading"]


def test_the_openapi_document_describes_the_governance_api() -> None:
    schema = Client().get("/api/openapi.json").json()
    paths = schema["paths"]
    assert "/api/governance/check" in paths
    assert "/api/governance/exports/{export_id}/approve" in paths
    assert "/api/governance/model-cards/{name}/{version}" in paths
