"""Opening a database that another connection holds locked: the WAL switch waits, bounded."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from feed.sqlite import wal
from feed.sqlite.wal import enable_wal


def test_the_switch_waits_for_a_lock_held_elsewhere(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")  # as another process creating the file would
    release = threading.Timer(0.3, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        opener = sqlite3.connect(path, timeout=0, isolation_level=None)
        assert enable_wal(opener) == "wal"
        opener.close()
    finally:
        release.join()
        holder.close()


def test_a_lock_that_never_goes_gives_up_with_sqlites_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wal, "ATTEMPTS", 3)
    monkeypatch.setattr(wal, "PAUSE_SECONDS", 0.01)
    path = tmp_path / "stuck.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        opener = sqlite3.connect(path, timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            enable_wal(opener)
        opener.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
