"""Recording heartbeats: the newest state of each device (one row, replaced), its history (kept for
the configured days), and the first sighting of each feed sequence."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, update
from sqlalchemy.dialects import postgresql, sqlite

from centre.db import engine as db
from centre.db.schema import device_state, devices, feed_sequences, heartbeats
from feed.uplink.wire import Heartbeat


def record(engine: Engine, heartbeat: Heartbeat, now: datetime) -> None:
    """Store one heartbeat of an authenticated device, in one transaction."""
    feed, outbox, headline = heartbeat.feed, heartbeat.outbox, heartbeat.headline
    state: dict[str, Any] = {
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
    with db.write(engine) as conn:
        _upsert(conn, state | {"device_id": heartbeat.device_id})
        conn.execute(
            heartbeats.insert().values(
                device_id=heartbeat.device_id,
                received_at=now,
                sequence=feed.sequence,
                stale=feed.stale,
                last_error=feed.last_error,
                outbox_depth=outbox.depth,
                oldest_unsent_seconds=outbox.oldest_unsent_seconds,
                free_disk_bytes=heartbeat.free_disk_bytes,
            )
        )
        if feed.feed_id is not None and feed.sequence is not None:
            _first_sighting(conn, feed.feed_id, feed.sequence, now)
        conn.execute(update(devices).where(devices.c.id == heartbeat.device_id).values(last_seen_at=now))


def _dialect(conn: Connection) -> Any:
    return postgresql if conn.dialect.name == "postgresql" else sqlite


def _upsert(conn: Connection, row: dict[str, Any]) -> None:
    statement = _dialect(conn).insert(device_state).values(row)
    changes = {key: statement.excluded[key] for key in row if key != "device_id"}
    conn.execute(statement.on_conflict_do_update(index_elements=["device_id"], set_=changes))


def _first_sighting(conn: Connection, feed_id: str, sequence: int, now: datetime) -> None:
    statement = (
        _dialect(conn).insert(feed_sequences).values(feed_id=feed_id, sequence=sequence, first_seen_at=now)
    )
    conn.execute(statement.on_conflict_do_nothing(index_elements=["feed_id", "sequence"]))


def prune(engine: Engine, now: datetime, keep_days: int) -> int:
    """Delete heartbeat history older than `keep_days`; returns how many rows went."""
    with db.write(engine) as conn:
        result = conn.execute(
            delete(heartbeats).where(heartbeats.c.received_at < now - timedelta(days=keep_days))
        )
    return int(result.rowcount or 0)
