"""What is really wrong when the cache cannot be written: a read-only filesystem, a full disk or
missing permissions. Programs report these in their own words ("disk I/O error", "unable to open
database file", "Permission denied"); a status screen and an operator need the cause (see also
`feed.sqlite.failures`, which tells them apart from a damaged SQLite file)."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

# Below this a sync cannot be expected to commit (SQLite needs room for its write-ahead log).
LOW_SPACE_BYTES = 1024 * 1024
_STORAGE_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM)


@dataclass(frozen=True)
class StorageProblem:
    kind: Literal["read-only", "full", "no-permission"]
    text: str  # one line for status screens and logs


def storage_problem(directory: Path) -> StorageProblem | None:
    """Why `directory` cannot take writes, or None when it looks writable (one statvfs call)."""
    try:
        stats = os.statvfs(directory)
    except OSError:
        return None  # a missing directory is not a property of the filesystem
    if stats.f_flag & os.ST_RDONLY:
        return StorageProblem("read-only", "the cache filesystem is read-only")
    free = stats.f_bavail * stats.f_frsize
    if free < LOW_SPACE_BYTES:
        return StorageProblem("full", f"the disk holding the cache is full ({free // 1024} KiB free)")
    if not os.access(directory, os.W_OK):
        return StorageProblem("no-permission", "no permission to write the cache directory")
    return None


def os_error_text(directory: Path, exc: OSError) -> str:
    """`exc` for a message, led by the storage problem of `directory` when that is the cause."""
    if exc.errno in _STORAGE_ERRNOS:
        problem = storage_problem(directory)
        if problem is not None:
            return f"{problem.text} ({exc.strerror or exc})"
    return str(exc.strerror or exc)
