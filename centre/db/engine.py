"""Opening the centre's database: SQLite (one file, WAL) or PostgreSQL through psycopg 3.

On SQLite every transaction is begun explicitly: `write()` takes the write lock at its start
(BEGIN IMMEDIATE), so two writers queue on the busy timeout instead of one failing with "database is
locked" when it upgrades a read lock; readers never block writers (WAL).

A write is durable when it commits (the disk has it) unless it says `durable=False`: heartbeats, of
which the next one replaces the last, skip the wait for the disk (SQLite `synchronous=NORMAL` in WAL
mode, PostgreSQL `synchronous_commit = off`). A power cut may then lose the last moments of them,
never consistency — and never a record a device was told is held.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, func
from sqlalchemy.engine import make_url

from feed import ConfigError

SQLITE_BUSY_MS = 30_000


def open_engine(url: str, *, pool_size: int = 10) -> Engine:
    """An engine for `url` (sqlite:///PATH or postgresql+psycopg://…); ConfigError when it cannot be."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        folder = Path(database).parent
        if not folder.is_dir():
            raise ConfigError(f"{url}: the folder {folder} does not exist")
        engine = create_engine(url, pool_size=pool_size, max_overflow=pool_size)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event issues BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    # FULL: a batch the centre acknowledged survives a power cut (the device then deletes its copy).
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    options = connection.get_execution_options()
    # Outside a transaction, so it applies to this one; every begin sets it, so a pooled connection
    # never carries a lax setting into the next transaction.
    connection.exec_driver_sql(f"PRAGMA synchronous = {'FULL' if options.get('durable', True) else 'NORMAL'}")
    connection.exec_driver_sql(f"BEGIN {options.get('sqlite_begin', 'DEFERRED')}")


# SQLite has one writer at a time, and a waiting writer polls with sleeps of up to 100 ms. Writers in
# this process queue on a lock instead, which wakes the next one the moment the last commits.
_SQLITE_WRITERS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()
_REGISTRY_LOCK = threading.Lock()


def _writer_lock(engine: Engine) -> threading.Lock | None:
    if engine.dialect.name != "sqlite":
        return None
    with _REGISTRY_LOCK:
        return _SQLITE_WRITERS.setdefault(engine, threading.Lock())


@contextmanager
def write(engine: Engine, *, durable: bool = True) -> Iterator[Connection]:
    """One write transaction: committed when the block ends, rolled back on any exception."""
    lock = _writer_lock(engine)
    with lock if lock is not None else nullcontext(), engine.connect() as plain:
        connection = plain.execution_options(sqlite_begin="IMMEDIATE", durable=durable)
        with connection.begin():
            if not durable and connection.dialect.name == "postgresql":
                connection.exec_driver_sql("SET LOCAL synchronous_commit = off")
            yield connection


@contextmanager
def read(engine: Engine) -> Iterator[Connection]:
    """One read transaction: a consistent snapshot for a report or a page."""
    with engine.connect() as connection, connection.begin():
        yield connection


def utc_hour(column: Any, dialect_name: str) -> Any:
    """SQL for the UTC hour of a `UtcDateTime` column as text `YYYY-MM-DD HH`, for grouping on either
    engine (SQLite keeps UTC times as ISO text, PostgreSQL as timestamptz)."""
    if dialect_name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD HH24")
    return func.substr(column, 1, 13)


def parse_utc_hour(text: str) -> datetime:
    """The aware start of the hour `utc_hour` gave (`YYYY-MM-DD HH`: ISO 8601, which `fromisoformat`
    reads about eighty times faster than `strptime` — a quarter's ratings page parses thousands)."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)
