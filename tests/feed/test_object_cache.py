"""Object files are written without an fsync each: a run that dies before its flush leaves a marker, and
the next sync deletes and fetches again every object whose bytes no longer match its name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import Publisher, Snapshot, sample_records, snapshot_of
from feedserver import FeedServer

from feed.format.canonical import sha256_hex
from feed.format.layout import OBJECTS_DIR
from feed.schema import Item
from feed.store import Store
from feed.store.objects import UNSYNCED_MARKER, ObjectCache


def marker(cache: Path) -> Path:
    return cache / OBJECTS_DIR / UNSYNCED_MARKER


def test_flush_makes_writes_durable_and_drops_the_marker(tmp_path: Path) -> None:
    objects = ObjectCache(tmp_path)
    data = b"record bytes"
    objects.put(sha256_hex(data), len(data), data)
    assert marker(tmp_path).is_file()
    objects.flush()
    assert not marker(tmp_path).exists()
    assert objects.recover() == 0  # a clean cache is not re-checked
    assert objects.read(sha256_hex(data)) == data
    assert not [p for p in (tmp_path / OBJECTS_DIR).glob("*/*") if p.name.endswith(".tmp")]


def test_objects_torn_by_a_power_cut_are_fetched_again(
    publisher: Publisher, server: FeedServer, sync: Any, cache: Path, held: Snapshot
) -> None:
    records, blobs = sample_records(tag="B")
    built = publisher.publish(records, blobs, sequence=6)
    # A run that wrote every object of B and died before its flush: the marker is still there, and the
    # power cut left some files under their final names with other bytes (empty, garbage, cut short).
    store = Store.open(cache)
    try:
        for sha in built.referenced:
            store.objects.put(sha, *_sized((publisher.root / OBJECTS_DIR / sha[:2] / sha).read_bytes()))
    finally:
        store.close()
    assert marker(cache).is_file()
    blob_sha = sorted(blobs)[0]
    shard_sha = built.manifest.signed.shards[0].sha256
    record_sha = sorted(built.referenced - set(blobs) - {r.sha256 for r in built.manifest.signed.shards})[0]
    torn = {blob_sha: b"\0" * len(blobs[blob_sha]), shard_sha: b"", record_sha: b'{"kind":'}
    for sha, data in torn.items():
        (cache / OBJECTS_DIR / sha[:2] / sha).write_bytes(data)

    result = sync()
    assert (result.outcome, result.sequence, result.fetched_objects) == ("updated", 6, 3), result
    assert {r.path.rsplit("/", 1)[-1] for r in server.requests("objects/*")} == set(torn)
    assert (cache / OBJECTS_DIR / blob_sha[:2] / blob_sha).read_bytes() == blobs[blob_sha]
    assert not marker(cache).exists()
    assert snapshot_of(cache).sequence == 6


def test_a_damaged_held_record_is_fetched_again_without_a_marker(
    publisher: Publisher, server: FeedServer, sync: Any, cache: Path, held: Snapshot
) -> None:
    records, blobs = sample_records()
    position = next(i for i, r in enumerate(records) if isinstance(r, Item))
    item = records[position]
    assert isinstance(item, Item)
    sha = held.hashes[("item", item.id)]
    damaged = cache / OBJECTS_DIR / sha[:2] / sha
    damaged.write_bytes(bytes(len(damaged.read_bytes())))  # same size, other bytes
    other = records[position + 1]
    assert isinstance(other, Item)
    records[position + 1] = other.model_copy(update={"title": other.title + "（更正）"})
    publisher.publish(records, blobs, sequence=6)
    result = sync()
    assert (result.outcome, result.sequence) == ("updated", 6), result
    assert sha in {r.path.rsplit("/", 1)[-1] for r in server.requests("objects/*")}
    assert sha256_hex(damaged.read_bytes()) == sha


def _sized(data: bytes) -> tuple[int, bytes]:
    return len(data), data
