"""The outbox: durable submissions with stable ids and daily reference numbers."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from feed.errors import FeedError
from feed.outbox import Outbox

CST = timezone(timedelta(hours=8))
RATING = {
    "level": 5,
    "level_label": "非常满意",
    "subject": {"kind": "hall", "id": "qinghe"},
    "channel": "kiosk",
}


def fixed_clock(moment: datetime):  # type: ignore[no-untyped-def]
    return lambda: moment


def test_submit_returns_id_and_daily_reference(tmp_path: Path) -> None:
    morning = datetime(2026, 11, 25, 9, 30, tzinfo=CST)
    with Outbox.open(tmp_path, clock=fixed_clock(morning)) as outbox:
        first = outbox.submit("rating", RATING)
        second = outbox.submit("suggestion", {"topics": [{"code": "queue", "label": "排队叫号"}]})
        play = outbox.record_play("welcome", morning, 12.5, "led-1")
    assert first.id != second.id and len(first.id) == 36
    assert first.created == morning
    # The reference carries the local calendar day (24th or 25th, depending on the machine zone).
    assert first.reference.endswith("-0001") and second.reference.endswith("-0002")
    assert first.reference.startswith("QH-2026112")
    assert play.reference.startswith("PP-") and play.reference.endswith("-0001")


def test_counter_restarts_each_day(tmp_path: Path) -> None:
    moments = iter([datetime(2026, 11, 25, 3, 0, tzinfo=UTC), datetime(2026, 11, 27, 3, 0, tzinfo=UTC)])
    with Outbox.open(tmp_path, clock=lambda: next(moments), prefix="qh") as outbox:
        a = outbox.submit("rating", RATING)
        b = outbox.submit("rating", RATING)
    assert a.reference.endswith("-0001") and b.reference.endswith("-0001")
    assert a.reference[:11] != b.reference[:11]
    assert a.reference.startswith("QH-")


def test_submissions_survive_reopen_and_can_be_marked_sent(tmp_path: Path) -> None:
    with Outbox.open(tmp_path) as outbox:
        ids = [outbox.submit("rating", {**RATING, "level": n}).id for n in (1, 2, 3)]
        outbox.record_play("welcome", datetime.now(UTC), 8.0)
    with Outbox.open(tmp_path, device_id="led-1") as outbox:
        assert outbox.depth() == 4
        pending = outbox.pending(limit=10)
        assert [p.id for p in pending[:3]] == ids
        assert pending[0].payload["level"] == 1 and pending[0].kind == "rating"
        assert pending[3].kind == "proof_of_play" and pending[3].payload["headline_id"] == "welcome"
        assert outbox.mark_sent(ids[:2]) == 2
        assert outbox.mark_sent(ids[:2]) == 0
        assert outbox.depth() == 2
        assert [p.id for p in outbox.pending(1)] == [ids[2]]


@pytest.mark.parametrize(
    ("kind", "payload", "reason"),
    [
        ("complaint", {"x": 1}, "unknown outbox kind"),
        ("rating", {"level": 7}, "rating payload: level: .*less than or equal to 5"),
        ("rating", {"level": 3, "when": datetime(2026, 1, 1)}, "not JSON-serialisable"),
        ("suggestion", {"text": "很" * 10_000}, "more than"),
        ("suggestion", {"phone": "138-0000"}, "suggestion payload: phone"),
        ("proof_of_play", {"headline_id": "a", "seconds": -1}, "non-negative"),
    ],
)
def test_bad_payloads_are_refused_and_not_stored(
    tmp_path: Path, kind: str, payload: dict, reason: str
) -> None:  # type: ignore[type-arg]
    with Outbox.open(tmp_path) as outbox:
        with pytest.raises(FeedError, match=reason):
            outbox.submit(kind, payload)
        assert outbox.depth() == 0


def test_row_is_on_disk_when_submit_returns_even_if_the_process_is_killed(tmp_path: Path) -> None:
    """A child submits, prints the reference, then waits; we SIGKILL it at once and reopen."""
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from feed.outbox import Outbox
        outbox = Outbox.open(Path({str(tmp_path)!r}))
        done = outbox.submit("rating", {{"level": 2, "channel": "kiosk"}})
        print(done.id, done.reference, flush=True)
        time.sleep(60)
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        line = child.stdout.readline().split()
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    entry_id, reference = line
    with Outbox.open(tmp_path) as outbox:
        pending = outbox.pending()
    assert [(p.id, p.reference) for p in pending] == [(entry_id, reference)]


def test_two_processes_share_the_counter(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from feed.outbox import Outbox
        outbox = Outbox.open(Path({str(tmp_path)!r}))
        for _ in range(20):
            outbox.submit("suggestion", {{"topics": []}})
        """
    )
    children = [subprocess.Popen([sys.executable, "-c", script]) for _ in range(2)]
    for child in children:
        assert child.wait(timeout=60) == 0
    with Outbox.open(tmp_path) as outbox:
        references = [p.reference for p in outbox.pending(100)]
    assert len(references) == 40
    assert sorted(int(r.rsplit("-", 1)[1]) for r in references) == list(range(1, 41))


def test_corrupt_outbox_is_reported_and_kept(tmp_path: Path) -> None:
    junk = b"\x00garbage" * 500
    (tmp_path / "outbox.db").write_bytes(junk)
    with pytest.raises(FeedError, match=r"outbox\.db.*(corrupt|not a database)"):
        Outbox.open(tmp_path)
    assert (tmp_path / "outbox.db").read_bytes() == junk


def test_outbox_is_wal_and_fully_synchronous(tmp_path: Path) -> None:
    with Outbox.open(tmp_path) as outbox:
        outbox.submit("rating", RATING)
    with sqlite3.connect(tmp_path / "outbox.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
