"""Search as the on-screen keyboard drives it: the query, the results, and a cache of recent results.

The kiosk has no IME: keys are a–z and 0–9 (pinyin initials, full pinyin, digits); hot-keyword chips
set a whole query, which may be Chinese. Results come from the feed core's `search(query, limit)`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cachetools import LRUCache

from feed import SearchHit

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
        self._search_fn = search_fn
        self._limit = limit
        self._version_fn = version_fn
        self._cache: LRUCache[tuple[int, str], tuple[SearchHit, ...]] = LRUCache(maxsize=cache_size)
        self._query = ""
        self._results: tuple[SearchHit, ...] = ()
        self._answered: tuple[int, str] | None = None  # what `results` answer
        self._requests = 0
        self._error: str | None = None
        self._listeners: list[Listener] = []

    @property
    def query(self) -> str:
        return self._query

    @property
    def results(self) -> tuple[SearchHit, ...]:
        return self._results

    @property
    def error(self) -> str | None:
        """Why the last search failed (results are then empty), or None."""
        return self._error

    @property
    def requests_made(self) -> int:
        """How many times search_fn was called (for tests and the admin screen)."""
        return self._requests

    def type_key(self, key: str) -> None:
        """One key of the on-screen keyboard (a–z, A–Z, 0–9); anything else raises ValueError."""
        char = key.lower()
        if len(char) != 1 or char not in KEYS:
            raise ValueError(f"not a keyboard key: {key!r}")
        if len(self._query) < MAX_QUERY_CHARS:
            self._set(self._query + char)

    def backspace(self) -> None:
        if self._query:
            self._set(self._query[:-1])

    def clear(self) -> None:
        self._set("")

    def set_query(self, text: str) -> None:
        """Replace the whole query (a hot-keyword chip); trimmed and cut to MAX_QUERY_CHARS."""
        cleaned = " ".join(text.split())[:MAX_QUERY_CHARS]
        self._set(cleaned.lower() if cleaned.isascii() else cleaned)

    def refresh(self) -> None:
        """Run the current query again if the snapshot version changed."""
        self._update(notify_if_same=False)

    def forget(self) -> None:
        """Clear the query, the results and the cache (end of a citizen's session)."""
        self._cache.clear()
        self._answered = None
        self._set("")

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _set(self, query: str) -> None:
        changed = query != self._query
        self._query = query
        self._update(notify_if_same=changed)

    def _update(self, *, notify_if_same: bool) -> None:
        query = self._query.strip()
        key = (self._version_fn(), query)
        if key == self._answered:
            if notify_if_same:
                self._notify()
            return
        if not query:
            results: tuple[SearchHit, ...] = ()
        elif key in self._cache:
            results = self._cache[key]
        else:
            self._requests += 1
            try:
                results = tuple(self._search_fn(query, self._limit))
            except Exception as exc:  # the store failing must not take the screen down
                self._error = f"{type(exc).__name__}: {exc}"
                self._answered = None  # not cached: the next key press tries again
                self._results = ()
                self._notify()
                return
            self._cache[key] = results
        self._error = None
        self._answered = key
        self._results = results
        self._notify()

    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener(self)


def keyboard_crowds_results(room_px: float, keyboard_px: float, results_px: float) -> bool:
    """Whether the results need the keyboard folded away to be seen.

    `room_px` is the height the results and the keyboard share, `keyboard_px` the keyboard's
    height (keys at the theme's touch target) and `results_px` the least the results need (two
    whole rows and the pager); all in pixels. Keys are never shrunk below the touch target, so
    where both do not fit the citizen switches between typing and reading.
    """
    return room_px - keyboard_px < results_px
