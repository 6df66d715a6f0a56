"""SQLite errors turned into the error that names the real cause: a damaged file, the storage around
it (read-only, full, no permission: `feed.disk.storage`), or anything else. SQLite reports all of
these in its own words ("disk I/O error", "unable to open database file", "database disk image is
malformed"); a status screen and an operator need the cause."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from feed.disk.storage import storage_problem
from feed.errors import DamagedStoreError, FeedError, StorageError

_DAMAGE = ("SQLITE_CORRUPT", "SQLITE_NOTADB")


def is_damage(exc: sqlite3.Error) -> bool:
    """True when SQLite says the file itself is damaged (not the disk around it)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith(_DAMAGE)


def sqlite_failure(path: Path, what: str, exc: sqlite3.Error) -> FeedError:
    """The error to raise for `exc` on the SQLite file `path`, naming the real cause.

    DamagedStoreError when the file is damaged; StorageError when its filesystem is read-only, full
    or not writable; FeedError otherwise."""
    if is_damage(exc):
        try:
            inode: int | None = path.stat().st_ino
        except OSError:
            inode = None
        return DamagedStoreError(f"{path}: {what}: the file is corrupt ({exc})", path=path, inode=inode)
    problem = storage_problem(path.parent)
    if problem is not None:
        return StorageError(f"{path}: {what}: {problem.text} ({exc})", kind=problem.kind)
    return FeedError(f"{path}: {what} ({exc})")
