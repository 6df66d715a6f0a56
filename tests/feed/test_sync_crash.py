"""SIGKILL the sync at random points, many times: the store always opens and always holds exactly one
whole snapshot (A or B, never a mix), and the next sync completes."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from nacl.signing import VerifyKey

from feed.format.canonical import sha256_hex
from feed.publish.writer import record_bytes
from feed.schema import Record
from feed.store import Store
from feed.sync import SyncSettings, sync_once
from tests.feed.feedserver import FeedServer
from tests.feed.sync_kit import Publisher, sample_records

ROOT = Path(__file__).resolve().parents[2]
# Imports take a second on a busy machine, so one process imports once and forks a fresh sync process
# per round; the test SIGKILLs that forked process. Nothing SQLite or HTTP is opened before the fork.
ZYGOTE = """
import os, sys, time
from pathlib import Path
from feed.format.signing import load_public_key
from feed.sync import SyncSettings, sync_once
key = load_public_key(Path(sys.argv[3]))
print("ready", flush=True)
for line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        started = time.monotonic()
        result = sync_once(SyncSettings(sys.argv[1], Path(sys.argv[2]), pubkey=key, max_connections=4))
        print(f"{result.outcome} {time.monotonic() - started:.3f}", flush=True)
        os._exit(0)
    print(pid, flush=True)
    os.waitpid(pid, 0)
    print("reaped", flush=True)
"""
KILLS = 50
TIME_BUDGET = 50.0
COMPLETE_EVERY = 5  # let a sync finish after every few kills (and after the last)


def contents(records: list[Record]) -> frozenset[tuple[str, str, str]]:
    return frozenset((r.kind, r.id, sha256_hex(record_bytes(r))) for r in records)


def held_contents(cache: Path) -> frozenset[tuple[str, str, str]]:
    with sqlite3.connect(cache / "store.db") as conn:  # the database file itself is sound
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    store = Store.open(cache)
    try:
        return frozenset((kind, rid, sha) for (kind, rid), sha in store.record_hashes().items())
    finally:
        store.close()


class Zygote:
    def __init__(self, server: FeedServer, cache: Path, pubkey_file: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE, server.url, str(cache), str(pubkey_file)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert self.readline() == "ready"

    def readline(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def start_sync(self) -> int:
        assert self.process.stdin is not None
        self.process.stdin.write("go\n")
        self.process.stdin.flush()
        return int(self.readline())

    def wait_reaped(self) -> list[str]:
        lines = []
        while (line := self.readline()) != "reaped":
            assert line, "the forking process died"
            lines.append(line)
        return lines

    def close(self) -> None:
        self.process.kill()
        self.process.wait(10)


def finish(
    server: FeedServer, cache: Path, pubkey: VerifyKey, sequence: int, wanted: frozenset[tuple[str, str, str]]
) -> None:
    """The next sync after a kill completes and lands the published snapshot."""
    result = sync_once(SyncSettings(server.url, cache, pubkey=pubkey))
    assert result.ok, result
    assert result.sequence == sequence
    assert held_contents(cache) == wanted


@pytest.mark.slow
@pytest.mark.timeout(150)
def test_sigkill_at_random_points_never_leaves_a_mix(
    publisher: Publisher, server: FeedServer, cache: Path, pubkey: VerifyKey, pubkey_file: Path
) -> None:
    snapshots = [sample_records(80, tag="A"), sample_records(80, tag="B")]
    expected = [contents(records) for records, _ in snapshots]
    assert not expected[0] & expected[1]

    publisher.publish(*snapshots[0], sequence=1)
    assert sync_once(SyncSettings(server.url, cache, pubkey=pubkey)).outcome == "updated"
    publisher.publish(*snapshots[1], sequence=2)
    zygote = Zygote(server, cache, pubkey_file)
    try:
        zygote.start_sync()
        [line] = zygote.wait_reaped()
        outcome, seconds = line.split()
        assert outcome == "updated"
        window = float(seconds) * 1.3 + 0.02
        kills, landed_mid_sync = crash_many_times(
            publisher, zygote, server=server, cache=cache, pubkey=pubkey, snapshots=snapshots, window=window
        )
    finally:
        zygote.close()
    print(f"{kills} kills, {landed_mid_sync} of them before the commit")
    assert kills >= 25, f"only {kills} kills fitted in the time budget"
    assert landed_mid_sync >= 5  # enough kills happened before the commit to mean something


def crash_many_times(
    publisher: Publisher,
    zygote: Zygote,
    *,
    server: FeedServer,
    cache: Path,
    pubkey: VerifyKey,
    snapshots: list[tuple[list[Record], dict[str, bytes]]],
    window: float,
) -> tuple[int, int]:
    rng = random.Random(20261125)
    expected = [contents(records) for records, _ in snapshots]
    kills = 0
    landed_mid_sync = 0
    started = time.monotonic()
    while kills < KILLS and time.monotonic() - started < TIME_BUDGET:
        which = kills % 2
        publisher.publish(*snapshots[which], sequence=3 + kills)
        before = held_contents(cache)
        pid = zygote.start_sync()
        time.sleep(rng.uniform(0, window))
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        zygote.wait_reaped()
        kills += 1
        after = held_contents(cache)
        assert after in expected, f"kill {kills}: the store holds a mix of two snapshots"
        landed_mid_sync += after == before
        if kills % COMPLETE_EVERY == 0:
            finish(server, cache, pubkey, 3 + kills - 1, expected[which])
    finish(server, cache, pubkey, 3 + kills - 1, expected[(kills - 1) % 2])
    return kills, landed_mid_sync
