"""From a device's outbox to the centre, exactly once, whatever happens in between: the centre down
for a while, the sender killed at random points, the receiver restarted, errors, Retry-After,
timeouts, and answers cut off after the centre stored the batch. On SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import Engine, func, select

from centre.db.schema import device_state, submissions
from feed.outbox import Outbox
from feed.uplink.sender import Sender
from feed.uplink.uplink import Uplink
from tests.centre.centre_kit import (
    CentreProcess,
    Fault,
    FaultProxy,
    device_config,
    held_ids,
    link,
    register,
    token_file,
)

RATING = {"level": 5, "subject": {"kind": "hall", "id": "", "title": ""}, "channel": "kiosk"}
BAD = {
    "level": 1,
    "subject": {"kind": "guide", "id": "g", "title": "社保"},
    "reasons": [],
    "phone": "13912345678",
}


def fill(cache_dir: Path, n: int, device_id: str = "kiosk-1") -> list[str]:
    kinds = [
        ("rating", RATING),
        ("rating", BAD),
        ("suggestion", {"topics": [{"code": "queue", "label": "排队叫号"}]}),
        ("disclosure_request", {"node": None, "topics": [{"code": "fees", "label": "收费项目及标准"}]}),
    ]
    with Outbox.open(cache_dir, device_id=device_id) as outbox:
        return [outbox.submit(*kinds[i % len(kinds)]).id for i in range(n)]


def centre_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(submissions)).scalar_one())


def heard_from(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(device_state.c.device_id)).scalars())


def wait_for(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout} s: {what}")


@pytest.mark.slow
def test_records_made_while_the_centre_is_down_arrive_when_it_comes_back(
    tmp_path: Path, centre_config: Path, centre_engine: Engine
) -> None:
    centre = CentreProcess(centre_config)  # not started yet
    token = token_file(tmp_path, register(centre_engine, "kiosk-1"))
    cache = tmp_path / "cache"
    uplink = Uplink(
        link(centre.url, token, send_seconds=1.0),
        cache,
        device_id="kiosk-1",
        role="kiosk",
        sync_status=lambda: None,
    )
    uplink.start()
    try:
        ids = fill(cache, 20)
        uplink.wake()
        wait_for(
            lambda: uplink.last_delivery is not None and uplink.last_delivery.error, 10, "a failed delivery"
        )
        assert "cannot reach the centre" in (uplink.last_delivery.error or "")  # type: ignore[union-attr]
        with Outbox.open(cache) as outbox:
            assert outbox.stats("kiosk-1").last_error is not None
        centre.start()
        wait_for(lambda: Outbox.open(cache).depth() == 0, 60, "the outbox drained")
        wait_for(
            lambda: heard_from(centre_engine) == ["kiosk-1"], 30, "a heartbeat, once the centre was back"
        )
    finally:
        uplink.stop(join_timeout=10)
        centre.stop()
    assert held_ids(centre_engine, [UUID(i) for i in ids]) == {UUID(i) for i in ids}
    assert centre_count(centre_engine) == 20


def sent_count(cache: Path) -> int:
    with sqlite3.connect(cache / "outbox.db") as conn:
        return int(conn.execute("SELECT count(*) FROM entries WHERE sent IS NOT NULL").fetchone()[0])


@pytest.mark.slow
def test_a_sender_killed_at_random_points_delivers_every_record_exactly_once(
    tmp_path: Path, centre_config: Path, centre_engine: Engine
) -> None:
    """Each round starts `hall-feed send --once`, waits until it has delivered something, then kills
    it after a random few milliseconds more, so the kills land inside deliveries: between a POST and
    its answer, between the centre's commit and the rows being marked sent, inside the marking."""
    rng = random.Random(20261129)
    centre = CentreProcess(centre_config)
    token = token_file(tmp_path, register(centre_engine, "kiosk-1"))
    cache = tmp_path / "cache"
    ids = fill(cache, 3000)
    config = device_config(
        tmp_path, cache_dir=cache, url=centre.url, token_path=token, device_id="kiosk-1", batch_records=20
    )
    command = [sys.executable, "-m", "feed.cli", "send", "--config", str(config), "--once"]
    centre.start()
    mid_delivery = acks_lost = 0
    try:
        for attempt in range(12):
            ids += fill(cache, 25)  # citizens go on submitting meanwhile
            before = sent_count(cache)
            child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 30
            while sent_count(cache) == before and child.poll() is None and time.monotonic() < deadline:
                time.sleep(0.005)
            time.sleep(rng.uniform(0.0, 0.15))
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=30)
            marked = sent_count(cache)
            mid_delivery += marked - before > 0 and marked < len(ids)
            acks_lost += centre_count(centre_engine) > marked
            if attempt % 4 == 3:  # the receiver goes down hard and comes back
                centre.kill()
                centre.start()
        final = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
        assert final.returncode == 0, final.stderr
    finally:
        centre.stop()
    print(f"kills inside a delivery: {mid_delivery} of 12; with the centre ahead of the device: {acks_lost}")
    assert mid_delivery >= 6  # the kills did land where they matter
    assert held_ids(centre_engine, [UUID(i) for i in ids]) == {UUID(i) for i in ids}
    assert centre_count(centre_engine) == len(ids)  # nothing twice
    with Outbox.open(cache) as outbox:
        assert outbox.depth() == 0


