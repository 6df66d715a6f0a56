"""Opening the centre's database: SQLite (one file, WAL) or PostgreSQL through psycopg 3.

On SQLite every transaction is begun explicitly: `write()` takes the write lock at its start
(BEGIN IMMEDIATE), so two writers queue on the busy timeout instead of one failing with "database is
locked" when it upgrades a read lock; readers never block writers (WAL).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from feed.errors import ConfigError

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
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


@contextmanager
def write(engine: Engine) -> Iterator[Connection]:
    """One write transaction: committed when the block ends, rolled back on any exception."""
    with engine.connect() as plain:
        connection = plain.execution_options(sqlite_begin="IMMEDIATE")
        with connection.begin():
            yield connection


@contextmanager
def read(engine: Engine) -> Iterator[Connection]:
    """One read transaction: a consistent snapshot for a report or a page."""
    with engine.connect() as connection, connection.begin():
        yield connection
