"""The centre's rules on their own: a device's status, phone masking, tokens, heartbeat retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from centre.db import heartbeats
from centre.db.schema import heartbeats as history
from centre.rules.device_status import Heard, Newest, Thresholds, device_status
from centre.rules.masking import mask_phone
from centre.rules.tokens import new_token, plausible, token_hash
from feed.uplink.wire import Heartbeat
from tests.centre.centre_kit import register

NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
RULES = Thresholds()


def heard(ago: timedelta = timedelta(seconds=30), **changes: object) -> Heard:
    values: dict[str, object] = {
        "received_at": NOW - ago,
        "interval_seconds": 60.0,
        "feed_id": "qinghe",
        "sequence": 42,
        "stale": False,
        "feed_expires": NOW + timedelta(days=3),
        "oldest_unsent_seconds": None,
    }
    values.update(changes)
    return Heard(**values)  # type: ignore[arg-type]


NEWEST = Newest(sequence=42, first_seen_at=NOW - timedelta(hours=2))


@pytest.mark.parametrize(
    ("state", "newest", "status", "problems"),
    [
        (heard(), NEWEST, "ok", ()),
        (None, NEWEST, "silent", ("silent",)),
        (heard(timedelta(seconds=179)), NEWEST, "ok", ()),
        (heard(timedelta(seconds=181)), NEWEST, "silent", ("silent",)),
        (heard(interval_seconds=600, ago=timedelta(minutes=25)), NEWEST, "ok", ()),
        (heard(stale=True), NEWEST, "stale", ("stale",)),
        (heard(feed_expires=NOW - timedelta(seconds=1)), NEWEST, "stale", ("stale",)),
        (heard(sequence=41), NEWEST, "behind", ("behind",)),
        (heard(sequence=41), Newest(42, NOW - timedelta(minutes=14)), "ok", ()),
        (heard(sequence=None), NEWEST, "ok", ()),
        (heard(oldest_unsent_seconds=3590), NEWEST, "backlog", ("backlog",)),  # 3,590 s + 30 s since
        (heard(oldest_unsent_seconds=3000), NEWEST, "ok", ()),
        (
            heard(timedelta(minutes=10), sequence=40, stale=True, oldest_unsent_seconds=4000),
            NEWEST,
            "silent",
            ("silent", "stale", "behind", "backlog"),
        ),
    ],
)
def test_device_status(state: Heard | None, newest: Newest, status: str, problems: tuple[str, ...]) -> None:
    judged = device_status(state, newest, NOW, RULES)
    assert (judged.status, judged.problems) == (status, problems)
    assert judged.label


@pytest.mark.parametrize(
    ("phone", "shown"),
    [("13812341234", "138****1234"), ("02512345678", "025****5678"), ("12345", "***45"), (None, None)],
)
def test_phone_numbers_are_masked(phone: str | None, shown: str | None) -> None:
    assert mask_phone(phone) == shown


def test_tokens_are_random_and_kept_as_hashes() -> None:
    first, second = new_token(), new_token()
    assert first != second and plausible(first) and len(first) > 40
    assert token_hash(first) != token_hash(second) and len(token_hash(first)) == 64
    assert not plausible("Bearer abc") and not plausible("hk1_" + "x" * 300)


def test_heartbeat_history_is_kept_for_the_retention_only(centre_engine: object) -> None:

    assert isinstance(centre_engine, Engine)
    register(centre_engine, "kiosk-1")
    beat = Heartbeat.model_validate(
        {
            "device_id": "kiosk-1",
            "role": "kiosk",
            "software_version": "0.1.0",
            "sent_at": NOW.isoformat(),
            "interval_seconds": 60,
            "uptime_seconds": 1,
            "feed": {},
            "outbox": {"depth": 0},
        }
    )
    for days_ago in (40, 31, 29, 1):
        heartbeats.record(centre_engine, beat, NOW - timedelta(days=days_ago))
    assert heartbeats.prune(centre_engine, NOW, keep_days=30) == 2
    with centre_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(history)).scalar_one() == 2
