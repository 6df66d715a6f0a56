"""The titles of the feed's catalogue nodes, so the desk and the phone form can name what a citizen
chose at a kiosk (a link carries only the node's id).

The centre reads them from a feed cache the bureau keeps current with `hall-feed sync --cache DIR`
(`[centre] feed_cache`), as a device would: signed, checked, offline. Titles are read again at most
once a minute; without a cache, or while it cannot be read, a node is shown by its id.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from cachetools import TTLCache

from feed import FeedError, StoreReader

log = logging.getLogger(__name__)

REFRESH_SECONDS = 60.0


class NodeTitles:
    """`title(node_id)`: the node's title in the feed cache at `cache_dir`, or None."""

    def __init__(self, cache_dir: Path | None) -> None:
        self.cache_dir = cache_dir
        self._cache: TTLCache[str, dict[str, str]] = TTLCache(maxsize=1, ttl=REFRESH_SECONDS)
        self._lock = threading.Lock()
        self._warned = False

    def title(self, node_id: str) -> str | None:
        return self._titles().get(node_id) if node_id else None

    def _titles(self) -> dict[str, str]:
        if self.cache_dir is None:
            return {}
        with self._lock:
            found = self._cache.get("titles")
            if found is None:
                found = self._cache["titles"] = self._read(self.cache_dir)
            return found

    def _read(self, cache_dir: Path) -> dict[str, str]:
        try:
            with StoreReader.open(cache_dir, create=False) as reader:
                catalog = reader.catalog()
        except (FeedError, OSError) as exc:
            if not self._warned:  # once, not on every page: the desk works on with the ids
                log.warning(
                    "feed_cache %s: cannot read the catalogue, nodes are shown by id: %s", cache_dir, exc
                )
                self._warned = True
            return {}
        self._warned = False
        return {} if catalog is None else {node.id: node.title for node in catalog.nodes}
