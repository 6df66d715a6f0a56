"""The protocol says what the client checks: every rule is stated in docs/feed-protocol.md and in the
exported JSON Schemas (from the one source, the models), a publisher's own JSON Schema validator
refuses what the client refuses wherever JSON Schema can say it, and the meanings a publisher needs
(same-sequence re-publication, shard order, what targets name) are defined and hold."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from nacl.signing import SigningKey

from feed.assets import assets_dir
from feed.dev.schema_export import exported_models, render_all
from feed.publish.build import build
from feed.publish.source import load_source
from feed.publish.writer import record_bytes
from feed.schema import KINDS
from tests.feed.authoring_kit import edit, problems_of, write_tiny_source
from tests.feed.sync_kit import HeldFeed, raw_records, sample_records, signed_manifest_bytes

ROOT = Path(__file__).resolve().parents[2]
PROTOCOL = ROOT / "docs" / "feed-protocol.md"


def validator(stem: str) -> Draft202012Validator:
    schema = json.loads(render_all()[f"{stem}.schema.json"])
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def models_in(model: Any, seen: set[Any] | None = None) -> Iterator[Any]:
    """`model` and every model nested in its fields."""
    seen = seen if seen is not None else set()
    if model in seen:
        return
    seen.add(model)
    yield model
    for field in model.model_fields.values():
        for inner in _types_in(field.annotation):
            if hasattr(inner, "model_fields"):
                yield from models_in(inner, seen)


def _types_in(annotation: Any) -> Iterator[Any]:
    yield annotation
    for argument in getattr(annotation, "__args__", ()):
        yield from _types_in(argument)


# ------------------------------------------------------------------------------ stated once, everywhere


def test_every_rule_of_the_models_and_of_the_feed_is_in_the_protocol_document() -> None:
    from feed.format.validation import FEED_RULES

    text = " ".join(PROTOCOL.read_text(encoding="utf-8").split()).lower()
    stated = [rule.text for root in exported_models().values() for m in models_in(root) for rule in m.RULES]
    assert len(stated) >= 10
    for rule in [*stated, *FEED_RULES]:
        assert rule.lower() in text, f"docs/feed-protocol.md does not state: {rule}"


@pytest.mark.parametrize("kind", KINDS)
def test_kind_is_required_in_every_record_schema(kind: str) -> None:
    schema = json.loads(render_all()[f"{kind}.schema.json"])
    assert "kind" in schema["required"] and schema["properties"]["kind"]["const"] == kind


@pytest.mark.parametrize(
    ("stem", "member", "default"),
    [
        ("hall", "windows", []),
        ("headline", "dayparts", []),
        ("headline", "targets", {"halls": [], "groups": []}),
        ("item", "targets", {"halls": [], "groups": []}),
        ("guide", "online", {"available": False, "depth": "none", "url": None, "visits": 1}),
        ("guide", "fees", {"charged": False, "items": []}),
        ("guide", "contacts", {"consult_phone": None, "complaint_phone": None}),
        ("manifest", "signatures", []),
    ],
)
def test_the_schemas_state_every_default(stem: str, member: str, default: Any) -> None:
    stated = json.loads(render_all()[f"{stem}.schema.json"])["properties"][member]["default"]
    if isinstance(default, dict):
        assert default.items() <= stated.items(), stated
    else:
        assert stated == default


def test_a_day_part_states_its_meaning_and_its_default_weekdays() -> None:
    day_part = json.loads(render_all()["headline.schema.json"])["$defs"]["DayPart"]
    assert day_part["properties"]["weekdays"]["default"] == [1, 2, 3, 4, 5, 6, 7]
    for words in ("1 = Monday", "hall's time zone", "start equal to end means the whole day"):
        assert words in json.dumps(day_part, ensure_ascii=False)


# ------------------------------------------------------------------------------ a CMS validating first


@pytest.mark.slow
def test_every_demo_record_passes_the_exported_schemas(tmp_path: Path) -> None:
    for record in load_source(assets_dir() / "demo").records:
        errors = list(validator(record.kind).iter_errors(json.loads(record_bytes(record))))
        assert errors == [], (record.kind, record.id, [e.message for e in errors])


def valid_record(kind: str) -> dict[str, Any]:
    records, _ = sample_records()
    return json.loads(next(data for k, _, data in raw_records(records) if k == kind))


REVIEW = {"status": "approved", "reviewed_by": "办公室", "reviewed_on": "2025-01-02"}
BREAKING = [
    ("guide", {"handling_type": "immediate"}, "an immediate (即办件) guide must promise 0 days"),
    (
        "guide",
        {"fees": {"charged": False, "items": [{"name": "工本费", "standard": "10元"}]}},
        "charged is false",
    ),
    ("headline", {"emergency": True, "valid_until": None}, "needs valid_until"),
    ("item", {"body": "正文\x00尾声"}, "NUL character"),
    ("item", {"title": "标题\t"}, "a tab"),
    ("item", {"published": "9999-01-01"}, "year 9999"),
    (
        "item",
        {
            "review": {
                "status": "approved",
                "reviewed_by": "办公室",
                "reviewed_on": "2025-01-02",
                "confidentiality_checked": False,
            }
        },
        "confidentiality review",
    ),
    ("headline", {"dayparts": [{"start": "09:00+08:00"}]}, "no UTC offset"),
    ("headline", {"priority": "9"}, "valid integer"),
]


@pytest.mark.parametrize(("kind", "change", "client_says"), BREAKING)
def test_a_publishers_json_schema_validator_refuses_what_the_client_refuses(
    kind: str, change: dict[str, Any], client_says: str
) -> None:
    from pydantic import ValidationError

    from feed.schema import parse_record

    record = valid_record(kind) | change
    with pytest.raises(ValidationError, match=re.escape(client_says)):
        parse_record(json.dumps(record, ensure_ascii=False))
    assert list(validator(kind).iter_errors(record)), f"the exported schema accepts {change}"


@pytest.mark.parametrize(
    "change",
    [{"format": None}, {"sequence": "300"}, {"expires": "9999-12-31T23:59:59Z"}, {"sequence": 2**53}],
)
def test_the_manifest_schema_refuses_what_the_client_refuses(change: dict[str, Any]) -> None:
    signed = {
        "format": "hall-feed/1",
        "feed_id": "f",
        "sequence": 1,
        "issued": "2026-01-01T00:00:00Z",
        "expires": "2026-01-31T00:00:00Z",
        "shards": [],
    }
    assert not list(validator("manifest").iter_errors({"signed": signed, "signatures": []}))
    broken = {k: v for k, v in (signed | change).items() if v is not None}
    assert list(validator("manifest").iter_errors({"signed": broken, "signatures": []}))


# ------------------------------------------------------------------------------ defined meanings


def test_format_is_required(held_feed: HeldFeed) -> None:
    records, blobs = sample_records(tag="B")
    signed = held_feed.publisher.publish_raw(raw_records(records), blobs, sequence=6)
    del signed["format"]
    held_feed.publisher.write_manifest(signed_manifest_bytes(signed, held_feed.publisher.key))
    held_feed.refused("signed.format: Field required")


def test_shards_are_listed_in_order_of_kind_then_number(held_feed: HeldFeed) -> None:
    """The order changes the signed bytes; one order, so equal content signs equal bytes."""
    records, blobs = sample_records(tag="B")
    signed = held_feed.publisher.publish_raw(raw_records(records), blobs, sequence=6)
    signed["shards"].reverse()
    held_feed.publisher.write_manifest(signed_manifest_bytes(signed, held_feed.publisher.key))
    held_feed.refused("shards must be listed sorted by kind, then by shard number")


def test_a_missing_empty_shard_reads_the_same_in_verify_and_sync(held_feed: HeldFeed) -> None:
    """They used to report it in two ways; one validation path now serves both."""
    records, blobs = sample_records(200, tag="B")  # 200 items: two item shards
    signed = held_feed.publisher.publish_raw(raw_records(records), blobs, sequence=6)
    items = [ref for ref in signed["shards"] if ref["kind"] == "item"]
    assert len(items) == 2
    signed["shards"].remove(items[0])
    held_feed.publisher.write_manifest(signed_manifest_bytes(signed, held_feed.publisher.key))
    reason = held_feed.refused("item shard 0 is missing")
    assert reason == (
        "item shard 0 is missing (the 1 item shards listed must be numbered 0 to 0, empty ones included)"
    )


def test_a_reformatted_or_re_signed_manifest_of_the_same_sequence_is_unchanged(held_feed: HeldFeed) -> None:
    """Only the signed part matters: the file's layout and its list of signatures may change."""
    manifest = json.loads(held_feed.publisher.manifest_bytes())
    held_feed.publisher.write_manifest(json.dumps(manifest, indent=2, ensure_ascii=False).encode())
    assert held_feed.sync().outcome == "unchanged"
    second = SigningKey(b"2" * 32)
    extra = json.loads(signed_manifest_bytes(manifest["signed"], second))["signatures"]
    manifest["signatures"] += extra
    held_feed.publisher.write_manifest(json.dumps(manifest).encode())
    assert held_feed.sync().outcome == "unchanged"
    manifest["signed"]["expires"] = manifest["signed"]["expires"].replace("Z", "+00:00")  # other bytes
    held_feed.publisher.write_manifest(signed_manifest_bytes(manifest["signed"], held_feed.publisher.key))
    result = held_feed.sync()
    assert result.outcome == "failed" and "re-published with different content" in str(result.reason)


