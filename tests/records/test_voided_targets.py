"""Statements that target a voided statement are still returned by queries the target matches."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from tests.records.conftest import Xapi, statement

VOIDED = {"id": "http://adlnet.gov/expapi/verbs/voided"}


def test_referring_and_voiding_statements_match_the_voided_targets_verb(xapi: Xapi) -> None:
    since = (datetime.now(UTC) - timedelta(seconds=4)).isoformat().replace("+00:00", "Z")
    verb = {"id": "http://adlnet.gov/expapi/test/voided/target/1"}
    target = statement(verb=verb)
    xapi.post("statements", target)
    voiding = statement(verb=VOIDED, object={"objectType": "StatementRef", "id": target["id"]})
    xapi.post("statements", voiding)
    time.sleep(0.01)
    referring = statement(verb=verb, object={"objectType": "StatementRef", "id": target["id"]})
    xapi.post("statements", referring)
    response = xapi.get("statements", params={"verb": verb["id"], "since": since})
    found = [s["id"] for s in response.json()["statements"]]
    assert referring["id"] in found
    assert voiding["id"] in found
    assert target["id"] not in found
