"""Records prepared by the helper process make the same store as records prepared in the commit."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sync_kit import Publisher, sample_records

from feed.format.canonical import sha256_hex
from feed.publish.writer import record_bytes
from feed.store.snapshot import Prepared
from feed.sync import engine
from feed.sync.preparer import Preparer

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
    preparer = Preparer()
    expected = {}
    for record in records:
        data = record_bytes(record)
        sha = sha256_hex(data)
        preparer.submit(sha, data)
        expected[sha] = Prepared(sha, record)
    preparer.submit("0" * 64, b"{not a record")  # skipped by the helper, never an error
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
    monkeypatch.setattr(engine, "MIN_RECORDS", 1)
    started: list[Preparer] = []
    monkeypatch.setattr(engine, "Preparer", lambda: started.append(Preparer()) or started[-1])
    assert sync(cache=helped).outcome == "updated"
    assert started and started[0].results, "the helper prepared the records"
    assert dump(helped) == dump(plain)
