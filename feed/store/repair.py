"""A damaged or outdated cache database is set aside and replaced, never left to stop the device.

store.db and objects.db are caches of a signed feed. When SQLite finds one damaged (corrupt,
truncated, not a database), or it was written with another schema version (an upgrade, a downgrade),
it is renamed with its -wal and -shm files to NAME.damaged-<UTC time> (or NAME.outdated-…) and a
new, empty one takes its place; the next sync rebuilds the snapshot from the verified objects still in
the cache, or from the feed. A note of what happened is kept in the new store, for status and the
admin screen. The outbox is not a cache (it holds what citizens submitted) and is never touched here.

Several processes may find the same damage at once (the kiosk, the display and a sync start together):
the move happens under an exclusive lock, and only while the file is still the one found damaged.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from feed.errors import DamagedStoreError, FeedError, OutdatedCacheError
from feed.sqlite.opener import Schema, open_database
from feed.sqlite.transactions import immediate
from feed.store.state import bump_version, write_meta

log = logging.getLogger(__name__)

LOCK_NAME = ".repair.lock"
KEEP_ASIDE = 2  # damaged copies kept for a post-mortem; older ones are deleted
_ATTEMPTS = 3
_SIDECARS = ("", "-wal", "-shm")


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


def open_or_set_aside(path: Path, schema: Schema) -> tuple[sqlite3.Connection, str | None]:
    """Open the cache database at `path` (`feed.sqlite.opener.open_database`), or — when it is
    damaged, or of another schema version — set the file aside and open a new one. Returns the
    connection and a one-line note when this call set something aside.

    Another process may set the file aside while this one is opening it (SQLite then reports an
    I/O error on the renamed files): whatever fails while the file was being replaced is tried
    again on the new one."""
    for _ in range(_ATTEMPTS):
        found = _inode(path)
        try:
            return open_database(path, schema), None
        except DamagedStoreError as exc:
            state = "outdated" if isinstance(exc, OutdatedCacheError) else "damaged"
            note = set_aside(path, found, str(exc), state=state)
            if note is not None:
                return open_database(path, schema), note
        except FeedError:
            if _inode(path) == found:
                raise
    return open_database(path, schema), None


def set_aside(path: Path, found: int | None, cause: str, *, state: str = "damaged") -> str | None:
    """Rename the damaged (or outdated: `state`) `path`, the file with inode `found`, and its
    sidecars out of the way, as NAME.STATE-<UTC time>.

    Returns a note for status, or None when another process had already replaced the file."""
    with _locked(path.parent / LOCK_NAME):
        if found is not None and _inode(path) != found:
            return None  # someone else set it aside while we waited for the lock
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        aside = path.with_name(f"{path.name}.{state}-{stamp}")
        for suffix in _SIDECARS:
            with contextlib.suppress(FileNotFoundError):
                os.rename(f"{path}{suffix}", f"{aside}{suffix}")
        _prune(path)
    note = f"{path.name} was {state} ({cause.removeprefix(f'{path}: ')}); set aside as {aside.name}"
    log.warning("%s: %s", path.parent, note)
    return note


def remember(conn: sqlite3.Connection, note: str) -> None:
    """Keep `note` in a new store's meta (shown by status until the next repair)."""
    with immediate(conn):
        # When: in the name of the file set aside. The next sync rebuilds from the cache (feed.sync.engine).
        write_meta(conn, {"repair_note": note, "rebuild_pending": 1})
        bump_version(conn)


def _prune(path: Path) -> None:
    asides = sorted(path.parent.glob(f"{path.name}.*-*[0-9]Z"), key=lambda aside: aside.name.rsplit("-")[-1])
    for old in asides[:-KEEP_ASIDE]:
        for suffix in _SIDECARS:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{old}{suffix}")


@contextlib.contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # held for a few renames only
        yield
    finally:
        os.close(fd)