@pytest.fixture
def proxied(tmp_path: Path, centre: CentreProcess, centre_engine: Engine):  # type: ignore[no-untyped-def]
    token = token_file(tmp_path, register(centre_engine, "kiosk-1"))
    with FaultProxy(centre.port) as proxy:
        yield proxy, token


def sender_for(cache: Path, url: str, token: Path, **changes: object) -> Sender:
    outbox = Outbox.open(cache, device_id="kiosk-1")
    return Sender(outbox, link(url, token, **changes), device_id="kiosk-1", role="kiosk")


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (Fault("status", 500), "the centre answered 500"),
        (Fault("status", 502), "the centre answered 502"),
        (Fault("status", 429, {"Retry-After": "7"}), "come back later (429"),
    ],
    ids=["500", "502", "429"],
)
def test_an_error_answer_leaves_the_rows_for_the_next_round(
    tmp_path: Path, proxied: tuple[FaultProxy, Path], centre_engine: Engine, fault: Fault, message: str
) -> None:
    proxy, token = proxied
    ids = fill(tmp_path / "cache", 10)
    sender = sender_for(tmp_path / "cache", proxy.url, token)
    proxy.inject(fault)
    failed = sender.deliver()
    assert failed.error is not None and message in failed.error and failed.sent == 0
    assert failed.retry_after == (7.0 if fault.status == 429 else None)
    assert sender.outbox.stats("kiosk-1").depth == 10
    assert centre_count(centre_engine) == 0
    done = sender.deliver()
    assert done.ok and done.sent == 10
    assert held_ids(centre_engine, [UUID(i) for i in ids]) == {UUID(i) for i in ids}


def test_503_with_retry_after_holds_the_loop_back(
    tmp_path: Path, proxied: tuple[FaultProxy, Path], centre_engine: Engine
) -> None:
    proxy, token = proxied
    cache = tmp_path / "cache"
    fill(cache, 5)
    proxy.inject(Fault("status", 503, {"Retry-After": "3"}))
    uplink = Uplink(
        link(proxy.url, token, send_seconds=1.0),
        cache,
        device_id="kiosk-1",
        role="kiosk",
        sync_status=lambda: None,
    )
    started = time.monotonic()
    uplink.start()
    try:
        wait_for(lambda: centre_count(centre_engine) == 5, 30, "delivery after the 503")
        for _ in range(5):
            uplink.wake()  # a citizen submitting does not override the centre's Retry-After
            time.sleep(0.1)
    finally:
        uplink.stop(join_timeout=10)
    posts = [mode for path, mode in proxy.requests if path == "/v1/submissions"]
    assert posts[:2] == ["status", "pass"]
    assert time.monotonic() - started >= 3.0


