"""SearchState driven like the on-screen keyboard, over a real in-memory search function."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from feed.api import SearchHit
from kiosk.logic.search import MAX_QUERY_CHARS, SearchState, keyboard_crowds_results

# Titles with their pinyin initials, as the feed core's index would give them.
TITLES = {
    "bdc-first": ("不动产首次登记", "bdcscdj"),
    "bdc-transfer": ("不动产转移登记", "bdczydj"),
    "yb": ("医保参保登记", "ybcbdj"),
    "gjj": ("住房公积金提取", "zfgjjtq"),
}


class TitleIndex:
    """A small but real search: initials prefix or Chinese substring; counts its calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []
        self.version = 1

    def search(self, query: str, limit: int) -> Sequence[SearchHit]:
        self.calls.append((query, limit))
        hits = []
        for item_id, (title, initials) in TITLES.items():
            if initials.startswith(query):
                hits.append(SearchHit("guide", item_id, title, 2.0, "initials"))
            elif query in title:
                hits.append(SearchHit("guide", item_id, title, 1.0, "title"))
        return hits[:limit]


def _ids(state: SearchState) -> list[str]:
    return [hit.id for hit in state.results]


def test_typing_updates_results_key_by_key() -> None:
    index = TitleIndex()
    state = SearchState(index.search, limit=10, version_fn=lambda: index.version)
    seen: list[str] = []
    state.add_listener(lambda s: seen.append(s.query))
    for key in "BDC":
        state.type_key(key)
    assert state.query == "bdc"
    assert _ids(state) == ["bdc-first", "bdc-transfer"]
    state.type_key("z")
    assert _ids(state) == ["bdc-transfer"]
    assert seen == ["b", "bd", "bdc", "bdcz"]
    assert index.calls == [("b", 10), ("bd", 10), ("bdc", 10), ("bdcz", 10)]


def test_backspace_is_answered_from_the_cache() -> None:
    index = TitleIndex()
    state = SearchState(index.search, version_fn=lambda: index.version)
    for key in "ybc":
        state.type_key(key)
    state.backspace()
    state.backspace()
    assert state.query == "y" and _ids(state) == ["yb"]
    assert state.requests_made == 3  # y, yb, ybc — not again for yb, y
    state.backspace()
    assert state.query == "" and state.results == ()
    state.backspace()  # nothing left: no error


def test_same_query_is_not_sent_twice_but_a_new_snapshot_is_searched_again() -> None:
    index = TitleIndex()
    state = SearchState(index.search, version_fn=lambda: index.version)
    state.set_query("登记")
    state.set_query("登记")
    state.refresh()
    assert len(index.calls) == 1
    index.version = 2
    state.refresh()
    assert len(index.calls) == 2


def test_hot_keyword_chip_sets_a_chinese_query() -> None:
    index = TitleIndex()
    state = SearchState(index.search)
    state.set_query("  住房公积金  ")
    assert state.query == "住房公积金" and _ids(state) == ["gjj"]
    state.set_query("BDC")  # ASCII chips are lower-cased like keyboard input
    assert state.query == "bdc"


def test_only_keyboard_keys_are_accepted_and_length_is_bounded() -> None:
    state = SearchState(TitleIndex().search)
    for bad in ["", "ab", "中", "-", " ", "é"]:
        with pytest.raises(ValueError):
            state.type_key(bad)
    for _ in range(MAX_QUERY_CHARS + 10):
        state.type_key("a")
    assert len(state.query) == MAX_QUERY_CHARS
    state.set_query("字" * 100)
    assert len(state.query) == MAX_QUERY_CHARS


def test_the_cache_is_bounded() -> None:
    index = TitleIndex()
    state = SearchState(index.search, cache_size=2)
    for query in ["a", "b", "c", "a"]:
        state.set_query(query)
    assert [q for q, _ in index.calls] == ["a", "b", "c", "a"]  # "a" was evicted


def test_forget_clears_query_results_and_cache() -> None:
    index = TitleIndex()
    state = SearchState(index.search)
    state.set_query("bdc")
    state.forget()
    assert state.query == "" and state.results == ()
    state.set_query("bdc")
    assert len(index.calls) == 2  # the cached answer went with the citizen


def test_a_failing_store_shows_no_results_and_says_why() -> None:
    def broken(query: str, limit: int) -> Sequence[SearchHit]:
        raise OSError("database is locked")

    state = SearchState(broken)
    state.type_key("a")
    assert state.results == () and state.error is not None and "locked" in state.error


def test_the_keyboard_folds_only_where_the_results_would_lose_their_two_rows() -> None:
    # tablet 1280×800 in 长辈模式: 372 px under the query bar, a 312 px keyboard, 2 rows of 127 + 80
    assert keyboard_crowds_results(372, 312, 2 * 127 + 80)
    # portrait 1080×1920 in 长辈模式: room to spare for both
    assert not keyboard_crowds_results(1540, 502, 2 * 138 + 88)
    assert not keyboard_crowds_results(500, 300, 200)  # exactly enough: no fold
