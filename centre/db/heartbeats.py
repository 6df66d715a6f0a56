"""Recording heartbeats: the newest state of each device (one row, replaced), its history (kept for
the configured days), and the first sighting of each feed sequence."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cachetools import TTLCache
from sqlalchemy import Engine, bindparam, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from centre.db import engine as db
from centre.db.schema import device_state, devices, feed_sequences, heartbeats
from feed import Heartbeat


def record(engine: Engine, heartbeat: Heartbeat, now: datetime) -> None:
    """Store one heartbeat of an authenticated device, in one transaction."""
    feed, outbox, headline = heartbeat.feed, heartbeat.outbox, heartbeat.headline
    state: dict[str, Any] = {
        "device_id": heartbeat.device_id,
        "received_at": now,
        "sent_at": heartbeat.sent_at,
        "interval_seconds": heartbeat.interval_seconds,
        "software_version": heartbeat.software_version,
        "uptime_seconds": heartbeat.uptime_seconds,
        "free_disk_bytes": heartbeat.free_disk_bytes,
        "feed_id": feed.feed_id,
        "sequence": feed.sequence,
        "feed_expires": feed.expires,
        "last_success": feed.last_success,
        "last_attempt": feed.last_attempt,
        "last_error": feed.last_error,
        "stale": feed.stale,
        "outbox_depth": outbox.depth,
        "oldest_unsent_seconds": outbox.oldest_unsent_seconds,
        "last_delivery": outbox.last_delivery,
        "last_delivery_error": outbox.last_delivery_error,
        "headline_id": headline.id if headline else None,
        "headline_text": headline.text if headline else None,
    }
    history = {key: state[key] for key in _HISTORY_COLUMNS} | {"received_at": now}
    sighting = (engine.url.render_as_string(), feed.feed_id, feed.sequence)
    new_sighting = feed.feed_id is not None and feed.sequence is not None and not _recorded(sighting)
    with db.write(engine, durable=False) as conn:
        statements = _statements(conn.dialect.name)
        conn.execute(statements.upsert_state, state)
        conn.execute(statements.insert_history, history)
        if new_sighting:
            conn.execute(
                statements.first_sighting,
                {"feed_id": feed.feed_id, "sequence": feed.sequence, "first_seen_at": now},
            )
        conn.execute(statements.seen, {"device": heartbeat.device_id, "now": now})
    if new_sighting:
        _remember(sighting)  # only once it is committed


# Every device of a feed reports the same (feed, sequence) each minute; once it is recorded, writing it
# again is work and, on PostgreSQL, a lock all those transactions would queue on (one hot index key).
_SIGHTINGS: TTLCache[tuple[str, str | None, int | None], bool] = TTLCache(maxsize=4096, ttl=3600)
_SIGHTINGS_LOCK = threading.Lock()


def _recorded(sighting: tuple[str, str | None, int | None]) -> bool:
    with _SIGHTINGS_LOCK:
        return sighting in _SIGHTINGS


def _remember(sighting: tuple[str, str | None, int | None]) -> None:
    with _SIGHTINGS_LOCK:
        _SIGHTINGS[sighting] = True


_HISTORY_COLUMNS = tuple(c.name for c in heartbeats.columns if c.name not in ("id", "received_at"))


class _Statements:
    """The heartbeat's statements, built once per dialect (building them costs more than running
    them: a heartbeat arrives from every device every minute)."""

    def __init__(self, dialect: Any) -> None:
        state = dialect.insert(device_state)
        self.upsert_state = state.on_conflict_do_update(
            index_elements=["device_id"],
            set_={c.name: state.excluded[c.name] for c in device_state.columns if c.name != "device_id"},
        )
        self.insert_history = heartbeats.insert()
        self.first_sighting = dialect.insert(feed_sequences).on_conflict_do_nothing(
            index_elements=["feed_id", "sequence"]
        )
        self.seen = (
            update(devices).where(devices.c.id == bindparam("device")).values(last_seen_at=bindparam("now"))
        )


_BUILT: dict[str, _Statements] = {}


def _statements(dialect_name: str) -> _Statements:
    built = _BUILT.get(dialect_name)
    if built is None:
        built = _BUILT[dialect_name] = _Statements(postgresql if dialect_name == "postgresql" else sqlite)
    return built


def prune(engine: Engine, now: datetime, keep_days: int) -> int:
    """Delete heartbeat history older than `keep_days`; returns how many rows went."""
    with db.write(engine) as conn:
        result = conn.execute(
            delete(heartbeats).where(heartbeats.c.received_at < now - timedelta(days=keep_days))
        )
    return int(result.rowcount or 0)


@dataclass(frozen=True)
class HourOfHeartbeats:
    """One hour of a device's heartbeats, rolled up for its charts."""

    hour: datetime  # UTC, the start of the hour
    beats: int
    sync_errors: int  # heartbeats that reported a sync error
    outbox_depth: int  # the largest depth reported
    free_disk_bytes: int | None  # the least free disk reported


def history(engine: Engine, device_id: str, since: datetime) -> list[HourOfHeartbeats]:
    """The device's heartbeats since `since`, by hour, oldest first (hours without any are absent).
    Rolled up by the database: a week of minute heartbeats is 10,000 rows but 168 hours."""
    hour = db.utc_hour(heartbeats.c.received_at, engine.dialect.name).label("hour")
    statement = (
        select(
            hour,
            func.count(),
            func.count(heartbeats.c.last_error),
            func.max(heartbeats.c.outbox_depth),
            func.min(heartbeats.c.free_disk_bytes),
        )
        .where(heartbeats.c.device_id == device_id, heartbeats.c.received_at >= since)
        .group_by(hour)
        .order_by(hour)
    )
    with db.read(engine) as conn:
        return [
            HourOfHeartbeats(
                db.parse_utc_hour(text),
                int(beats),
                int(errors),
                int(deepest),
                None if least is None else int(least),
            )
            for text, beats, errors, deepest, least in conn.execute(statement)
        ]
