"""The published API contract (docs/centre-api.json) is what the receiver serves."""

from __future__ import annotations

import json
from pathlib import Path

from centre.api.openapi import openapi_document, render

DOC = Path(__file__).resolve().parents[2] / "docs" / "centre-api.json"


def test_the_committed_openapi_document_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), "run: .venv/bin/python scripts/export_openapi.py"


def test_the_contract_names_every_endpoint_and_its_refusals() -> None:
    document = openapi_document()
    paths = document["paths"]
    assert set(paths) == {"/v1/submissions", "/v1/heartbeats", "/v1/health"}
    submit = paths["/v1/submissions"]["post"]
    assert {"200", "401", "403", "409", "413", "422"} <= set(submit["responses"])
    assert submit["security"] == [{"DeviceToken": []}]
    schemas = document["components"]["schemas"]
    assert {"SubmissionBatch", "SubmissionAck", "Heartbeat", "RatingPayload"} <= set(schemas)
    assert json.dumps(schemas["Heartbeat"]).count("phone") == 0  # nothing a citizen typed
