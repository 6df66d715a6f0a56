"""What the store remembers besides records: the current snapshot, sync state, and a change counter.

All of it lives in the `meta` key/value table, so it commits in the same transaction as the records.
`version` increases with every commit (snapshot or sync attempt): readers in any process poll it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

SNAPSHOT_KEYS = ("feed_id", "sequence", "manifest_sha256", "issued", "expires")
SYNC_KEYS = ("etag", "last_modified", "last_attempt", "last_success", "last_error", "source")
HEALTH_KEYS = ("repair_note", "rebuild_pending", "objects_repaired", "objects_missing", "scrub_cursor")


@dataclass(frozen=True)
class SnapshotInfo:
    feed_id: str
    sequence: int
    manifest_sha256: str
    issued: datetime
    expires: datetime


@dataclass(frozen=True)
class SyncState:
    etag: str | None = None
    last_modified: str | None = None
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    source: str | None = None


def read_meta(conn: sqlite3.Connection, keys: tuple[str, ...] | None = None) -> dict[str, Any]:
    if keys is None:
        rows = conn.execute("SELECT key, value FROM meta").fetchall()
    else:
        marks = ",".join("?" * len(keys))
        rows = conn.execute(f"SELECT key, value FROM meta WHERE key IN ({marks})", keys).fetchall()
    return {str(key): value for key, value in rows}


def write_meta(conn: sqlite3.Connection, values: Mapping[str, Any]) -> None:
    conn.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        list(values.items()),
    )


def bump_version(conn: sqlite3.Connection) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('version', 1) "
        "ON CONFLICT (key) DO UPDATE SET value = value + 1"
    )


def read_version(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
    return int(row[0]) if row else 0


def _stamp(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def snapshot_from_meta(meta: Mapping[str, Any]) -> SnapshotInfo | None:
    if meta.get("sequence") is None:
        return None
    issued, expires = _stamp(meta.get("issued")), _stamp(meta.get("expires"))
    assert issued is not None and expires is not None
    return SnapshotInfo(
        feed_id=str(meta["feed_id"]),
        sequence=int(meta["sequence"]),
        manifest_sha256=str(meta["manifest_sha256"]),
        issued=issued,
        expires=expires,
    )


def sync_state_from_meta(meta: Mapping[str, Any]) -> SyncState:
    def text(key: str) -> str | None:
        value = meta.get(key)
        return str(value) if value is not None else None

    return SyncState(
        etag=text("etag"),
        last_modified=text("last_modified"),
        last_attempt=_stamp(meta.get("last_attempt")),
        last_success=_stamp(meta.get("last_success")),
        last_error=text("last_error"),
        source=text("source"),
    )


def counts_from_meta(meta: Mapping[str, Any]) -> dict[str, int]:
    raw = meta.get("counts")
    if not raw:
        return {}
    data = json.loads(raw)
    return {str(k): int(v) for k, v in data.items()} if isinstance(data, dict) else {}
