"""The outbox stays bounded and sorted by owner: proof of play rolled up per hour, delivered rows
pruned, a disk budget that drops proof of play but never a citizen's undelivered record, rows of
several devices in one file, and an outbox from the previous version upgraded in place."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from feed.outbox import Outbox

RATING = {"level": 4, "subject": {"kind": "hall", "id": "", "title": ""}, "channel": "kiosk"}


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def test_finished_hours_of_play_become_one_count_per_headline_and_hour(tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 11, 29, 10, 30, tzinfo=UTC))
    with Outbox.open(tmp_path, device_id="led-1", clock=clock) as outbox:
        for minute in (0, 10, 50):  # 09:xx: a finished hour
            outbox.record_play("welcome", datetime(2026, 11, 29, 9, minute, tzinfo=UTC), 8.0)
        outbox.record_play("notice", datetime(2026, 11, 29, 9, 5, tzinfo=UTC), 12.5)
        outbox.record_play("welcome", datetime(2026, 11, 29, 10, 5, tzinfo=UTC), 8.0)  # running hour
        assert outbox.roll_up_plays() == 2
        rows = {(p.kind, p.payload.get("headline_id")): p for p in outbox.pending(50)}
        assert rows[("play_count", "welcome")].payload == {
            "headline_id": "welcome",
            "hour": "2026-11-29T09:00:00+00:00",
            "plays": 3,
            "seconds": 24.0,
        }
        assert rows[("play_count", "notice")].payload["plays"] == 1
        assert rows[("play_count", "welcome")].device == "led-1"
        assert rows[("play_count", "welcome")].reference.startswith("PP-")
        # The running hour waits; the finished ones left no raw rows behind.
        assert [k for k, _ in rows if k == "proof_of_play"] == ["proof_of_play"]
        assert outbox.roll_up_plays() == 0
        clock.moment += timedelta(hours=1)
        assert outbox.roll_up_plays() == 1
        assert all(p.kind == "play_count" for p in outbox.pending(50))


def test_each_device_sends_its_own_rows(tmp_path: Path) -> None:
    with Outbox.open(tmp_path, device_id="kiosk-1") as kiosk, Outbox.open(tmp_path, device_id="led-1") as led:
        rating = kiosk.submit("rating", RATING)
        led.record_play("welcome", datetime(2026, 11, 29, 9, 0, tzinfo=UTC), 8.0)
        led.roll_up_plays()
        assert [p.id for p in kiosk.outgoing("kiosk-1", claim_unowned=True, limit=10)] == [rating.id]
        assert [p.kind for p in led.outgoing("led-1", claim_unowned=False, limit=10)] == ["play_count"]
        assert kiosk.stats("kiosk-1").depth == 1 and led.stats("led-1", claim_unowned=False).depth == 1


def test_delivered_rows_are_pruned_after_the_retention(tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 11, 1, 9, 0, tzinfo=UTC))
    with Outbox.open(tmp_path, device_id="kiosk-1", clock=clock) as outbox:
        old = outbox.submit("rating", RATING)
        kept = outbox.submit("rating", RATING)
        outbox.mark_sent([old.id])
        clock.moment += timedelta(days=31)
        assert outbox.prune(timedelta(days=30)) == 1
        assert [p.id for p in outbox.pending()] == [kept.id]  # undelivered rows are never pruned


def test_the_budget_drops_proof_of_play_but_never_an_undelivered_citizen_record(tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 11, 29, 12, 0, tzinfo=UTC))
    with Outbox.open(tmp_path, device_id="kiosk-1", clock=clock) as outbox:
        citizens = [outbox.submit("suggestion", {"topics": [], "note": "x" * 500}).id for _ in range(50)]
        for n in range(3000):
            outbox.record_play(f"h{n % 7}", datetime(2026, 11, 29, 11, 0, tzinfo=UTC), 8.0)
        before = outbox.used_bytes()
        budget = 200 * 1024
        assert before > budget
        dropped = outbox.enforce_budget(budget)
        assert dropped > 0
        assert outbox.used_bytes() <= budget
        left = {p.id for p in outbox.pending(10_000)}
        assert set(citizens) <= left
        # Far below what the citizens' records take: every play row goes, no citizen's record does.
        outbox.enforce_budget(1024)
        assert {p.id for p in outbox.pending(10_000)} == set(citizens)


def test_a_refused_record_is_set_aside_and_counted(tmp_path: Path) -> None:
    with Outbox.open(tmp_path, device_id="kiosk-1") as outbox:
        bad = outbox.submit("rating", RATING)
        good = outbox.submit("rating", RATING)
        outbox.mark_rejected(bad.id, "422: payload.level: …")
        assert [p.id for p in outbox.outgoing("kiosk-1", claim_unowned=True, limit=10)] == [good.id]
        stats = outbox.stats("kiosk-1")
        assert stats.rejected == 1 and stats.depth == 1


def test_delivery_state_is_remembered_per_device(tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 11, 29, 12, 0, tzinfo=UTC))
    with Outbox.open(tmp_path, device_id="kiosk-1", clock=clock) as outbox:
        outbox.note_delivery("kiosk-1", error=None)
        clock.moment += timedelta(minutes=5)
        outbox.note_delivery("kiosk-1", error="cannot reach the centre")
        stats = outbox.stats("kiosk-1")
    assert stats.last_success == datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    assert stats.last_attempt == datetime(2026, 11, 29, 12, 5, tzinfo=UTC)
    assert stats.last_error == "cannot reach the centre"


def test_an_outbox_of_the_previous_version_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(
            """
            CREATE TABLE entries (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
                reference TEXT NOT NULL, created TEXT NOT NULL, payload TEXT NOT NULL, sent TEXT);
            CREATE INDEX entries_unsent ON entries (seq) WHERE sent IS NULL;
            CREATE TABLE counters (series TEXT PRIMARY KEY, last INTEGER NOT NULL) WITHOUT ROWID;
            PRAGMA user_version = 1;
            """
        )
        play = {
            "headline_id": "welcome",
            "started_at": "2026-11-29T09:00:00+08:00",
            "seconds": 8,
            "device_id": "led-1",
        }
        conn.execute(
            "INSERT INTO entries (id, kind, reference, created, payload) VALUES (?, ?, ?, ?, ?)",
            ("a", "rating", "QH-20261129-0001", "2026-11-29T09:00:00+08:00", json.dumps(RATING)),
        )
        conn.execute(
            "INSERT INTO entries (id, kind, reference, created, payload) VALUES (?, ?, ?, ?, ?)",
            ("b", "proof_of_play", "PP-20261129-0001", "2026-11-29T09:00:08+08:00", json.dumps(play)),
        )
        conn.execute("INSERT INTO counters VALUES ('QH-20261129', 1)")
    noon = datetime(2026, 11, 29, 4, 0, tzinfo=UTC)  # 29 November in any zone from UTC-4 to UTC+19
    with Outbox.open(tmp_path, device_id="kiosk-1", clock=lambda: noon) as outbox:
        # The citizen's row had no owner: the kiosk claims it; the play row is the display's.
        assert [p.id for p in outbox.outgoing("kiosk-1", claim_unowned=True, limit=10)] == ["a"]
        assert [p.id for p in outbox.pending(10) if p.device == "led-1"] == ["b"]
        assert outbox.submit("rating", RATING).reference == "QH-20261129-0002"  # the counter survived
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
