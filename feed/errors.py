"""Exceptions the core raises. Each carries a one-line reason fit for a status screen."""

from __future__ import annotations

from pathlib import Path

MAX_REASON_CHARS = 300


def one_line(text: str) -> str:
    """A reason fit for a status line: printable, on one line, at most MAX_REASON_CHARS characters
    (reasons quote what servers and filesystems said)."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())[:MAX_REASON_CHARS]


class FeedError(Exception):
    """Base class: something about the feed or the store is not acceptable."""


class ConfigError(FeedError):
    """A configuration file is missing, unreadable or holds a bad value."""


class FeedRejectedError(FeedError):
    """The feed (manifest or an object) failed a check; the previous snapshot stays in force."""


class SourceError(FeedError):
    """The feed source could not be reached or answered with an error."""


class StorageError(FeedError):
    """The cache cannot be written: `kind` is "read-only" (filesystem), "full" or "no-permission"."""

    def __init__(self, message: str, *, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


class DamagedStoreError(FeedError):
    """The SQLite file at `path` is damaged (corrupt, truncated, not a database)."""

    def __init__(self, message: str, *, path: Path, inode: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.inode = inode  # of the file found damaged, so only that one is set aside


class OutdatedCacheError(DamagedStoreError):
    """A cache database (the store, the object database) written with another schema version: set
    aside and rebuilt from the feed, as a damaged one is."""
