"""Opening the core's SQLite files (the store, the object database, the outbox): one way for all.

Each file is shared by several processes (the syncing one, the kiosk, the display): WAL mode lets
readers keep their snapshot while a writer commits, `synchronous=FULL` makes a commit durable before
it returns (a power cut leaves the previous state or the new one), and a busy timeout makes writers
queue instead of failing. Every failure names the file and its real cause (`feed.sqlite.failures`).

A file's `Schema` says what it holds and at which version (SQLite's `user_version`):

- a new, empty file is created at that version, under a write lock, re-checked inside it (another
  process may be creating it at the same moment);
- a file at that version is used as it is, after a probe query that reads its main table (so damage
  shows at open);
- a cache (the store, the object database) at any other version raises `OutdatedCacheError`: its
  owner sets it aside and the next sync rebuilds it from the feed (`feed.store.repair`);
- a file that is not a cache (the outbox: what citizens submitted) is migrated forward step by step,
  and one from a newer program is refused, never rewritten;
- an SQLite file at version 0 holding tables of its own is someone else's: refused, never touched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from feed.errors import FeedError, OutdatedCacheError
from feed.sqlite.failures import sqlite_failure
from feed.sqlite.transactions import immediate
from feed.sqlite.wal import enable_wal

BUSY_TIMEOUT_MS = 5_000
JOURNAL_SIZE_LIMIT = 16 * 1024 * 1024  # a first full sync writes tens of MB through the WAL


@dataclass(frozen=True)
class Schema:
    """`label` names the file in messages ("store database", "outbox"); `create` holds the statements
    of a new file at `version`; `probe` is a cheap query that reads the main table. `migrations`
    maps a version v to the statements taking a file from v to v + 1; None marks a cache."""

    label: str
    version: int
    create: Sequence[str]
    probe: str
    migrations: Mapping[int, Sequence[str]] | None = None


def open_database(path: Path, schema: Schema) -> sqlite3.Connection:
    """Open (creating if needed) the SQLite file at `path` for `schema`, ready for use.

    Raises OutdatedCacheError for a cache at another version, DamagedStoreError when the file is
    damaged, StorageError when its filesystem cannot be written (read-only, full), FeedError
    otherwise (a file of a newer program, someone else's file); never deletes or rewrites data."""
    what = f"cannot open the {schema.label}"
    try:
        conn = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise sqlite_failure(path, what, exc) from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = enable_wal(conn)
        if mode != "wal":
            raise FeedError(f"{path}: cannot switch the {schema.label} to WAL mode (got {mode})")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT}")
        if _version(conn) != schema.version or not _has_tables(conn):
            with immediate(conn):  # re-checked under the write lock: another process may be here too
                _bring_to_version(conn, path, schema)
        conn.execute(schema.probe).fetchall()
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise sqlite_failure(path, what, exc) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def open_read_only(path: Path, schema: Schema, *, immutable: bool) -> sqlite3.Connection:
    """Open an existing file at `schema.version` for reading only, where it cannot be written.

    SQLite needs a WAL file's -wal and -shm files to read it: when a process stopped without closing
    it they are there, and the newest commit is read. When they are not (it was closed cleanly, so
    the file holds every commit) and `immutable` is set — only for a read-only filesystem, where
    nothing can change the file — it is opened as immutable instead."""
    uri = path.resolve().as_uri()
    failure: sqlite3.Error | None = None
    for query in ("mode=ro", "mode=ro&immutable=1") if immutable else ("mode=ro",):
        conn: sqlite3.Connection | None = None
        try:
            conn = sqlite3.connect(f"{uri}?{query}", uri=True, isolation_level=None, check_same_thread=False)
            version = _version(conn)
            conn.execute(schema.probe).fetchall()
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            failure = exc
            continue
        if version != schema.version:
            conn.close()
            raise FeedError(
                f"{path}: {schema.label} schema version {version} cannot be read here "
                f"(this program reads {schema.version}; it is rebuilt once the cache can be written)"
            )
        return conn
    assert failure is not None
    raise sqlite_failure(path, f"cannot open the {schema.label} read-only", failure) from failure


def _version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _has_tables(conn: sqlite3.Connection) -> bool:
    return bool(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])


def _bring_to_version(conn: sqlite3.Connection, path: Path, schema: Schema) -> None:
    """Inside a write transaction: create a new file, or judge an existing one by its version."""
    found = _version(conn)
    if not _has_tables(conn):
        for statement in schema.create:
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {schema.version}")
        return
    if found == schema.version:
        return
    if found == 0:
        raise FeedError(f"{path}: is an SQLite file but not a hall-feed {schema.label}; refusing to touch it")
    if schema.migrations is None:
        raise OutdatedCacheError(
            f"{path}: {schema.label} schema version {found}, this program uses {schema.version}",
            path=path,
            inode=_inode(path),
        )
    if found > schema.version:
        raise FeedError(
            f"{path}: {schema.label} schema version {found} is newer than this program supports "
            f"({schema.version}); upgrade the software or move the file aside (nothing was deleted)"
        )
    for version in range(found, schema.version):
        for statement in schema.migrations[version]:
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {schema.version}")


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


def split_script(script: str) -> list[str]:
    """Split an SQL script into statements (executescript would commit the open transaction)."""
    lines = [line for line in script.splitlines() if not line.lstrip().startswith("--")]
    return [statement.strip() for statement in "\n".join(lines).split(";") if statement.strip()]
