"""A corrupt or truncated store.db (a real SQLite file, damaged on disk) is set aside whole and rebuilt
— from the verified objects when the feed is out of reach — and status says so. The apps' readers
open at once instead of refusing to start."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest
from nacl.signing import VerifyKey

from feed.store.cachedir import STORE_NAME
from feed.store.objectdb import OBJECTS_DB
from feed.store.reader import StoreReader
from feed.sync import SyncSettings, sync_once
from tests.feed.feedserver import FeedServer
from tests.feed.sync_kit import Snapshot, snapshot_of

OFFLINE = "http://127.0.0.1:9/"  # the discard port: nothing answers


def truncate(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def scribble(path: Path) -> None:
    """Overwrite the middle of the file: its header is intact, some pages are garbage."""
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.seek(size // 3)
        handle.write(os.urandom(min(64 * 1024, size // 3)))


def asides(cache: Path, name: str = STORE_NAME) -> list[Path]:
    return sorted(cache.glob(f"{name}.damaged-*[0-9]Z"))


@pytest.mark.parametrize(
    "damage", [truncate, lambda p: p.write_bytes(b"\0" * 4096)], ids=["truncated", "zeros"]
)
def test_a_damaged_store_is_rebuilt_from_the_cache_without_the_network(
    cache: Path, held: Snapshot, pubkey: VerifyKey, damage: Any
) -> None:
    original = (cache / STORE_NAME).read_bytes()
    damage(cache / STORE_NAME)
    damaged = (cache / STORE_NAME).read_bytes()
    reader = StoreReader.open(cache)  # an app starting: it opens, on an empty store
    try:
        assert reader.status().sequence is None
        assert [p.read_bytes() for p in asides(cache)] == [damaged]  # kept whole for a post-mortem
        result = sync_once(SyncSettings(OFFLINE, cache, pubkey=pubkey, timeout=1.0))
        assert result.outcome == "failed" and result.sequence == held.sequence  # offline, but rebuilt
        assert snapshot_of(cache) == held
        status = reader.status()
        assert status.sequence == held.sequence
        assert status.repair is not None and "store.db was damaged" in status.repair
        assert f"snapshot {held.sequence} rebuilt from the cached objects" in status.repair
        assert reader.snapshot_version() > 0
    finally:
        reader.close()
    assert original != damaged


def test_damage_found_by_a_sync_is_set_aside_and_rebuilt_in_the_same_sync(
    server: FeedServer, cache: Path, held: Snapshot, pubkey: VerifyKey
) -> None:
    scribble(cache / STORE_NAME)
    result = sync_once(SyncSettings(server.url, cache, pubkey=pubkey, timeout=3.0))
    assert result.ok, result.reason
    assert result.sequence == held.sequence and snapshot_of(cache) == held
    assert len(asides(cache)) == 1


def test_a_damaged_object_database_is_set_aside_and_its_objects_fetched_again(
    server: FeedServer, cache: Path, held: Snapshot, pubkey: VerifyKey
) -> None:
    (cache / OBJECTS_DB).write_bytes(b"not a database" * 500)
    result = sync_once(SyncSettings(server.url, cache, pubkey=pubkey, timeout=3.0))
    assert result.ok, result.reason
    assert result.fetched_objects >= len(held.hashes)  # every record row again
    assert len(asides(cache, OBJECTS_DB)) == 1
    assert snapshot_of(cache) == held  # and every object parses as its record again


def open_into(cache: Path, readers: list[StoreReader], errors: list[BaseException]) -> None:
    try:
        readers.append(StoreReader.open(cache))
    except BaseException as exc:
        errors.append(exc)


def test_processes_finding_the_same_damage_set_it_aside_once(cache: Path, held: Snapshot) -> None:
    """The kiosk and the display start together on a damaged store: one sets it aside, the others
    open the new one, even when the files are renamed under them while they open them."""
    truncate(cache / STORE_NAME)
    damaged = (cache / STORE_NAME).read_bytes()
    for _ in range(10):  # the race is narrow: try it a few times
        for path in cache.glob(f"{STORE_NAME}*"):
            path.unlink()
        (cache / STORE_NAME).write_bytes(damaged)
        before = set(asides(cache))
        readers: list[StoreReader] = []
        errors: list[BaseException] = []
        threads = [threading.Thread(target=open_into, args=(cache, readers, errors)) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        try:
            assert errors == [] and len(readers) == 8
            assert len(set(asides(cache)) - before) == 1  # set aside once
            assert {r.status().sequence for r in readers} == {None}
        finally:
            for reader in readers:
                reader.close()


def test_damaged_copies_kept_are_bounded(cache: Path, held: Snapshot, pubkey: VerifyKey) -> None:
    from feed.store.repair import KEEP_ASIDE

    for _ in range(KEEP_ASIDE + 3):
        truncate(cache / STORE_NAME)
        assert sync_once(SyncSettings(OFFLINE, cache, pubkey=pubkey, timeout=0.5)).sequence == held.sequence
    assert len(asides(cache)) == KEEP_ASIDE
    assert len(list(cache.glob("*.damaged-*"))) <= KEEP_ASIDE * 3  # with their -wal and -shm files


def test_a_reader_follows_a_store_another_process_replaced(
    server: FeedServer, cache: Path, held: Snapshot, pubkey: VerifyKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("feed.store.reader.REOPEN_CHECK_SECONDS", 0.0)
    reader = StoreReader.open(cache)  # the kiosk, open on the good store
    try:
        before = reader.snapshot_version()
        truncate(cache / STORE_NAME)
        assert sync_once(
            SyncSettings(server.url, cache, pubkey=pubkey, timeout=3.0)
        ).ok  # the display's sync repairs
        assert len(asides(cache)) == 1
        assert reader.snapshot_version() != before  # the kiosk re-reads...
        some_item = sorted(held.titles)[0]
        item = reader.item(some_item)  # ...from the rebuilt store
        assert item is not None and item.title == held.titles[some_item]
        assert reader.status().repair is not None
    finally:
        reader.close()


def test_a_store_deleted_by_hand_starts_afresh_from_the_feed(
    server: FeedServer, cache: Path, held: Snapshot, pubkey: VerifyKey
) -> None:
    """Deleting store.db is how an operator starts over (perhaps on another feed): the cached copy of
    the old manifest is not brought back; the feed is."""
    for path in cache.glob(f"{STORE_NAME}*"):
        path.unlink()
    offline = sync_once(SyncSettings(OFFLINE, cache, pubkey=pubkey, timeout=0.5))
    assert (offline.outcome, offline.sequence) == ("failed", None)
    online = sync_once(SyncSettings(server.url, cache, pubkey=pubkey, timeout=3.0))
    assert (online.outcome, online.sequence) == ("updated", held.sequence)
    assert online.fetched_objects == 0  # the verified objects were reused
