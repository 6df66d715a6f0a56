"""SQLite transactions that never hide why they failed.

`immediate` is one write transaction that takes the write lock at its start (BEGIN IMMEDIATE),
commits when the block ends and rolls back on any exception, so a reader never sees part of it.

SQLite rolls a transaction back by itself on some errors (a full disk, an I/O error, ON CONFLICT
ROLLBACK): a ROLLBACK after those fails with "cannot rollback - no transaction is active", and
raised from an except block it would replace the error that says what is really wrong. So the
rollback happens only while a transaction is open, and if it fails anyway that is noted on the
original error, which is what propagates.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException as exc:
        rollback(conn, exc)
        raise


@contextmanager
def read_snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A read transaction: every query inside sees one snapshot (nested blocks join the outer one)."""
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN")
    try:
        yield conn
    except BaseException as exc:
        rollback(conn, exc)
        raise
    conn.execute("COMMIT")


def rollback(conn: sqlite3.Connection, cause: BaseException) -> None:
    """Roll back the open transaction, if SQLite has not already; never raise over `cause`."""
    if not conn.in_transaction:
        return
    try:
        conn.execute("ROLLBACK")
    except sqlite3.Error as failure:
        cause.add_note(f"rollback failed as well: {failure}")