def test_targets_name_hall_records_of_the_feed(held_feed: HeldFeed, tmp_path: Path) -> None:
    held_feed.publish_with_record(
        "item", lambda record: record.update(targets={"halls": ["hall-typo"], "groups": []})
    )
    held_feed.refused("targets.halls names 'hall-typo', which is no hall record of this feed")
    held_feed.publish_with_record(
        "item", lambda record: record.update(targets={"halls": ["hall"], "groups": []})
    )
    assert held_feed.sync().outcome == "updated"


def test_the_builder_refuses_targets_naming_no_hall_of_the_feed(tmp_path: Path) -> None:
    src = write_tiny_source(tmp_path / "src")
    edit(
        src / "headlines.yaml",
        "  text: 欢迎来到青禾市政务服务中心\n",
        "  text: 欢迎\n  targets: {halls: [tiny-hal]}\n",
    )
    assert problems_of(src) == [
        f"{src / 'headlines.yaml'}:3: headline 'hl-welcome': targets.halls[0]: names 'tiny-hal', which is"
        " no hall record of this feed"
    ]
    edit(src / "headlines.yaml", "tiny-hal]", "tiny-hall]")
    assert build(src, tmp_path / "out", None).manifest.signed.sequence >= 1


def test_a_held_record_checked_under_older_rules_is_checked_again_and_never_crashes_a_reader(
    held_feed: HeldFeed, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An older version, without the control-character rule, synced an item with a NUL. After the
    upgrade the reader leaves that item out instead of failing, and the next sync re-checks every
    held record (read back from the cache) and says what is wrong, though the manifest is the same."""
    import sqlite3

    from feed.schema import text
    from feed.store import STORE_NAME
    from feed.store.reader import StoreReader

    held_feed.publish_with_record("item", lambda record: record.update(body="已发布\x00（本条已撤销）"))
    with monkeypatch.context() as older:
        older.setattr(text.PARAGRAPHS, "search", lambda value: None)
        assert held_feed.sync().outcome == "updated"
    with sqlite3.connect(held_feed.cache / STORE_NAME) as conn:
        conn.execute("DELETE FROM meta WHERE key = 'rules_version'")  # as the older version left it
    conn.close()
    with StoreReader.open(held_feed.cache) as reader:
        assert reader.item("item-000") is None and reader.item("item-001") is not None
    result = held_feed.sync()
    assert result.outcome == "failed" and "item.body: contains a NUL character" in str(result.reason)
    with StoreReader.open(held_feed.cache) as reader:
        assert "contains a NUL character" in str(reader.status().last_error)


def test_key_files_are_one_line_with_spaces_around_ignored(tmp_path: Path) -> None:
    from feed.errors import ConfigError
    from feed.format.signing import PUBLIC_PREFIX, load_public_key

    key = SigningKey(b"k" * 32).verify_key
    import base64

    line = PUBLIC_PREFIX + base64.b64encode(bytes(key)).decode()
    path = tmp_path / "feed.pub"
    for text in (line, line + "\n", f"  {line}\r\n\n"):
        path.write_text(text, encoding="utf-8")
        assert bytes(load_public_key(path)) == bytes(key)
    for text, reason in (
        (line + "\n# comment\n", "not valid base64"),
        ("\ufeff" + line, "expected a line starting with 'ed25519-public:'"),
        (line.rstrip("="), "not valid base64"),
    ):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError, match=reason):
            load_public_key(path)
