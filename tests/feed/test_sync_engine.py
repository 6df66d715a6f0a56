"""The happy paths and their costs: conditional GET, incremental fetches, resuming, directory sources."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nacl.signing import VerifyKey

from feed.format.layout import MANIFEST_NAME
from feed.schema import Image, Item
from feed.store import Store
from feed.sync import SyncSettings, sync_once
from tests.feed.feedserver import FeedServer, Rule
from tests.feed.sync_kit import Publisher, Snapshot, sample_records, snapshot_of


def test_first_sync_fetches_everything_and_commits(
    publisher: Publisher, server: FeedServer, sync: Any, cache: Path
) -> None:
    records, blobs = sample_records()
    built = publisher.publish(records, blobs, sequence=3)
    result = sync()
    assert (result.outcome, result.sequence, result.reason) == ("updated", 3, None)
    assert result.fetched_objects == len(built.referenced)
    assert result.requests == 1 + len(built.referenced)
    assert result.records_checked == len(records)
    snapshot = snapshot_of(cache)
    assert len(snapshot.hashes) == len(records)
    store = Store.open(cache)
    try:
        assert all(store.objects.has(sha) for sha in blobs)
        assert store.sync_state().last_error is None
    finally:
        store.close()


def test_not_modified_poll_is_one_request(server: FeedServer, sync: Any, held: Snapshot) -> None:
    result = sync()
    assert (result.outcome, result.sequence, result.requests, result.fetched_objects) == (
        "unchanged",
        5,
        1,
        0,
    ), (
        result.reason,
        server.requests(),
    )
    [request] = server.requests()
    assert request.path == MANIFEST_NAME and request.status == 304
    assert "If-None-Match" in request.request_headers
    assert request.body_bytes == 0 and request.header_bytes < 1024


def test_same_manifest_without_validators_is_unchanged(
    server: FeedServer, sync: Any, cache: Path, held: Snapshot
) -> None:
    # A server that ignores validators sends the manifest again: same bytes, same sequence, no objects.
    server.add(Rule("manifest.json", no_304=True))
    result = sync()
    assert (result.outcome, result.sequence, result.requests) == ("unchanged", 5, 1)
    assert server.requests()[0].status == 200


def test_one_item_change_fetches_manifest_one_shard_one_record(
    publisher: Publisher, server: FeedServer, sync: Any, cache: Path, held: Snapshot
) -> None:
    records, blobs = sample_records()
    position = next(i for i, r in enumerate(records) if isinstance(r, Item) and not r.images)
    item = records[position]
    assert isinstance(item, Item)
    records[position] = item.model_copy(update={"title": item.title + "（更正）"})
    publisher.publish(records, blobs, sequence=6)
    result = sync()
    assert (result.outcome, result.sequence, result.fetched_objects, result.requests) == ("updated", 6, 2, 3)
    assert result.records_checked == 1  # the other records are held unchanged: not read, not parsed
    paths = [r.path for r in server.requests()]
    assert paths[0] == MANIFEST_NAME and all(p.startswith("objects/") for p in paths[1:])
    after = snapshot_of(cache)
    assert after.titles[item.id].endswith("（更正）")
    changed = {key for key in after.hashes if after.hashes[key] != held.hashes.get(key)}
    assert changed == {("item", item.id)}


def test_update_garbage_collects_the_old_snapshot(
    publisher: Publisher, sync: Any, cache: Path, held: Snapshot
) -> None:
    records, blobs = sample_records(tag="B")
    built = publisher.publish(records, blobs, sequence=6)
    assert sync().outcome == "updated"
    store = Store.open(cache)
    try:
        assert set(store.objects.names()) == set(built.referenced)
    finally:
        store.close()


def test_dropped_network_resumes_without_refetching(
    publisher: Publisher, server: FeedServer, sync: Any, cache: Path, held: Snapshot
) -> None:
    records, blobs = sample_records(tag="B")
    built = publisher.publish(records, blobs, sequence=6)
    server.add(Rule("objects/*", drop=True, after=12))  # the link dies after a dozen objects
    first = sync(max_connections=1)
    assert first.outcome == "failed" and "connection broke" in (first.reason or ""), first
    assert snapshot_of(cache) == held
    got_before = {r.path for r in server.requests("objects/*") if r.status == 200}
    assert len(got_before) == 12
    server.clear()  # the link is back
    second = sync()
    assert (second.outcome, second.sequence) == ("updated", 6), second
    fetched_after = [r.path for r in server.requests("objects/*")]
    assert not got_before & set(fetched_after)  # nothing verified before was fetched again
    assert len(fetched_after) == len(built.referenced) - 12
    assert len(fetched_after) == len(set(fetched_after))


def test_directory_source_path_and_file_url(publisher: Publisher, tmp_path: Path, pubkey: VerifyKey) -> None:
    records, blobs = sample_records()
    publisher.publish(records, blobs, sequence=2)
    by_path = sync_once(SyncSettings(str(publisher.root), tmp_path / "a", pubkey=pubkey))
    assert (by_path.outcome, by_path.sequence) == ("updated", 2)
    by_url = sync_once(SyncSettings(publisher.root.as_uri(), tmp_path / "b", pubkey=pubkey))
    assert (by_url.outcome, by_url.sequence) == ("updated", 2)
    again = sync_once(SyncSettings(str(publisher.root), tmp_path / "a", pubkey=pubkey))
    assert (again.outcome, again.requests, again.fetched_objects) == ("unchanged", 1, 0)
    assert snapshot_of(tmp_path / "a") == snapshot_of(tmp_path / "b")


def test_directory_source_gets_the_same_checks(
    publisher: Publisher, tmp_path: Path, pubkey: VerifyKey
) -> None:
    records, blobs = sample_records()
    publisher.publish(records, blobs, sequence=2)
    cache = tmp_path / "usb-cache"
    assert sync_once(SyncSettings(str(publisher.root), cache, pubkey=pubkey)).outcome == "updated"
    before = snapshot_of(cache)
    records_b, blobs_b = sample_records(tag="B")
    built = publisher.publish(records_b, blobs_b, sequence=3)
    victim = sorted(built.referenced - set(blobs_b))[0]
    path = publisher.root / "objects" / victim[:2] / victim
    path.write_bytes(path.read_bytes() + b" ")
    result = sync_once(SyncSettings(str(publisher.root), cache, pubkey=pubkey))
    assert result.outcome == "failed" and "size mismatch" in (result.reason or "")
    assert snapshot_of(cache) == before
    missing = sync_once(SyncSettings(str(tmp_path / "nowhere"), cache, pubkey=pubkey))
    assert missing.outcome == "failed" and "manifest.json: not found" in (missing.reason or "")


def test_a_second_sync_on_the_same_cache_is_refused(
    publisher: Publisher, server: FeedServer, sync: Any, cache: Path, held: Snapshot
) -> None:
    store = Store.open(cache)
    try:
        with store.sync_lock():
            result = sync()
    finally:
        store.close()
    assert result.outcome == "failed" and "another sync is running" in (result.reason or "")
    assert server.requests() == []


def test_held_records_keep_their_blobs_and_their_declared_sizes(
    publisher: Publisher, sync: Any, cache: Path, held: Snapshot
) -> None:
    """Blobs of records held unchanged stay in the cache, and a changed record that declares one of
    them with another size is refused, as it was when every record was parsed on every sync."""
    records, blobs = sample_records()
    plain = next(i for i, r in enumerate(records) if isinstance(r, Item) and not r.images)
    item = records[plain]
    assert isinstance(item, Item)
    records[plain] = item.model_copy(update={"title": item.title + "（更正）"})
    publisher.publish(records, blobs, sequence=6)
    assert sync().records_checked == 1
    store = Store.open(cache)
    try:
        assert all(store.objects.has(sha) for sha in blobs)
    finally:
        store.close()

    pictured = next(r for r in records if isinstance(r, Item) and r.images and r.id != item.id)
    ref = pictured.images[0].blob
    liar = records[plain]
    assert isinstance(liar, Item)
    wrong = ref.model_copy(update={"size": ref.size + 1})
    records[plain] = liar.model_copy(update={"images": [Image(blob=wrong)]})
    publisher.publish(records, blobs, sequence=7)
    before = snapshot_of(cache)
    result = sync()
    assert result.outcome == "failed" and result.reason is not None
    assert f"blob {ref.sha256[:12]} declared with two sizes" in result.reason
    assert snapshot_of(cache) == before
