"""JSON Schema of every record kind and of the manifest and index shard, for publishers other than ours.

`scripts/export_schema.py` writes them to docs/schema/; a test keeps the committed files current.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, NoDefault
from pydantic_core import core_schema

from feed.format.manifest import Manifest, Shard
from feed.schema import MODEL_BY_KIND

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def exported_models() -> dict[str, type[BaseModel]]:
    """File stem → model: one per record kind, then the two wire-format documents."""
    models = {kind: cast("type[BaseModel]", model) for kind, model in MODEL_BY_KIND.items()}
    models["manifest"] = Manifest
    models["shard"] = Shard
    return models


class _WithEveryDefault(GenerateJsonSchema):
    """States the default of every member a publisher may leave out, those made by a factory too
    (an empty list, a part with its own defaults), so a schema says what a missing member means."""

    def get_default_value(self, schema: core_schema.WithDefaultSchema) -> Any:
        factory = schema.get("default_factory")
        if factory is not None and not schema.get("default_factory_takes_data"):
            return factory()  # type: ignore[call-arg]
        return super().get_default_value(schema) if "default" in schema else NoDefault


def schema_of(model: type[BaseModel]) -> dict[str, Any]:
    # Validation mode: what a publisher may send (defaults may be left out), as the client parses it.
    schema = model.model_json_schema(mode="validation", schema_generator=_WithEveryDefault)
    return {"$schema": JSON_SCHEMA_DIALECT, **schema}


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
