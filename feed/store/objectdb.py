"""Shard and record objects, kept as rows of CACHE/objects.db rather than as files.

A feed has tens of thousands of them, a few KiB each, and creating that many files costs more than
downloading them. Rows are buffered and committed in batches (one fsync per batch), so a run that
stops loses at most the last batch; `flush()` commits what is buffered. The caller verifies every
object before `add`, and SQLite's transactions mean a row is never torn.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from feed.sqlite.failures import sqlite_failure
from feed.sqlite.opener import Schema
from feed.sqlite.transactions import immediate
from feed.store.repair import open_or_set_aside

OBJECTS_DB = "objects.db"
BATCH = 512
_READ_CHUNK = 500  # names per IN (...) query, well under SQLite's bound on parameters

# Version 0 is the first: the file predates versions, and its one table has not changed since.
OBJECTS_SCHEMA = Schema(
    label="object database",
    version=0,
    create=("CREATE TABLE objects (sha256 TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID",),
    probe="SELECT count(*) FROM objects",
)


class ObjectDb:
    def __init__(self, cache_dir: Path) -> None:
        self.path = cache_dir / OBJECTS_DB
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._pending: dict[str, bytes] = {}

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """The connection under the lock, opened on first use (readers of the store never need it);
        SQLite failures become errors naming the cause. A file found damaged when opened is set
        aside (see feed.store.repair): what it held is fetched again."""
        with self._lock:
            if self._conn is None:
                self._conn, _ = open_or_set_aside(self.path, OBJECTS_SCHEMA)
            try:
                yield self._conn
            except sqlite3.Error as exc:
                raise sqlite_failure(self.path, "object database error", exc) from exc

    def has(self, sha256: str) -> bool:
        with self._db() as conn:
            if sha256 in self._pending:
                return True
            return conn.execute("SELECT 1 FROM objects WHERE sha256 = ?", (sha256,)).fetchone() is not None

    def get(self, sha256: str) -> bytes | None:
        with self._db() as conn:
            data = self._pending.get(sha256)
            if data is not None:
                return data
            row = conn.execute("SELECT data FROM objects WHERE sha256 = ?", (sha256,)).fetchone()
        return bytes(row[0]) if row is not None else None

    def held(self) -> set[str]:
        """Every name held, buffered or committed, in one query (not one per object)."""
        with self._db() as conn:
            stored = {row[0] for row in conn.execute("SELECT sha256 FROM objects")}
            return stored | self._pending.keys()

    def get_many(self, names: Iterable[str]) -> dict[str, bytes]:
        """The rows held among `names`, read with one query per `_READ_CHUNK` names."""
        wanted = list(dict.fromkeys(names))
        found: dict[str, bytes] = {}
        with self._db() as conn:
            for start in range(0, len(wanted), _READ_CHUNK):
                chunk = wanted[start : start + _READ_CHUNK]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT sha256, data FROM objects WHERE sha256 IN ({marks})"
                found.update((name, bytes(data)) for name, data in conn.execute(query, chunk))
            found.update((name, data) for name in wanted if (data := self._pending.get(name)) is not None)
        return found

    def add(self, sha256: str, data: bytes) -> None:
        with self._lock:
            self._pending[sha256] = data
            if len(self._pending) >= BATCH:
                self.flush()

    def flush(self) -> None:
        """Commit the buffered rows (durably: synchronous=FULL)."""
        with self._lock:
            if not self._pending:
                return
            rows = list(self._pending.items())
            with self._db() as conn:
                try:
                    with immediate(conn):
                        conn.executemany("INSERT OR REPLACE INTO objects (sha256, data) VALUES (?, ?)", rows)
                except sqlite3.Error as exc:
                    raise sqlite_failure(self.path, "cannot store objects", exc) from exc
            self._pending.clear()

    def discard(self, sha256: str) -> None:
        with self._db() as conn, immediate(conn):
            self._pending.pop(sha256, None)
            conn.execute("DELETE FROM objects WHERE sha256 = ?", (sha256,))

    def names(self) -> Iterator[str]:
        yield from self.held()

    def gc(self, keep: Iterable[str]) -> int:
        """Delete every row not in `keep`; returns how many went."""
        wanted = set(keep)
        self.flush()
        with self._db() as conn:
            stale = [(sha,) for (sha,) in conn.execute("SELECT sha256 FROM objects") if sha not in wanted]
            if stale:
                with immediate(conn):
                    conn.executemany("DELETE FROM objects WHERE sha256 = ?", stale)
        return len(stale)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
