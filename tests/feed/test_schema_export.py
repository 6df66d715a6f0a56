"""The JSON Schemas in docs/schema/ are what the models say now, and they describe real feed documents."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from feed.dev.schema_export import exported_models, render_all, stale_files
from feed.publish.source import load_source
from feed.publish.writer import record_bytes
from tests.feed.authoring_kit import write_tiny_source

ROOT = Path(__file__).resolve().parents[2]
DOCS_SCHEMA = ROOT / "docs" / "schema"


def test_committed_schemas_are_up_to_date() -> None:
    assert stale_files(DOCS_SCHEMA) == [], "run: .venv/bin/python scripts/export_schema.py"
    assert sorted(p.name for p in DOCS_SCHEMA.glob("*.json")) == sorted(render_all())


def test_every_kind_and_the_wire_documents_are_exported() -> None:
    assert set(exported_models()) == {"item", "guide", "headline", "catalog", "hall", "manifest", "shard"}
    item = json.loads(render_all()["item.schema.json"])
    assert item["$schema"].endswith("2020-12/schema")
    assert {"id", "node", "title", "review"} <= set(item["required"])
    assert item["$defs"]["Review"]["properties"]["status"]["const"] == "approved"
    assert item["additionalProperties"] is False
    manifest = json.loads(render_all()["manifest.schema.json"])
    assert manifest["$defs"]["SignedManifest"]["properties"]["format"]["const"] == "hall-feed/1"


def test_the_schemas_name_every_field_a_record_carries(tmp_path: Path) -> None:
    """A cheap structural check without a JSON Schema library: every key of a real record is declared."""
    schemas = {
        stem: json.loads(text) for stem, text in ((n.split(".")[0], t) for n, t in render_all().items())
    }
    for record in load_source(write_tiny_source(tmp_path / "src")).records:
        data = json.loads(record_bytes(record))
        declared = set(schemas[record.kind]["properties"])
        assert set(data) <= declared, (record.kind, set(data) - declared)


def test_the_script_checks_and_writes(tmp_path: Path) -> None:
    script = ROOT / "scripts" / "export_schema.py"
    check = [sys.executable, str(script), "--out", str(tmp_path), "--check"]
    stale = subprocess.run(check, capture_output=True, text=True, timeout=60, check=False)
    assert stale.returncode == 1 and "stale:" in stale.stderr
    subprocess.run(
        [sys.executable, str(script), "--out", str(tmp_path)], capture_output=True, timeout=60, check=True
    )
    assert subprocess.run(check, capture_output=True, timeout=60, check=False).returncode == 0
