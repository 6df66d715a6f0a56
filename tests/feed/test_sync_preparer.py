"""Records prepared by the helper process make the same store as records prepared in the commit."""

from __future__ import annotations

import base64
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from feed.format.canonical import sha256_hex
from feed.publish.writer import record_bytes
from feed.schema import Item, parse_record
from feed.store.reader import StoreReader
from feed.store.snapshot import Prepared
from feed.sync import engine
from feed.sync.preparer import Preparer
from tests.feed.sync_kit import Publisher, sample_records

TABLES = ("records", "record_json", "facets", "catalog_paths", "search_initials", "search_slots")


def dump(cache: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(cache / "store.db")
    try:
        tables = {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall()) for t in TABLES}
        tables["title_fts"] = sorted(conn.execute("SELECT rowid, title, keywords FROM title_fts").fetchall())
        tables["body_fts"] = sorted(conn.execute("SELECT rowid, body FROM body_fts").fetchall())
        return tables
    finally:
        conn.close()


def test_helper_returns_what_the_commit_would_compute() -> None:
    records, _ = sample_records()
    misfiled = next(r for r in records if isinstance(r, Item))
    preparer = Preparer()
    expected = {}
    for record in records:
        if record is misfiled:
            continue
        data = record_bytes(record)
        sha = sha256_hex(data)
        preparer.submit(sha, record.kind, record.id, data)
        expected[sha] = Prepared(sha, record)
    # Each of these is skipped, never an error: the engine checks it again and reports why it fails.
    preparer.submit("0" * 64, "item", "x", b"{not a record")
    data = record_bytes(misfiled)
    preparer.submit(sha256_hex(data), "item", "another-id", data)  # not the record its entry names
    # The same member twice, with the same value: only the strict JSON check refuses it.
    twice = data.replace(b'"kind":', f'"id":"{misfiled.id}","kind":'.encode(), 1)
    assert twice != data and parse_record(twice).id == misfiled.id
    preparer.submit(sha256_hex(twice), misfiled.kind, misfiled.id, twice)
    got = preparer.finish()
    assert set(got) == set(expected)
    for sha, prepared in expected.items():
        assert vars(got[sha]) == vars(prepared)


def test_sync_with_the_helper_makes_the_same_store(
    publisher: Publisher, sync: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records, blobs = sample_records()
    publisher.publish(records, blobs, sequence=1)
    plain, helped = tmp_path / "plain", tmp_path / "helped"
    assert sync(cache=plain).outcome == "updated"
    started: list[Preparer] = []
    monkeypatch.setattr(engine, "Preparer", lambda: started.append(Preparer()) or started[-1])
    assert sync(cache=helped, helper_min_records=1).outcome == "updated"
    assert started and started[0].results, "the helper prepared the records"
    assert dump(helped) == dump(plain)


@pytest.mark.slow
def test_an_app_syncing_beside_its_ui_never_loads_the_pinyin_dictionaries(
    publisher: Publisher, server: Any, tmp_path: Path, pubkey: Any
) -> None:
    """With helper_min_records=1 (the kiosk's and the display's pollers) even a one-item change is
    prepared by the helper: pypinyin's import holds the GIL for ~1 s, which froze the kiosk's
    frames for up to 0.9 s at the first content change after a start."""
    records, blobs = sample_records()
    publisher.publish(records, blobs, sequence=1)
    cache = tmp_path / "cache"
    key = tmp_path / "feed.pub"
    key.write_text("ed25519-public:" + base64.b64encode(bytes(pubkey)).decode("ascii"), encoding="utf-8")
    script = f"""
import sys
from pathlib import Path
from feed.format.signing import load_public_key
from feed.sync import SyncSettings, sync_once
key = load_public_key(Path({str(key)!r}))
result = sync_once(SyncSettings({server.url!r}, Path({str(cache)!r}), pubkey=key, helper_min_records=1))
print(result.outcome, result.records_checked, "pypinyin" in sys.modules)
"""
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert first.stdout.split() == ["updated", str(len(records)), "False"]

    item = next(r for r in records if isinstance(r, Item))
    records[records.index(item)] = item.model_copy(update={"title": "关于社会保障卡换领的通知"})
    publisher.publish(records, blobs, sequence=2)
    second = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert second.stdout.split() == ["updated", "1", "False"]
    with StoreReader.open(cache) as reader:
        assert [hit.id for hit in reader.search("shbzk")] == [item.id]  # keys built by the helper
