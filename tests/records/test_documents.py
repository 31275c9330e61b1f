"""State, activity profile and agent profile documents, with ETag concurrency."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from tests.records.conftest import Xapi

AGENT = {"objectType": "Agent", "mbox": "mailto:ana@example.org"}
ACTIVITY = "http://example.org/items/7"


def state_params(**extra: Any) -> dict[str, Any]:
    return {"activityId": ACTIVITY, "agent": AGENT, "stateId": "progress", **extra}


def test_state_put_then_get_returns_the_document_with_an_etag(xapi: Xapi) -> None:
    assert xapi.put("activities/state", {"step": 3}, params=state_params()).status_code == 204
    response = xapi.get("activities/state", params=state_params())
    assert response.status_code == 200
    assert json.loads(response.content) == {"step": 3}
    assert response["ETag"].startswith('"')
    assert response["ETag"].endswith('"')


def test_state_is_kept_apart_per_registration(xapi: Xapi) -> None:
    registration = str(uuid.uuid4())
    xapi.put("activities/state", {"a": 1}, params=state_params(registration=registration))
    assert xapi.get("activities/state", params=state_params()).status_code == 404


def test_state_without_state_id_lists_ids_since(xapi: Xapi) -> None:
    xapi.put("activities/state", {"a": 1}, params=state_params(stateId="one"))
    xapi.put("activities/state", {"b": 2}, params=state_params(stateId="two"))
    listed = xapi.get("activities/state", params={"activityId": ACTIVITY, "agent": AGENT}).json()
    assert set(listed) == {"one", "two"}
    later = xapi.get(
        "activities/state",
        params={"activityId": ACTIVITY, "agent": AGENT, "since": "2999-01-01T00:00:00Z"},
    ).json()
    assert later == []


def test_state_delete_without_state_id_deletes_all_in_scope(xapi: Xapi) -> None:
    xapi.put("activities/state", {"a": 1}, params=state_params(stateId="one"))
    xapi.put("activities/state", {"b": 2}, params=state_params(stateId="two"))
    scope = {"activityId": ACTIVITY, "agent": AGENT}
    assert xapi.delete("activities/state", params=scope).status_code == 204
    assert xapi.get("activities/state", params=scope).json() == []


def test_post_merges_json_objects(xapi: Xapi) -> None:
    xapi.post("activities/state", {"a": 1, "b": 1}, params=state_params())
    xapi.post("activities/state", {"b": 2, "c": 3}, params=state_params())
    got = json.loads(xapi.get("activities/state", params=state_params()).content)
    assert got == {"a": 1, "b": 2, "c": 3}


def test_post_cannot_merge_into_a_non_json_document(xapi: Xapi) -> None:
    xapi.request(
        "PUT", "activities/state", params=state_params(), raw=b"text", content_type="text/plain"
    )
    assert xapi.post("activities/state", {"a": 1}, params=state_params()).status_code == 400


def test_binary_documents_keep_their_content_type(xapi: Xapi) -> None:
    xapi.request(
        "PUT", "activities/state", params=state_params(), raw=b"\x00\x01", content_type="image/png"
    )
    response = xapi.get("activities/state", params=state_params())
    assert response.content == b"\x00\x01"
    assert response["Content-Type"] == "image/png"


def test_missing_required_parameters_are_rejected(xapi: Xapi) -> None:
    assert xapi.get("activities/state", params={"agent": AGENT}).status_code == 400
    assert xapi.get("activities/state", params={"activityId": ACTIVITY}).status_code == 400
    assert (
        xapi.put(
            "activities/state", {}, params={"activityId": ACTIVITY, "agent": AGENT}
        ).status_code
        == 400
    )


PROFILES = [
    ("activities/profile", {"activityId": ACTIVITY, "profileId": "p"}),
    ("agents/profile", {"agent": AGENT, "profileId": "p"}),
]


@pytest.mark.parametrize(("path", "params"), PROFILES)
def test_profile_put_get_delete(xapi: Xapi, path: str, params: dict[str, Any]) -> None:
    assert xapi.put(path, {"x": 1}, params=params).status_code == 204
    assert json.loads(xapi.get(path, params=params).content) == {"x": 1}
    assert xapi.delete(path, params=params).status_code == 204
    assert xapi.get(path, params=params).status_code == 404


@pytest.mark.parametrize(("path", "params"), PROFILES)
def test_put_over_existing_without_precondition_is_409(
    xapi: Xapi, path: str, params: dict[str, Any]
) -> None:
    xapi.put(path, {"x": 1}, params=params)
    response = xapi.put(path, {"x": 2}, params=params)
    assert response.status_code == 409
    assert response.json()["error"]
    assert json.loads(xapi.get(path, params=params).content) == {"x": 1}


@pytest.mark.parametrize(("path", "params"), PROFILES)
def test_if_match_with_current_etag_replaces(xapi: Xapi, path: str, params: dict[str, Any]) -> None:
    xapi.put(path, {"x": 1}, params=params)
    etag = xapi.get(path, params=params)["ETag"]
    assert xapi.put(path, {"x": 2}, params=params, headers={"If-Match": etag}).status_code == 204
    assert json.loads(xapi.get(path, params=params).content) == {"x": 2}


@pytest.mark.parametrize(("path", "params"), PROFILES)
def test_if_match_with_stale_etag_is_412(xapi: Xapi, path: str, params: dict[str, Any]) -> None:
    xapi.put(path, {"x": 1}, params=params)
    response = xapi.put(path, {"x": 2}, params=params, headers={"If-Match": '"stale"'})
    assert response.status_code == 412


@pytest.mark.parametrize(("path", "params"), PROFILES)
def test_if_none_match_star_on_existing_is_412(
    xapi: Xapi, path: str, params: dict[str, Any]
) -> None:
    xapi.put(path, {"x": 1}, params=params)
    response = xapi.put(path, {"x": 2}, params=params, headers={"If-None-Match": "*"})
    assert response.status_code == 412


def test_state_put_over_existing_needs_precondition_in_2_0(xapi: Xapi) -> None:
    xapi.put("activities/state", {"a": 1}, params=state_params())
    assert xapi.put("activities/state", {"a": 2}, params=state_params()).status_code == 409


def test_state_put_over_existing_is_allowed_in_1_0_3(make_xapi: Any) -> None:
    old = make_xapi(version="1.0.3")
    old.put("activities/state", {"a": 1}, params=state_params())
    assert old.put("activities/state", {"a": 2}, params=state_params()).status_code == 204


def test_profile_put_of_new_document_needs_a_precondition_in_1_0_3(make_xapi: Any) -> None:
    old = make_xapi(version="1.0.3")
    params = {"activityId": ACTIVITY, "profileId": "new"}
    assert old.put("activities/profile", {"a": 1}, params=params).status_code == 400
    created = old.put("activities/profile", {"a": 1}, params=params, headers={"If-None-Match": "*"})
    assert created.status_code == 204


@pytest.mark.parametrize(("path", "params"), PROFILES)
def test_profile_list_returns_ids(xapi: Xapi, path: str, params: dict[str, Any]) -> None:
    xapi.put(path, {"x": 1}, params=params)
    scope = {k: v for k, v in params.items() if k != "profileId"}
    assert xapi.get(path, params=scope).json() == ["p"]
