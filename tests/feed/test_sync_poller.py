"""The polling loop: interval after success, full-jitter backoff after failure, Retry-After honoured,
prompt stop. Waits go through an injected function, so nothing here sleeps for long."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from nacl.signing import VerifyKey

from feed.sync import Backoff, Poller, SyncResult, SyncSettings, parse_retry_after
from tests.feed.feedserver import FeedServer, Rule
from tests.feed.sync_kit import Publisher, Snapshot, assert_intact, sample_records


class FakeWait:
    """Records each requested wait and stops the loop after `rounds` waits."""

    def __init__(self, rounds: int) -> None:
        self.rounds = rounds
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> bool:
        self.delays.append(seconds)
        return len(self.delays) >= self.rounds


def make_poller(
    server: FeedServer, cache: Path, pubkey: VerifyKey, wait: FakeWait, **kwargs: object
) -> Poller:
    return Poller(
        SyncSettings(server.url, cache, pubkey=pubkey, poll_seconds=60.0, timeout=3.0), wait=wait, **kwargs
    )  # type: ignore[arg-type]


def test_retry_after_seconds_is_honoured(
    server: FeedServer, cache: Path, pubkey: VerifyKey, held: Snapshot
) -> None:
    server.add(Rule("manifest.json", status=503, headers={"Retry-After": "120"}, times=2))
    wait = FakeWait(rounds=3)
    results: list[SyncResult] = []
    started = time.monotonic()
    make_poller(server, cache, pubkey, wait, rand=lambda: 0.0, on_result=results.append).run()
    assert time.monotonic() - started < 10
    assert [r.outcome for r in results] == ["failed", "failed", "unchanged"]
    assert wait.delays[0] == 120.0 and wait.delays[1] == 120.0  # not the 1 s a zero jitter draw would give
    assert wait.delays[2] == 54.0  # back to the interval (60 s, jitter draw at its low end: -10 %)
    assert len(server.requests("manifest.json")) == 3


def test_retry_after_http_date_is_honoured(
    server: FeedServer, cache: Path, pubkey: VerifyKey, held: Snapshot
) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=300), usegmt=True)
    server.add(Rule("manifest.json", status=429, headers={"Retry-After": when}, times=1))
    wait = FakeWait(rounds=1)
    make_poller(server, cache, pubkey, wait, rand=lambda: 0.0).run()
    assert 290 <= wait.delays[0] <= 300


def test_failures_back_off_exponentially_then_reset(
    server: FeedServer, cache: Path, pubkey: VerifyKey, held: Snapshot
) -> None:
    server.add(Rule("manifest.json", status=500, times=4))
    wait = FakeWait(rounds=5)
    make_poller(server, cache, pubkey, wait, rand=lambda: 1.0).run()
    assert wait.delays == [5.0, 10.0, 20.0, 40.0, 66.0]  # ceilings of U(0, 5·2ⁿ), then the interval +10 %


def test_backoff_is_full_jitter_with_a_floor_and_a_cap() -> None:
    draws = iter([0.0, 0.5, 0.25] + [1.0] * 20)
    backoff = Backoff(base=4.0, cap=100.0, floor=1.0, rand=lambda: next(draws))
    assert backoff.next_delay() == 1.0  # a zero draw still waits the floor
    assert backoff.next_delay() == 4.0  # 0.5 × 8
    assert backoff.next_delay() == 4.0  # 0.25 × 16
    assert [backoff.next_delay() for _ in range(5)][-1] == 100.0
    assert backoff.next_delay(retry_after=500.0) == 500.0
    backoff.reset()
    assert backoff.failures == 0


def test_parse_retry_after() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_retry_after("30", now) == 30.0
    assert parse_retry_after("Thu, 01 Jan 2026 00:01:00 GMT", now) == 60.0
    assert parse_retry_after("Wed, 31 Dec 2025 00:00:00 GMT", now) == 0.0  # already past
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None
    assert parse_retry_after("99999999999", now) == 6 * 3600.0  # capped


def test_stop_interrupts_a_long_wait(
    server: FeedServer, cache: Path, pubkey: VerifyKey, held: Snapshot
) -> None:
    poller = Poller(SyncSettings(server.url, cache, pubkey=pubkey, poll_seconds=3600.0, timeout=3.0))
    thread = poller.start()
    deadline = time.monotonic() + 5
    while poller.last_result is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert poller.last_result is not None and poller.last_result.outcome == "unchanged"
    started = time.monotonic()
    poller.stop(join_timeout=5)
    assert not thread.is_alive() and time.monotonic() - started < 2


def test_poll_now_cuts_the_wait_short(
    server: FeedServer, cache: Path, pubkey: VerifyKey, held: Snapshot
) -> None:
    poller = Poller(SyncSettings(server.url, cache, pubkey=pubkey, poll_seconds=3600.0, timeout=3.0))
    poller.start()
    try:
        deadline = time.monotonic() + 5
        while len(server.requests()) < 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        poller.poll_now()
        while len(server.requests()) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(server.requests()) == 2
    finally:
        poller.stop(join_timeout=5)


def test_stop_during_a_slow_sync_ends_it_promptly_and_keeps_the_held_snapshot(
    publisher: Publisher, server: FeedServer, cache: Path, pubkey: VerifyKey, held: Snapshot
) -> None:
    """A program told to stop while its poller downloads a new snapshot is not held up for the
    rest of the download: no further object is requested, nothing is committed, the old snapshot
    stays whole, and the status says why."""
    records, blobs = sample_records(40, tag="v2")
    publisher.publish(records, blobs, sequence=6)
    server.add(Rule("objects/*", delay=0.3))  # each object takes a while: the sync lasts many seconds
    poller = Poller(
        SyncSettings(server.url, cache, pubkey=pubkey, poll_seconds=3600.0, timeout=3.0, max_connections=2)
    )
    thread = poller.start()
    deadline = time.monotonic() + 5
    while len(server.requests("objects/*")) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.requests("objects/*"), "the sync never started downloading"
    started = time.monotonic()
    poller.stop()
    stopped_after = time.monotonic() - started
    assert not thread.is_alive() and stopped_after < 1.2, stopped_after
    requested = len(server.requests("objects/*"))
    assert requested < 20  # of more than 60 objects
    time.sleep(0.5)
    assert len(server.requests("objects/*")) == requested  # nothing more was asked for
    assert poller.last_result is not None and poller.last_result.outcome == "failed"
    assert_intact(cache, held, "shutting down")


def test_a_poller_that_accepts_unsigned_feeds_says_so_in_the_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="feed.sync.poller"):
        Poller(SyncSettings("https://h.example/feed/", tmp_path, pubkey=None, allow_unsigned=True))
        Poller(SyncSettings("https://h.example/feed/", tmp_path, pubkey=None))
    assert [record.getMessage() for record in caplog.records] == [
        "https://h.example/feed/: allow_unsigned is on: a feed without signatures is accepted"
        " (for tests and demos only)"
    ]
