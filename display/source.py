"""Where the player gets its content: the part of `feed.api.ContentReader` it needs.

`feed.store.reader.StoreReader` satisfies `HeadlineSource` as it is. `StaticSource` holds headlines
in memory (demo without a feed, benchmarks, tests); replacing them bumps the version like a new
snapshot would.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Protocol

from feed import Hall, Headline


class HeadlineSource(Protocol):
    def headlines(self) -> list[Headline]: ...
    def hall(self) -> Hall | None: ...
    def snapshot_version(self) -> int: ...


class StaticSource:
    def __init__(self, headlines: Iterable[Headline] = (), hall: Hall | None = None) -> None:
        self._lock = threading.Lock()
        self._headlines = list(headlines)
        self._hall = hall
        self._version = 1

    def replace(self, headlines: Iterable[Headline], hall: Hall | None = None) -> None:
        with self._lock:
            self._headlines = list(headlines)
            self._hall = hall if hall is not None else self._hall
            self._version += 1

    def headlines(self) -> list[Headline]:
        with self._lock:
            return list(self._headlines)

    def hall(self) -> Hall | None:
        with self._lock:
            return self._hall

    def snapshot_version(self) -> int:
        with self._lock:
            return self._version
