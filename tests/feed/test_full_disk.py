"""A full disk, on a small real tmpfs: every sync and outbox write fails with the real cause, the last
good snapshot stays whole, and the background loop keeps going until there is room again."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from nacl.signing import VerifyKey

from feed.errors import FeedError
from feed.outbox import Outbox
from feed.sqlite.transactions import immediate
from feed.sync import Poller, SyncResult, SyncSettings, sync_once
from tests.feed.feedserver import FeedServer
from tests.feed.sync_kit import Publisher, Snapshot, assert_intact, sample_records, snapshot_of
from tests.storage_kit import fill, small_tmpfs


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    with small_tmpfs(tmp_path / "disk", "6m") as mount:
        yield mount


@pytest.fixture
def full_cache(
    disk: Path, publisher: Publisher, server: FeedServer, pubkey: VerifyKey
) -> tuple[Path, Snapshot, Path]:
    """A cache on the tmpfs holding snapshot A (sequence 5); a newer B is published; then the disk is
    filled to 32 KiB short of full: enough to open the store, not to commit anything."""
    cache = disk / "cache"
    records, blobs = sample_records()
    publisher.publish(records, blobs, sequence=5)
    assert sync_once(SyncSettings(server.url, cache, pubkey=pubkey)).outcome == "updated"
    held = snapshot_of(cache)
    records, blobs = sample_records(tag="B")
    publisher.publish(records, blobs, sequence=6)
    return cache, held, fill(disk, leave=32 * 1024)


def test_the_transaction_helper_keeps_the_original_error(tmp_path: Path) -> None:
    with closing(sqlite3.connect(tmp_path / "t.db", isolation_level=None)) as conn:
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        conn.execute("INSERT INTO t VALUES (1)")
        # ON CONFLICT ROLLBACK: SQLite ends the transaction itself, as it does on a full disk.
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE constraint failed"), immediate(conn):
            conn.execute("INSERT INTO t VALUES (2)")
            conn.execute("INSERT OR ROLLBACK INTO t VALUES (1)")
        assert not conn.in_transaction
        assert conn.execute("SELECT id FROM t").fetchall() == [(1,)]


def test_a_write_on_a_full_disk_says_the_disk_is_full(disk: Path) -> None:
    with closing(sqlite3.connect(disk / "t.db", isolation_level=None)) as conn:
        conn.execute("CREATE TABLE t (x BLOB)")
        fill(disk)
        with pytest.raises(sqlite3.OperationalError) as raised, immediate(conn):
            conn.execute("INSERT INTO t VALUES (zeroblob(1000000))")
        assert "full" in str(raised.value) and "rollback" not in str(raised.value)


def test_sync_on_a_full_disk_reports_the_cause_and_keeps_the_snapshot(
    server: FeedServer, pubkey: VerifyKey, full_cache: tuple[Path, Snapshot, Path]
) -> None:
    cache, held, filler = full_cache
    result = sync_once(SyncSettings(server.url, cache, pubkey=pubkey))
    assert result.outcome == "failed"
    assert "the disk holding the cache is full" in (result.reason or ""), result.reason
    assert "cannot rollback" not in (result.reason or "")
    filler.unlink()
    assert_intact(cache, held)
    assert sync_once(SyncSettings(server.url, cache, pubkey=pubkey)).outcome == "updated"


def test_the_poller_thread_survives_a_full_disk_and_resumes(
    server: FeedServer, pubkey: VerifyKey, full_cache: tuple[Path, Snapshot, Path]
) -> None:
    cache, _, filler = full_cache
    results: list[SyncResult] = []
    waits = threading.Semaphore(0)

    def wait(_seconds: float) -> bool:  # short waits instead of the backoff's seconds
        waits.release()
        time.sleep(0.05)
        return False

    poller = Poller(
        SyncSettings(server.url, cache, pubkey=pubkey, timeout=3.0), on_result=results.append, wait=wait
    )
    thread = poller.start()
    try:
        for _ in range(3):
            assert waits.acquire(timeout=30)
        assert thread.is_alive()
        assert all(r.outcome == "failed" and "full" in (r.reason or "") for r in results), results
        filler.unlink()
        deadline = time.monotonic() + 30
        while not any(r.outcome == "updated" for r in results) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert any(r.outcome == "updated" for r in results), results[-1]
    finally:
        poller.stop(join_timeout=10)
    assert snapshot_of(cache).sequence == 6


def test_outbox_on_a_full_disk_says_so_and_keeps_what_it_has(disk: Path) -> None:
    outbox = Outbox.open(disk / "cache")
    try:
        first = outbox.submit("rating", {"level": 5})
        filler = fill(disk)
        with pytest.raises(FeedError) as raised:
            for _ in range(200):  # the WAL has some slack; a few writes may still fit
                outbox.submit("suggestion", {"topics": [{"code": "x", "label": "y"}], "note": "y" * 4000})
        message = str(raised.value)
        assert "database or disk is full" in message and "rollback" not in message, message
        filler.unlink()
        later = outbox.submit("rating", {"level": 4})
        assert [p.id for p in outbox.pending(1000) if p.kind == "rating"] == [first.id, later.id]
    finally:
        outbox.close()


def test_a_background_loop_survives_whatever_a_step_raises() -> None:
    from feed.runtime.loop import BackgroundLoop

    steps: list[str] = []
    reasons: list[str] = []
    failures = iter([MemoryError("no memory"), ValueError("bad value"), KeyError("k")])

    def step() -> float:
        steps.append("step")
        error = next(failures, None)
        if error is not None:
            raise error
        return 0.0

    def on_error(reason: str) -> float:
        reasons.append(reason)
        if len(reasons) == 2:
            raise RuntimeError("the handler itself fails")
        return 0.0

    rounds: list[float] = []
    loop = BackgroundLoop("test-loop", step, on_error, wait=lambda s: rounds.append(s) or len(rounds) >= 5)
    thread = loop.start()
    thread.join(5)
    assert not thread.is_alive() and len(steps) == 5
    assert reasons == ["MemoryError: no memory", "ValueError: bad value", "KeyError: 'k'"]
    assert rounds[1] == 60.0  # the failed handler's fallback wait
    assert loop.last_error is None  # the last steps succeeded
