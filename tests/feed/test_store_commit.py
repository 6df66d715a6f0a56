"""The store's write side: snapshots, diffs, rollback, objects, sync state, lock, broken files."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from feed.errors import FeedError, FeedRejectedError
from feed.format.canonical import sha256_hex
from feed.schema import Guide, blobs_of
from feed.store import Store
from tests.feed.store_samples import base_records, guide, hashed, item, manifest, manifest_bytes
from tests.feed.sync_kit import sample_records


def commit(store: Store, sequence: int, records: list) -> None:  # type: ignore[type-arg]
    m = manifest(sequence)
    store.commit_snapshot(m, manifest_bytes(m), hashed(records))


def rids(path: Path) -> dict[tuple[str, str], int]:
    with sqlite3.connect(path) as conn:
        return {(k, i): r for r, k, i in conn.execute("SELECT rid, kind, id FROM records")}


def test_empty_store_has_no_snapshot(tmp_path: Path) -> None:
    with Store.open(tmp_path / "cache") as store:
        assert store.current() is None
        assert store.record_hashes() == {}
        assert store.sync_state().last_attempt is None
    assert (tmp_path / "cache" / "objects").is_dir()


def test_commit_then_reopen_reads_back(tmp_path: Path) -> None:
    records = base_records()
    with Store.open(tmp_path) as store:
        commit(store, 3, records)
    with Store.open(tmp_path) as store:
        info = store.current()
        assert info is not None
        assert (info.feed_id, info.sequence) == ("qinghe", 3)
        assert info.manifest_sha256 == sha256_hex(manifest_bytes(manifest(3)))
        assert store.manifest_bytes() == manifest_bytes(manifest(3))
        assert store.record_hashes() == {(r.kind, r.id): sha for sha, r in hashed(records)}


def test_one_changed_record_touches_only_its_row(tmp_path: Path) -> None:
    records = base_records()
    with Store.open(tmp_path) as store:
        commit(store, 1, records)
        before = rids(store.path)
        changed = [r for r in records if r.id != "pension-claim"]
        changed.append(guide("pension-claim", "城乡居民养老保险待遇申领（新）"))
        changed = [r for r in changed if r.id != "final-2025"]
        changed.append(item("new-item", "新增公开事项"))
        commit(store, 2, changed)
        after = rids(store.path)
    kept = set(before) - {("guide", "pension-claim"), ("item", "final-2025")}
    assert all(after[key] == before[key] for key in kept)
    assert after[("guide", "pension-claim")] != before[("guide", "pension-claim")]
    assert ("item", "final-2025") not in after
    assert ("item", "new-item") in after


def test_rollback_is_refused_and_keeps_the_snapshot(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        commit(store, 5, base_records())
        hashes = store.record_hashes()
        with pytest.raises(FeedRejectedError, match="rollback"):
            commit(store, 4, [item("other", "另一个")])
        assert store.current().sequence == 5  # type: ignore[union-attr]
        assert store.record_hashes() == hashes
        commit(store, 5, base_records())  # the same sequence again is allowed (re-sync)


def test_duplicate_record_in_snapshot_is_rejected(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store, pytest.raises(FeedRejectedError, match="twice"):
        commit(store, 1, [item("a", "甲"), item("a", "乙")])


def test_objects_are_verified_before_they_are_stored(tmp_path: Path) -> None:
    data = "清河区政务公开".encode()
    digest = sha256_hex(data)
    with Store.open(tmp_path) as store:
        with pytest.raises(FeedRejectedError, match="size mismatch"):
            store.objects.put(digest, len(data) + 1, data, blob=True)
        with pytest.raises(FeedRejectedError, match=f"object {digest[:12]} hash mismatch"):
            store.objects.put(digest, len(data), data[:-1] + b"?", blob=False)
        assert not store.objects.has(digest)
        store.objects.put(digest, len(data), data, blob=True)
        assert (tmp_path / "objects" / digest[:2] / digest).read_bytes() == data
        assert store.objects.read(digest) == data
        record = b'{"kind":"hall"}'
        store.objects.put(sha256_hex(record), len(record), record, blob=False)  # a row, not a file
        assert store.objects.read(sha256_hex(record)) == record
        assert not (tmp_path / "objects" / sha256_hex(record)[:2]).exists()
        others = [sha256_hex(b"old")]
        store.objects.put(others[0], 3, b"old", blob=True)
        store.objects.put(sha256_hex(b"old row"), 7, b"old row", blob=False)
        others.append(sha256_hex(b"old row"))
        assert store.gc([digest, sha256_hex(record)]) == 2
        assert store.objects.has(digest) and store.objects.has(sha256_hex(record))
        assert not any(store.objects.has(sha) for sha in others)


def test_record_attempt_keeps_the_history_a_status_screen_needs(tmp_path: Path) -> None:
    first = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    later = datetime(2026, 11, 25, 9, 5, tzinfo=UTC)
    with Store.open(tmp_path) as store:
        store.record_attempt(at=first, source="http://127.0.0.1/", error=None, etag='"a"', success=True)
        store.record_attempt(at=later, source="http://127.0.0.1/", error="timeout after 20 s")
        state = store.sync_state()
    assert state.last_success == first
    assert state.last_attempt == later
    assert state.last_error == "timeout after 20 s"
    assert state.etag == '"a"'
    assert state.source == "http://127.0.0.1/"


def test_only_one_sync_lock_at_a_time(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store, Store.open(tmp_path) as other:
        with store.sync_lock(), pytest.raises(FeedError, match="another sync is running"), other.sync_lock():
            pass
        with other.sync_lock():
            pass


def test_corrupt_database_is_set_aside_whole_and_replaced_saying_so(tmp_path: Path) -> None:
    junk = b"this is not an sqlite database" * 200
    (tmp_path / "store.db").write_bytes(junk)
    with Store.open(tmp_path) as store:
        assert store.current() is None
        note = str(store.health()["repair_note"])
    [aside] = tmp_path.glob("store.db.damaged-*")
    assert aside.read_bytes() == junk
    assert "store.db was damaged" in note and "file is not a database" in note and aside.name in note


def test_a_store_of_another_schema_version_is_set_aside_not_refused(tmp_path: Path) -> None:
    Store.open(tmp_path).close()
    with sqlite3.connect(tmp_path / "store.db") as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    with Store.open(tmp_path) as store:
        assert store.current() is None and store.rebuild_pending()
        note = str(store.health()["repair_note"])
    [aside] = tmp_path.glob("store.db.outdated-*[0-9]Z")
    assert "store.db was outdated" in note and "schema version 99, this program uses 2" in note
    assert aside.name in note


def test_foreign_sqlite_file_is_not_touched(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "store.db") as conn:
        conn.execute("CREATE TABLE mine (x)")
    with pytest.raises(FeedError, match="not a hall-feed store"):
        Store.open(tmp_path)


def test_cache_path_that_is_a_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(FeedError, match="cache directory"):
        Store.open(tmp_path / "file")


def test_blobs_read_from_stored_json_are_those_the_records_refer_to(tmp_path: Path) -> None:
    """A sync takes the blob references of records it does not re-parse from their stored JSON; they
    must be exactly what the models say (feed.schema.blobs_of), images and guide forms alike."""
    records, _ = sample_records()
    with Store.open(tmp_path) as store:
        commit(store, 1, records)
        keys = set(store.record_hashes())
        stored = sorted(store.stored_blobs(keys))
        expected = sorted((blob.sha256, blob.size) for record in records for blob in blobs_of(record))
        assert stored == expected and any(isinstance(r, Guide) and blobs_of(r) for r in records)
        assert store.stored_blobs({("item", "no-such-item")}) == []
