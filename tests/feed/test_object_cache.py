"""Blob files are written without an fsync each: a run that dies before its flush leaves a marker, and
the next sync deletes and fetches again every blob whose bytes no longer match its name. Shards and
records are rows, re-checked whenever they are read."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from feed.format.canonical import sha256_hex
from feed.format.layout import OBJECTS_DIR
from feed.schema import Item
from feed.store import Store
from feed.store.cachedir import STORE_NAME
from feed.store.objectdb import OBJECTS_DB
from feed.store.objects import UNSYNCED_MARKER, ObjectCache
from tests.feed.feedserver import FeedServer
from tests.feed.sync_kit import Publisher, Snapshot, sample_records, snapshot_of


def marker(cache: Path) -> Path:
    return cache / OBJECTS_DIR / UNSYNCED_MARKER


def test_flush_makes_writes_durable_and_drops_the_marker(tmp_path: Path) -> None:
    objects = ObjectCache(tmp_path)
    blob, record = b"blob bytes", b'{"kind":"hall"}'
    objects.put(sha256_hex(blob), len(blob), blob, blob=True)
    objects.put(sha256_hex(record), len(record), record, blob=False)
    assert marker(tmp_path).is_file()
    objects.flush()
    objects.close()
    assert not marker(tmp_path).exists()
    again = ObjectCache(tmp_path)
    try:
        assert again.recover() == 0  # a clean cache is not re-checked
        assert again.read(sha256_hex(blob)) == blob and again.read(sha256_hex(record)) == record
        assert not [p for p in (tmp_path / OBJECTS_DIR).glob("*/*") if p.name.endswith(".tmp")]
    finally:
        again.close()


def test_blobs_torn_by_a_power_cut_are_fetched_again(
    publisher: Publisher, server: FeedServer, sync: Any, cache: Path, held: Snapshot
) -> None:
    records, blobs = sample_records(tag="B")
    built = publisher.publish(records, blobs, sequence=6)
    # A run that stored every object of B and died before its flush: the marker is still there, and
    # the power cut left blob files under their final names with other bytes (empty, zeros).
    store = Store.open(cache)
    try:
        for sha in built.referenced:
            data = (publisher.root / OBJECTS_DIR / sha[:2] / sha).read_bytes()
            store.objects.put(sha, len(data), data, blob=sha in blobs)
        store.objects.rows.flush()  # the rows' batches were committed
    finally:
        store.close()
    assert marker(cache).is_file()
    empty, zeros = sorted(blobs)[:2]
    torn = {empty: b"", zeros: bytes(len(blobs[zeros]))}
    for sha, data in torn.items():
        (cache / OBJECTS_DIR / sha[:2] / sha).write_bytes(data)

    result = sync()
    assert (result.outcome, result.sequence, result.fetched_objects) == ("updated", 6, 2), result
    assert {r.path.rsplit("/", 1)[-1] for r in server.requests("objects/*")} == set(torn)
    for sha in torn:
        assert (cache / OBJECTS_DIR / sha[:2] / sha).read_bytes() == blobs[sha]
    assert not marker(cache).exists()
    assert snapshot_of(cache).sequence == 6


def test_a_held_record_is_read_only_when_needed_and_fetched_again_if_damaged(
    publisher: Publisher, server: FeedServer, sync: Any, cache: Path, held: Snapshot
) -> None:
    """A record the next snapshot lists unchanged is neither read nor parsed: its rows stay, and only
    the scrub after the commit re-hashes its object, finds the bit rot and fetches it again. When the
    rows must be rebuilt from the cache (here store.db is lost), the held object is read, re-hashed,
    and fetched again too."""
    records, blobs = sample_records()
    position = next(i for i, r in enumerate(records) if isinstance(r, Item))
    item, other = records[position], records[position + 1]
    assert isinstance(item, Item) and isinstance(other, Item)
    sha = held.hashes[("item", item.id)]

    def rot() -> None:  # bit rot: same size, other bytes
        with closing(sqlite3.connect(cache / OBJECTS_DB)) as conn, conn:
            conn.execute("UPDATE objects SET data = zeroblob(length(data)) WHERE sha256 = ?", (sha,))

    rot()
    records[position + 1] = other.model_copy(update={"title": other.title + "（更正）"})
    publisher.publish(records, blobs, sequence=6)

    result = sync()
    assert (result.outcome, result.sequence, result.records_checked) == ("updated", 6, 1), result
    assert result.fetched_objects == 3  # the shard and the changed record, then the rotten one again
    assert [r.path.rsplit("/", 1)[-1] for r in server.requests("objects/*")][-1] == sha
    after = snapshot_of(cache)
    assert after.titles[other.id].endswith("（更正）") and after.titles[item.id] == item.title

    rot()
    server.clear()
    for path in cache.glob(f"{STORE_NAME}*"):  # the database, its WAL and shared memory
        path.unlink()
    result = sync()
    assert (result.outcome, result.sequence) == ("updated", 6), result
    assert sha in {r.path.rsplit("/", 1)[-1] for r in server.requests("objects/*")}
    assert snapshot_of(cache).hashes == after.hashes
    with closing(sqlite3.connect(cache / OBJECTS_DB)) as conn:  # stored as a row again, now whole
        (data,) = conn.execute("SELECT data FROM objects WHERE sha256 = ?", (sha,)).fetchone()
    assert sha256_hex(data) == sha
