"""A cache on a filesystem that went read-only (a real tmpfs remounted ro, as ext4 does on errors):
readers show the last good content, and everything says the filesystem is read-only, never that
the store is corrupt."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from nacl.signing import VerifyKey

from feed.errors import FeedError
from feed.outbox import Outbox
from feed.store.reader import StoreReader
from feed.sync import SyncSettings, sync_once
from tests.feed.feedserver import FeedServer
from tests.feed.sync_kit import Publisher, Snapshot, sample_records
from tests.storage_kit import copy_cache, remount_read_only, small_tmpfs


@pytest.fixture(params=["closed cleanly", "left open"])
def read_only_cache(
    request: pytest.FixtureRequest, tmp_path: Path, cache: Path, held: Snapshot
) -> Iterator[Path]:
    """The synced cache of `held` on a tmpfs now read-only: closed cleanly (no -wal, -shm files), or
    as a process left it when the filesystem went (its WAL holds the newest commit)."""
    with small_tmpfs(tmp_path / "ro", "8m") as mount:
        target = mount / "cache"
        if request.param == "left open":
            with closing(sqlite3.connect(cache / "store.db", isolation_level=None)) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.execute("UPDATE meta SET value = 'from the WAL' WHERE key = 'source'")
                copy_cache(cache, target)  # while it is open: with its -wal and -shm files
            assert (target / "store.db-wal").stat().st_size > 0
        else:
            copy_cache(cache, target)
            assert not (target / "store.db-wal").exists()
        remount_read_only(mount)
        yield target


def test_the_reader_shows_the_last_good_content_and_says_why(
    read_only_cache: Path, held: Snapshot, request: pytest.FixtureRequest
) -> None:
    reader = StoreReader.open(read_only_cache)
    try:
        some_item = sorted(held.titles)[0]
        item = reader.item(some_item)
        assert item is not None and item.title == held.titles[some_item]
        assert reader.hall_heading() is not None and reader.search("bdc")
        status = reader.status()
        assert status.sequence == held.sequence
        assert status.storage is not None and status.storage.startswith("the cache filesystem is read-only")
        assert "showing the last good content" in status.storage
        if "left open" in request.node.name:
            assert status.source == "from the WAL"  # the newest commit, not the last checkpoint
        assert reader.snapshot_version() == reader.snapshot_version()
    finally:
        reader.close()


def test_sync_says_the_filesystem_is_read_only(
    read_only_cache: Path, server: FeedServer, publisher: Publisher, pubkey: VerifyKey
) -> None:
    records, blobs = sample_records(tag="B")
    publisher.publish(records, blobs, sequence=6)
    result = sync_once(SyncSettings(server.url, read_only_cache, pubkey=pubkey))
    assert result.outcome == "failed"
    assert "read-only" in (result.reason or "") and "corrupt" not in (result.reason or ""), result.reason


def test_the_outbox_says_the_filesystem_is_read_only(read_only_cache: Path) -> None:
    with pytest.raises(FeedError, match="the cache filesystem is read-only") as raised:
        Outbox.open(read_only_cache)
    assert "corrupt" not in str(raised.value)


def test_status_reports_a_read_only_cache(read_only_cache: Path, held: Snapshot) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "feed.cli", "status", "--cache", str(read_only_cache), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["sequence"] == held.sequence
    assert data["storage"].startswith("the cache filesystem is read-only")


def test_the_reader_leaves_read_only_mode_when_the_disk_is_writable_again(
    tmp_path: Path, cache: Path, held: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("feed.store.reader.REOPEN_CHECK_SECONDS", 0.0)
    with small_tmpfs(tmp_path / "ro", "8m") as mount:
        copy_cache(cache, mount / "cache")
        remount_read_only(mount)
        reader = StoreReader.open(mount / "cache")
        try:
            assert reader.read_only is not None
            before = reader.snapshot_version()
            subprocess.run(["mount", "-o", "remount,rw", str(mount)], check=True)
            assert reader.snapshot_version() != before  # reopened: the screens re-read
            assert reader.read_only is None and reader.status().storage is None
        finally:
            reader.close()
