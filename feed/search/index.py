"""What search indexes for a record, computed once when a snapshot is committed.

Items and guides are searchable. Their title, keywords and body go into a character-level FTS5 table
(one token per character, so any substring is a phrase query), and their title and keywords get
pinyin keys (see `feed.search.pinyin`). Nothing is converted to pinyin at query time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from feed.schema import Guide, Item
from feed.search.pinyin import fold, initials_key, readings, slots_key

BODY_INDEX_CHARS = 20_000  # long documents are found by their opening; keeps commits and the index small
TITLE_READINGS = 8
KEYWORD_READINGS = 4


@dataclass(frozen=True)
class SearchEntry:
    title: str
    keywords: str
    body: str
    rank: int
    title_keys: PinyinKeys
    other_keys: PinyinKeys
    keyword_keys: PinyinKeys


def spaced(text: str) -> str:
    """One token per character for FTS5: folded case and width, punctuation and spaces dropped."""
    return " ".join(fold(text))


def _body_of(record: Item | Guide) -> str:
    if isinstance(record, Item):
        parts = [record.summary, record.doc_number, record.publisher, record.body]
    else:
        parts = [
            record.summary,
            record.matter_type,
            record.department,
            *record.topics,
            *record.conditions,
            *(m.name for m in record.materials),
            *(s.name for s in record.steps),
            *(q.question for q in record.faq),
        ]
    return "\n".join(p for p in parts if p)[:BODY_INDEX_CHARS]


@dataclass(frozen=True)
class PinyinKeys:
    """Readings of one field as "/"-joined lists: initials, spelled-out syllables, slots."""

    initials: str
    spelled: str
    slots: str


def joined_keys(readings_list: Sequence[Sequence[str]]) -> PinyinKeys:
    def joined(keys: Iterable[str]) -> str:
        return "/" + "/".join(dict.fromkeys(keys)) + "/"

    return PinyinKeys(
        initials=joined(initials_key(syllables) for syllables in readings_list),
        spelled=joined("".join(syllables) for syllables in readings_list),
        slots=joined(slots_key(syllables) for syllables in readings_list),
    )


def static_rank(record: Item | Guide) -> int:
    """Sort key of the query-independent ranking: hot first (by hot rank), then shorter titles."""
    hot = isinstance(record, Guide) and record.hot
    hot_rank = record.hot_rank if isinstance(record, Guide) and record.hot_rank is not None else 1000
    return (0 if hot else 1) * 10_000_000 + hot_rank * 1000 + min(len(record.title), 999)


@lru_cache(maxsize=4096)
def _keyword_keys(keywords: tuple[str, ...]) -> PinyinKeys:
    """Keywords come from a small vocabulary, so whole keyword lists recur across records."""
    return joined_keys([r for keyword in keywords for r in readings(keyword, KEYWORD_READINGS)])


def entry_for(record: object) -> SearchEntry | None:
    if not isinstance(record, Item | Guide):
        return None
    title_readings = readings(record.title, TITLE_READINGS)
    return SearchEntry(
        rank=static_rank(record),
        title=spaced(record.title),
        keywords=" , ".join(spaced(k) for k in record.keywords),
        body=spaced(_body_of(record)),
        title_keys=joined_keys(title_readings[:1]),
        other_keys=joined_keys(title_readings[1:]),
        keyword_keys=_keyword_keys(tuple(record.keywords)),
    )


def add_to_index(conn: sqlite3.Connection, entries: Sequence[tuple[int, SearchEntry]]) -> None:
    """Index records by rid, one statement per table for all of them (a full snapshot is 10k rows)."""
    conn.executemany(
        "INSERT INTO title_fts (rowid, title, keywords) VALUES (?, ?, ?)",
        [(rid, entry.title, entry.keywords) for rid, entry in entries],
    )
    conn.executemany(
        "INSERT INTO body_fts (rowid, body) VALUES (?, ?)",
        [(rid, entry.body) for rid, entry in entries if entry.body],
    )
    conn.executemany(
        "INSERT INTO search_initials (rid, rank, title, other, keyword, title_spelled, other_spelled, "
        "keyword_spelled) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (rid, entry.rank, *(k.initials for k in fields), *(k.spelled for k in fields))
            for rid, entry in entries
            for fields in [(entry.title_keys, entry.other_keys, entry.keyword_keys)]
        ],
    )
    conn.executemany(
        "INSERT INTO search_slots (rid, title, other, keyword) VALUES (?, ?, ?, ?)",
        [
            (rid, entry.title_keys.slots, entry.other_keys.slots, entry.keyword_keys.slots)
            for rid, entry in entries
        ],
    )


def remove_from_index(conn: sqlite3.Connection, rids: list[int]) -> None:
    for table in ("title_fts", "body_fts"):
        conn.executemany(f"DELETE FROM {table} WHERE rowid = ?", [(rid,) for rid in rids])
    for table in ("search_initials", "search_slots"):
        conn.executemany(f"DELETE FROM {table} WHERE rid = ?", [(rid,) for rid in rids])
