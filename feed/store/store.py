"""`Store`: the sync engine's handle on a cache directory (write side of the offline store).

Layout of a cache directory:
    store.db              SQLite (WAL): current snapshot, search index, meta, sync state
    outbox.db             what the kiosk and display send back (feed.outbox)
    objects.db            verified shard and record objects (feed.store.objectdb)
    objects/ab/<sha256>   verified blobs, written atomically
    manifest.json         the manifest of the snapshot in force (to rebuild store.db offline)
    sync.lock             held by the one process that syncs
    .repair.lock          held while a damaged database is set aside (feed.store.repair)
    *.damaged-<time>      damaged (or .outdated-: another schema version) databases set aside (the
                          newest two are kept)
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from feed.disk.atomic import write_atomic
from feed.disk.files import read_regular
from feed.format.manifest import Manifest
from feed.sqlite.failures import sqlite_failure
from feed.sqlite.transactions import immediate
from feed.store import snapshot
from feed.store.cachedir import SAVED_MANIFEST, STORE_NAME, prepare_cache_dir
from feed.store.database import STORE_SCHEMA
from feed.store.lock import sync_lock
from feed.store.objects import ObjectCache
from feed.store.repair import open_or_set_aside, remember
from feed.store.state import (
    HEALTH_KEYS,
    SNAPSHOT_KEYS,
    SYNC_KEYS,
    SnapshotInfo,
    SyncState,
    bump_version,
    read_meta,
    snapshot_from_meta,
    sync_state_from_meta,
    write_meta,
)


class Store:
    def __init__(self, cache_dir: Path, conn: sqlite3.Connection) -> None:
        self.cache_dir = cache_dir
        self.path = cache_dir / STORE_NAME
        self.objects = ObjectCache(cache_dir)
        self._conn = conn
        self._lock = threading.RLock()

    @classmethod
    def open(cls, cache_dir: Path) -> Store:
        """Open the cache directory for syncing, creating it and the database if needed."""
        cache_dir = prepare_cache_dir(cache_dir)
        conn, note = open_or_set_aside(cache_dir / STORE_NAME, STORE_SCHEMA)
        if note is not None:
            remember(conn, note)
        return cls(cache_dir, conn)

    def _guarded(self) -> AbstractContextManager[sqlite3.Connection]:
        return _guard(self._lock, self._conn, self.path)

    def current(self) -> SnapshotInfo | None:
        with self._guarded() as conn:
            return snapshot_from_meta(read_meta(conn, SNAPSHOT_KEYS))

    def manifest_bytes(self) -> bytes | None:
        """The manifest of the current snapshot exactly as received (for re-verification offline)."""
        with self._guarded() as conn:
            value = read_meta(conn, ("manifest",)).get("manifest")
        return bytes(value) if value is not None else None

    def sync_state(self) -> SyncState:
        with self._guarded() as conn:
            return sync_state_from_meta(read_meta(conn, SYNC_KEYS))

    def record_attempt(
        self,
        *,
        at: datetime,
        source: str,
        error: str | None,
        etag: str | None = None,
        last_modified: str | None = None,
        success: bool = False,
    ) -> None:
        """Remember a sync attempt. On success the validators are replaced (None clears them) and the
        last error is cleared; on failure they are kept unless given."""
        values: dict[str, Any] = {"last_attempt": at.isoformat(), "source": source, "last_error": error}
        if success:
            values.update(last_success=at.isoformat(), etag=etag, last_modified=last_modified)
        else:
            if etag is not None:
                values["etag"] = etag
            if last_modified is not None:
                values["last_modified"] = last_modified
        with self._guarded() as conn, immediate(conn):
            write_meta(conn, values)
            bump_version(conn)

    def commit_snapshot(
        self,
        manifest: Manifest,
        manifest_bytes: bytes,
        records: Sequence[snapshot.Checked],
        unchanged: Sequence[snapshot.Listed] = (),
        *,
        restart: bool = False,
    ) -> None:
        """Make `records` plus the `unchanged` ones already held the current snapshot, in one
        transaction (see feed.store.snapshot)."""
        with self._guarded() as conn:
            snapshot.commit_snapshot(
                conn, manifest, manifest_bytes, records, unchanged=unchanged, restart=restart
            )

    def save_manifest(self, raw: bytes) -> None:
        """Keep the manifest of the snapshot just committed beside it (see SAVED_MANIFEST)."""
        write_atomic(self.cache_dir / SAVED_MANIFEST, raw)

    def saved_manifest(self, max_bytes: int) -> bytes | None:
        """The manifest kept by `save_manifest`, or None when there is none (or it is unusable)."""
        try:
            return read_regular(self.cache_dir / SAVED_MANIFEST, max_bytes)
        except OSError:
            return None

    def snapshot_objects(self) -> tuple[set[str], dict[str, int]]:
        """The record objects (by name) and blobs (name → size) the snapshot in force refers to."""
        with self._guarded() as conn:
            records = {sha for (sha,) in conn.execute("SELECT DISTINCT sha256 FROM records")}
            return records, snapshot.snapshot_blobs(conn)

    def health(self) -> dict[str, Any]:
        with self._guarded() as conn:
            return read_meta(conn, HEALTH_KEYS)

    def record_object_check(self, *, repaired: int, missing: int, cursor: str | None) -> None:
        """Add `repaired` to the objects fetched again, set how many are still missing, and where
        the scrub goes on next time."""
        with self._guarded() as conn, immediate(conn):
            before = int(read_meta(conn, ("objects_repaired",)).get("objects_repaired") or 0)
            write_meta(
                conn,
                {"objects_repaired": before + repaired, "objects_missing": missing, "scrub_cursor": cursor},
            )
            if repaired or missing:
                bump_version(conn)

    def rebuild_pending(self) -> bool:
        """True when store.db was set aside and replaced, and the snapshot not yet rebuilt."""
        return bool(self.health().get("rebuild_pending"))

    def rebuilt(self, text: str) -> None:
        """The snapshot was rebuilt after a repair: append `text` to the repair's note."""
        with self._guarded() as conn, immediate(conn):
            note = read_meta(conn, ("repair_note",)).get("repair_note")
            write_meta(conn, {"repair_note": f"{note}; {text}" if note else text, "rebuild_pending": None})
            bump_version(conn)

    def stored_blobs(self, keys: Collection[tuple[str, str]]) -> list[tuple[str, int]]:
        """(sha256, size) of every blob the held records under `keys` refer to."""
        with self._guarded() as conn:
            return snapshot.stored_blobs(conn, keys)

    def stored_hall_targets(self, keys: Collection[tuple[str, str]]) -> list[tuple[str, str, list[str]]]:
        """(kind, id, hall ids) of the held records under `keys` that are targeted at halls."""
        with self._guarded() as conn:
            return snapshot.stored_hall_targets(conn, keys)

    def rules_version(self) -> int | None:
        """The version of the checks the held records passed (feed.format.validation.RULES_VERSION);
        None for a store written before versions were kept."""
        with self._guarded() as conn:
            value = read_meta(conn, ("rules_version",)).get("rules_version")
        return int(value) if value is not None else None

    def record_hashes(self) -> dict[tuple[str, str], str]:
        with self._guarded() as conn:
            return snapshot.current_hashes(conn)

    def gc(self, keep: Iterable[str]) -> int:
        return self.objects.gc(keep)

    def sync_lock(self) -> AbstractContextManager[None]:
        return sync_lock(self.cache_dir)

    def close(self) -> None:
        with self._lock:
            self.objects.close()
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def _guard(lock: threading.RLock, conn: sqlite3.Connection, path: Path) -> Iterator[sqlite3.Connection]:
    """Serialise use of the connection across threads and turn SQLite failures into FeedError."""
    with lock:
        try:
            yield conn
        except sqlite3.DatabaseError as exc:
            raise sqlite_failure(path, "store database error", exc) from exc
