"""The cache directory itself: the store's file name and creating the directory.

Apart from `feed.store.store` so the read side can open a cache without importing the write side.
"""

from __future__ import annotations

from pathlib import Path

from feed.disk.storage import storage_problem
from feed.errors import FeedError, StorageError

STORE_NAME = "store.db"
# The manifest of the snapshot in force, as received: with the verified objects it rebuilds the
# snapshot offline when store.db had to be replaced.
SAVED_MANIFEST = "manifest.json"


def existing_cache_dir(cache_dir: Path) -> Path:
    """`cache_dir` if it is a directory; FeedError saying what it is instead (for tools that only read)."""
    if not cache_dir.exists():
        raise FeedError(f"{cache_dir}: cache directory does not exist")
    return _directory(cache_dir)


def _directory(cache_dir: Path) -> Path:
    if cache_dir.exists() and not cache_dir.is_dir():
        raise FeedError(f"{cache_dir}: not a directory, so it cannot be the cache directory")
    return cache_dir


def prepare_cache_dir(cache_dir: Path) -> Path:
    """Create the cache directory and its objects/ folder if needed. StorageError when the
    filesystem cannot take them (read-only, full, no permission), FeedError for other failures."""
    cache_dir = _directory(Path(cache_dir))
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        (cache_dir / "objects").mkdir(exist_ok=True)
    except OSError as exc:
        existing = next((p for p in (cache_dir, *cache_dir.parents) if p.is_dir()), None)
        problem = storage_problem(existing) if existing is not None else None
        if problem is not None:
            raise StorageError(
                f"{cache_dir}: cannot create the cache: {problem.text}", kind=problem.kind
            ) from exc
        raise FeedError(f"{cache_dir}: cannot create the cache directory ({exc.strerror or exc})") from exc
    return _directory(cache_dir)
