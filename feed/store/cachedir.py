"""The cache directory itself: the store's file name and creating the directory.

Apart from `feed.store.store` so the read side can open a cache without importing the write side.
"""

from __future__ import annotations

from pathlib import Path

from feed.errors import FeedError

STORE_NAME = "store.db"


def prepare_cache_dir(cache_dir: Path) -> Path:
    cache_dir = Path(cache_dir)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        (cache_dir / "objects").mkdir(exist_ok=True)
    except OSError as exc:
        raise FeedError(f"{cache_dir}: cannot create the cache directory ({exc.strerror or exc})") from exc
    if not cache_dir.is_dir():
        raise FeedError(f"{cache_dir}: is not a directory")
    return cache_dir
