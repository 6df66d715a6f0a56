"""The receiver's OpenAPI document, as FastAPI generates it: `docs/centre-api.json` is this, written
by `scripts/export_openapi.py` and checked by a test so the published contract cannot drift."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import create_engine

from centre.api.app import create_app
from centre.config import CentreSection


def openapi_document() -> dict[str, Any]:
    """Generated without touching a database (an unused in-memory engine stands in)."""
    app = create_app(CentreSection(), engine=create_engine("sqlite://"), desk=False)
    document: dict[str, Any] = app.openapi()
    return document


def render() -> str:
    return json.dumps(openapi_document(), ensure_ascii=False, indent=2) + "\n"
