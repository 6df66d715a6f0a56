"""Search as the on-screen keyboard drives it: the query, the results, and a cache of recent results.

The kiosk has no IME: keys are a–z and 0–9 (pinyin initials, full pinyin, digits); hot-keyword chips
set a whole query, which may be Chinese. Results come from the feed core's `search(query, limit)`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from feed.api import SearchHit

SearchFn = Callable[[str, int], Sequence[SearchHit]]
VersionFn = Callable[[], int]
Listener = Callable[["SearchState"], None]

KEYS = "abcdefghijklmnopqrstuvwxyz0123456789"
MAX_QUERY_CHARS = 32


class SearchState:
    """Query text and its results; listeners run after every change of either.

    A query equal to the one already answered (for the same snapshot version) is not sent again;
    answers are kept in a bounded LRU keyed by (snapshot version, query), so backspacing is free.
    """

    def __init__(
        self,
        search_fn: SearchFn,
        limit: int = 30,
        *,
        version_fn: VersionFn = lambda: 0,
        cache_size: int = 64,
    ) -> None:
        raise NotImplementedError

    @property
    def query(self) -> str:
        raise NotImplementedError

    @property
    def results(self) -> tuple[SearchHit, ...]:
        raise NotImplementedError

    @property
    def requests_made(self) -> int:
        """How many times search_fn was called (for tests and the admin screen)."""
        raise NotImplementedError

    def type_key(self, key: str) -> None:
        """One key of the on-screen keyboard (a–z, A–Z, 0–9); anything else raises ValueError."""
        raise NotImplementedError

    def backspace(self) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def set_query(self, text: str) -> None:
        """Replace the whole query (a hot-keyword chip); trimmed and cut to MAX_QUERY_CHARS."""
        raise NotImplementedError

    def refresh(self) -> None:
        """Run the current query again if the snapshot version changed."""
        raise NotImplementedError

    def forget(self) -> None:
        """Clear the query, the results and the cache (end of a citizen's session)."""
        raise NotImplementedError

    def add_listener(self, listener: Listener) -> None:
        raise NotImplementedError

    def remove_listener(self, listener: Listener) -> None:
        raise NotImplementedError