def test_a_receiver_that_does_not_answer_times_out_and_the_rows_wait(
    tmp_path: Path, proxied: tuple[FaultProxy, Path], centre_engine: Engine
) -> None:
    proxy, token = proxied
    fill(tmp_path / "cache", 10)
    sender = sender_for(tmp_path / "cache", proxy.url, token, timeout_seconds=1.0)
    proxy.inject(Fault("hang"))
    started = time.monotonic()
    failed = sender.deliver()
    assert time.monotonic() - started < 5
    assert failed.error is not None and "did not answer within 1 s" in failed.error
    assert sender.outbox.stats("kiosk-1").depth == 10
    assert sender.deliver().sent == 10 and centre_count(centre_engine) == 10


def test_a_receiver_dribbling_its_headers_is_given_up_on_at_the_deadline(
    tmp_path: Path, proxied: tuple[FaultProxy, Path], centre_engine: Engine
) -> None:
    """Each byte comes before a read timeout would fire, so only a deadline on the whole request ends it."""
    proxy, token = proxied
    fill(tmp_path / "cache", 5)
    sender = sender_for(tmp_path / "cache", proxy.url, token, timeout_seconds=1.5)
    proxy.inject(Fault("dribble"))
    started = time.monotonic()
    failed = sender.deliver()
    assert time.monotonic() - started < 4
    assert failed.error is not None and "did not answer within 1.5 s" in failed.error
    assert sender.deliver().sent == 5 and centre_count(centre_engine) == 5


def test_an_answer_cut_off_after_the_centre_stored_the_batch_counts_nothing_twice(
    tmp_path: Path, proxied: tuple[FaultProxy, Path], centre_engine: Engine
) -> None:
    proxy, token = proxied
    ids = fill(tmp_path / "cache", 30)
    sender = sender_for(tmp_path / "cache", proxy.url, token)
    proxy.inject(Fault("cut"))
    failed = sender.deliver()
    assert failed.error is not None and failed.sent == 0
    assert centre_count(centre_engine) == 30  # the centre did the work ...
    assert sender.outbox.stats("kiosk-1").depth == 30  # ... the device never heard
    again = sender.deliver()
    assert again.ok and again.sent == 30
    assert centre_count(centre_engine) == 30
    assert held_ids(centre_engine, [UUID(i) for i in ids]) == {UUID(i) for i in ids}


def test_a_record_the_centre_refuses_is_set_aside_and_the_rest_goes(
    tmp_path: Path, proxied: tuple[FaultProxy, Path], centre_engine: Engine
) -> None:
    proxy, token = proxied
    cache = tmp_path / "cache"
    ids = fill(cache, 9)
    # A row an older or broken program wrote, which the wire format does not accept.
    with sqlite3.connect(cache / "outbox.db") as conn:
        conn.execute(
            "UPDATE entries SET payload = ? WHERE id = ?", ('{"level": "five", "channel": "kiosk"}', ids[4])
        )
    sender = sender_for(cache, proxy.url, token, batch_records=4)
    delivery = sender.deliver()
    assert delivery.ok and delivery.sent == 8 and delivery.rejected == 1
    stats = sender.outbox.stats("kiosk-1")
    assert stats.depth == 0 and stats.rejected == 1
    assert held_ids(centre_engine, [UUID(i) for i in ids]) == {UUID(i) for i in ids} - {UUID(ids[4])}


def test_a_missing_or_wrong_token_file_is_reported_and_nothing_is_lost(
    tmp_path: Path, centre: CentreProcess, centre_engine: Engine
) -> None:
    register(centre_engine, "kiosk-1")
    cache = tmp_path / "cache"
    fill(cache, 3)
    missing = sender_for(cache, centre.url, tmp_path / "nowhere.token").deliver()
    assert missing.error is not None and "cannot read the centre token file" in missing.error
    wrong = sender_for(cache, centre.url, token_file(tmp_path, "hk1_wrong")).deliver()
    assert wrong.error is not None and "refused this device's token (401" in wrong.error
    assert centre_count(centre_engine) == 0
    with Outbox.open(cache) as outbox:
        assert outbox.stats("kiosk-1").depth == 3
