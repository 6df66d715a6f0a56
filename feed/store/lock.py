"""The sync lock: at most one process syncs a cache directory at a time.

An fcntl lock on CACHE/sync.lock is released by the kernel when its holder dies, so a killed sync
never leaves the directory locked.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from feed.disk.storage import os_error_text
from feed.errors import FeedError

LOCK_NAME = "sync.lock"


@contextmanager
def sync_lock(cache_dir: Path) -> Iterator[None]:
    """Hold the exclusive sync lock, or raise FeedError at once if another process holds it."""
    path = cache_dir / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError as exc:  # a directory or a dangling link in its place, a read-only filesystem
        raise FeedError(f"{path}: cannot open the sync lock: {os_error_text(cache_dir, exc)}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise FeedError(f"another sync is running on {cache_dir}") from exc
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
