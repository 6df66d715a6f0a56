"""JSON Schema of every record kind and of the manifest and index shard, for publishers other than ours.

`scripts/export_schema.py` writes them to docs/schema/; a test keeps the committed files current.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

from pydantic import BaseModel

from feed.format.manifest import Manifest, Shard
from feed.schema import MODEL_BY_KIND

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def exported_models() -> dict[str, type[BaseModel]]:
    """File stem → model: one per record kind, then the two wire-format documents."""
    models = {kind: cast("type[BaseModel]", model) for kind, model in MODEL_BY_KIND.items()}
    models["manifest"] = Manifest
    models["shard"] = Shard
    return models


def schema_of(model: type[BaseModel]) -> dict[str, Any]:
    # Validation mode: what a publisher may send (defaults may be left out), as the client parses it.
    return {"$schema": JSON_SCHEMA_DIALECT, **model.model_json_schema(mode="validation")}


def render_all() -> dict[str, str]:
    """File name → exact text, so writing and checking use the same bytes."""
    return {
        f"{stem}.schema.json": json.dumps(schema_of(model), ensure_ascii=False, indent=2) + "\n"
        for stem, model in exported_models().items()
    }


def stale_files(directory: Path) -> list[str]:
    """Names under `directory` that are missing or differ from what the models say now."""
    stale = []
    for name, text in render_all().items():
        path = directory / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    return stale


def write_all(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_all().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
