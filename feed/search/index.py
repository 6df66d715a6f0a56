"""What search indexes for a record, computed once when a snapshot is committed.

Items and guides are searchable. Their title, keywords and body go into a character-level FTS5 table
(one token per character, so any substring is a phrase query), and their title and keywords get
pinyin keys (see `feed.search.pinyin`). Nothing is converted to pinyin at query time.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from feed.schema import Guide, Item
from feed.search.pinyin import initials_key, normalize, readings, slots_key

SEARCHABLE_KINDS = ("item", "guide")
BODY_INDEX_CHARS = 20_000  # long documents are found by their opening; keeps commits and the index small
KEYWORD_READINGS = 4
FIELD_TITLE = 0
FIELD_KEYWORD = 1


@dataclass(frozen=True)
class SearchEntry:
    title: str
    keywords: str
    body: str
    pinyin: list[tuple[int, str, str]]  # (field, initials, slots)


def spaced(text: str) -> str:
    """One token per character for FTS5: folded case and width, punctuation and spaces dropped."""
    return " ".join(c for c in normalize(text) if c.isalnum())


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


def entry_for(record: object) -> SearchEntry | None:
    if not isinstance(record, Item | Guide):
        return None
    keys: list[tuple[int, str, str]] = []
    seen: set[tuple[int, str]] = set()
    for field, text, limit in [(FIELD_TITLE, record.title, None)] + [
        (FIELD_KEYWORD, keyword, KEYWORD_READINGS) for keyword in record.keywords
    ]:
        for syllables in readings(text) if limit is None else readings(text, limit):
            slots = slots_key(syllables)
            if (field, slots) not in seen:
                seen.add((field, slots))
                keys.append((field, initials_key(syllables), slots))
    return SearchEntry(
        title=spaced(record.title),
        keywords=" , ".join(spaced(k) for k in record.keywords),
        body=spaced(_body_of(record)),
        pinyin=keys,
    )


def add_to_index(conn: sqlite3.Connection, rid: int, entry: SearchEntry) -> None:
    conn.execute(
        "INSERT INTO search_fts (rowid, title, keywords, body) VALUES (?, ?, ?, ?)",
        (rid, entry.title, entry.keywords, entry.body),
    )
    conn.executemany(
        "INSERT INTO search_pinyin (rid, field, initials, slots) VALUES (?, ?, ?, ?)",
        [(rid, field, initials, slots) for field, initials, slots in entry.pinyin],
    )


def remove_from_index(conn: sqlite3.Connection, rids: list[int]) -> None:
    for rid in rids:
        conn.execute("DELETE FROM search_fts WHERE rowid = ?", (rid,))
        conn.execute("DELETE FROM search_pinyin WHERE rid = ?", (rid,))
