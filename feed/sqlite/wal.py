"""Switching an SQLite file to WAL mode when several processes may open it at the same moment.

The journal-mode change needs a brief exclusive lock, and SQLite reports "database is locked" for
it at once instead of waiting out the busy timeout while another process is creating or recovering
the same file (the kiosk and the display start together on one cache). A short, bounded retry
turns that race into a few milliseconds' wait.
"""

from __future__ import annotations

import sqlite3
import time

ATTEMPTS = 100
PAUSE_SECONDS = 0.05  # up to five seconds in all, the same as the busy timeout


def enable_wal(conn: sqlite3.Connection) -> str:
    """Put `conn`'s database in WAL mode; returns the journal mode SQLite reports afterwards."""
    for attempt in range(ATTEMPTS):
        try:
            return str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]).lower()
        except sqlite3.OperationalError as exc:
            if ("locked" not in str(exc) and "busy" not in str(exc)) or attempt == ATTEMPTS - 1:
                raise
            time.sleep(PAUSE_SECONDS)
    raise AssertionError("unreachable")  # the loop returns or raises
