"""Running a search: Chinese substrings through FTS5, typed letters through the stored pinyin keys.

Ranking, strongest first: a match at the start of the title, anywhere in the title, in the keywords,
in a rarer reading of the title (a polyphonic character read another way), in the body; then hot
guides (by hot rank); then shorter titles. The score encodes that order: the tier (5…1), plus
0.5–0.9 when hot (more for a better hot rank), plus under 0.001 for a shorter title.

Because every match of a stronger tier outranks every match of a weaker one, the tiers are searched
in stages (title, keywords, other readings, body) and the search stops as soon as a stage has filled
the page: a common character typed alone never has to rank thousands of bodies.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from feed.api import SearchHit
from feed.search.pinyin import fold, segmentations, slots_pattern

MAX_QUERY_CHARS = 40
_TWO_LETTER_INITIALS = frozenset({"zh", "ch", "sh"})  # typed as initials: still an "initials" match
TIER_TITLE_START, TIER_TITLE, TIER_KEYWORDS, TIER_OTHER_READING, TIER_BODY = 5, 4, 3, 2, 1
Matched = Literal["title", "pinyin", "initials", "keywords", "body"]


@dataclass(frozen=True)
class _Row:
    kind: str
    id: str
    title: str
    hot: int
    hot_rank: int | None
    tier: int
    matched: Matched

    def order(self) -> tuple[int, int, int, int, str, str]:
        return (-self.tier, -self.hot, self.hot_rank or 1000, len(self.title), self.kind, self.id)

    def score(self) -> float:
        hot = 0.5 + 0.4 * (1 - min(self.hot_rank or 1000, 1000) / 1000) if self.hot else 0.0
        shortness = 0.0003 * (1 - min(len(self.title), 200) / 200)
        return round(self.tier + hot + shortness, 6)


def query_chars(query: str) -> str:
    """What is searched for: folded case and width, only letters, digits and Chinese characters."""
    return fold(query)[:MAX_QUERY_CHARS]


_ORDER = "ORDER BY tier DESC, r.hot DESC, coalesce(r.hot_rank, 1000), length(r.title), r.kind, r.id"
_COLUMNS = "r.kind, r.id, r.title, r.hot, r.hot_rank"
# CROSS JOIN keeps the narrow initials table, in rank order, as the outer loop (SQLite would otherwise
# scan records and sort).
_PINYIN_FROM = "search_initials i CROSS JOIN records r ON r.rid = i.rid"


class _Search:
    def __init__(
        self, conn: sqlite3.Connection, text: str, limit: int, visible: str, params: Mapping[str, Any]
    ) -> None:
        self.conn = conn
        self.text = text
        self.limit = limit
        self.visible = visible
        self.params = dict(params)
        self.phrase = '"' + " ".join(text) + '"'
        self.pinyin = _PinyinConditions(text) if text.isascii() else None
        self.found: dict[tuple[str, str], _Row] = {}

    def run(self) -> list[_Row]:
        # Typed letters: one scan over every pinyin field in rank order. When it returns less than a
        # page it has found every pinyin match, and the per-tier scans below are skipped.
        pinyin_done = False
        if self.pinyin is not None:
            rows = self._pinyin_any(self.limit)
            pinyin_done = len(rows) < self.limit
            self._add(rows)
        stages: list[tuple[int, Callable[..., list[_Row]]]] = [
            (TIER_TITLE, self._title),
            (TIER_KEYWORDS, self._keywords),
            (TIER_OTHER_READING, self._other_readings),
            (TIER_BODY, self._body),
        ]
        for tier, stage in stages:
            self._add(stage(self.limit + len(self.found), pinyin=self.pinyin is not None and not pinyin_done))
            if sum(1 for row in self.found.values() if row.tier >= tier) >= self.limit:
                break
        return sorted(self.found.values(), key=_Row.order)[: self.limit]

    def _add(self, rows: list[_Row]) -> None:
        for row in rows:
            key = (row.kind, row.id)
            if key not in self.found or row.order() < self.found[key].order():
                self.found[key] = row

    def _query(self, sql: str, extra: Mapping[str, Any], label: Callable[[int, int], Matched]) -> list[_Row]:
        bound = {**self.params, **extra}
        return [
            _Row(kind, rid, title, hot, rank, tier, label(tier, flag))
            for kind, rid, title, hot, rank, tier, flag in self.conn.execute(sql, bound)
        ]

    def _pinyin(self, condition: str, tier: str, whole: str, limit: int) -> list[_Row]:
        """Rows meeting a pinyin `condition`, scanned in static rank order (so it can stop early)."""
        assert self.pinyin is not None

        def label(tier: int, whole: int) -> Matched:
            if tier == TIER_KEYWORDS:
                return "keywords"
            return "pinyin" if whole else "initials"

        return self._query(
            f"""SELECT {_COLUMNS}, {tier} AS tier, {whole}
                FROM {_PINYIN_FROM}
                WHERE {condition} AND {self.visible} ORDER BY i.rank, i.rid LIMIT :q_limit""",
            {**self.pinyin.bound, "q_limit": limit},
            label,
        )

    def _pinyin_any(self, limit: int) -> list[_Row]:
        assert self.pinyin is not None
        p = self.pinyin
        tier = f"""CASE WHEN {p.start("title")} THEN {TIER_TITLE_START}
                        WHEN {p.match("title")} THEN {TIER_TITLE}
                        WHEN {p.match("keyword")} THEN {TIER_KEYWORDS} ELSE {TIER_OTHER_READING} END"""
        condition = f"({p.match('title')} OR {p.match('keyword')} OR {p.match('other')})"
        return self._pinyin(condition, tier, f"({p.whole('title')} OR {p.whole('other')})", limit)

    def _title(self, limit: int, *, pinyin: bool) -> list[_Row]:
        rows = self._query(
            f"""SELECT {_COLUMNS},
                       CASE WHEN lower(substr(r.title, 1, :q_len)) = :q_text
                            THEN {TIER_TITLE_START} ELSE {TIER_TITLE} END AS tier, 0
                FROM title_fts f JOIN records r ON r.rid = f.rowid
                WHERE title_fts MATCH :q_match AND {self.visible} {_ORDER} LIMIT :q_limit""",
            {
                "q_len": len(self.text),
                "q_text": self.text,
                "q_match": f"title : {self.phrase}",
                "q_limit": limit,
            },
            lambda _tier, _flag: "title",
        )
        if pinyin and self.pinyin is not None:
            p = self.pinyin
            starts = self._pinyin(p.start("title"), str(TIER_TITLE_START), p.whole("title"), limit)
            rows += starts
            rows += self._pinyin(p.match("title"), str(TIER_TITLE), p.whole("title"), limit + len(starts))
        return rows

    def _keywords(self, limit: int, *, pinyin: bool) -> list[_Row]:
        rows = self._query(
            f"""SELECT {_COLUMNS}, {TIER_KEYWORDS} AS tier, 0
                FROM title_fts f JOIN records r ON r.rid = f.rowid
                WHERE title_fts MATCH :q_match AND {self.visible} {_ORDER} LIMIT :q_limit""",
            {"q_match": f"keywords : {self.phrase}", "q_limit": limit},
            lambda _tier, _flag: "keywords",
        )
        if pinyin and self.pinyin is not None:
            rows += self._pinyin(self.pinyin.match("keyword"), str(TIER_KEYWORDS), "0", limit)
        return rows

    def _other_readings(self, limit: int, *, pinyin: bool) -> list[_Row]:
        if not pinyin or self.pinyin is None:
            return []
        p = self.pinyin
        return self._pinyin(p.match("other"), str(TIER_OTHER_READING), p.whole("other"), limit)

    def _body(self, limit: int, *, pinyin: bool) -> list[_Row]:
        return self._query(
            f"""SELECT {_COLUMNS}, {TIER_BODY} AS tier, 0
                FROM body_fts f JOIN records r ON r.rid = f.rowid
                WHERE body_fts MATCH :q_match AND {self.visible} {_ORDER} LIMIT :q_limit""",
            {"q_match": self.phrase, "q_limit": limit},
            lambda _tier, _flag: "body",
        )


class _PinyinConditions:
    """SQL conditions matching typed letters against one pinyin field of `search_initials i`."""

    def __init__(self, text: str) -> None:
        self.bound: dict[str, Any] = {}
        self._match: list[str] = []
        self._start: list[str] = []
        self._whole: list[str] = []
        for n, chunks in enumerate(segmentations(text)):
            self.bound[f"i{n}"] = "".join(c[0] for c in chunks)
            if all(len(c) == 1 for c in chunks):
                self._match.append(f"instr(i.{{f}}, :i{n}) > 0")
                self._start.append(f"instr(i.{{f}}, '/' || :i{n}) > 0")
                continue
            self.bound[f"g{n}"] = slots_pattern(chunks, anchored=False)
            self.bound[f"a{n}"] = "*/" + slots_pattern(chunks, anchored=True)
            self.bound[f"p{n}"] = spelled_run(chunks)
            # Initials and the longest spelled-out run are cheap necessary conditions on the narrow
            # table; only rows that pass both have their (wide) slots read for the exact GLOB.
            slots = "(SELECT s.{f} FROM search_slots s WHERE s.rid = i.rid)"
            cheap = f"instr(i.{{f}}_spelled, :p{n}) > 0"
            match = f"instr(i.{{f}}, :i{n}) > 0 AND {cheap} AND {slots} GLOB :g{n}"
            self._match.append(match)
            if any(len(c) > 1 and c not in _TWO_LETTER_INITIALS for c in chunks):
                self._whole.append(match)
            self._start.append(f"instr(i.{{f}}, '/' || :i{n}) > 0 AND {cheap} AND {slots} GLOB :a{n}")

    @staticmethod
    def _any(templates: list[str], field: str) -> str:
        if not templates:
            return "0"
        return "(" + " OR ".join("(" + t.format(f=field) + ")" for t in templates) + ")"

    def match(self, field: str) -> str:
        return self._any(self._match, field)

    def start(self, field: str) -> str:
        return self._any(self._start, field)

    def whole(self, field: str) -> str:
        return self._any(self._whole, field)


def spelled_run(chunks: list[str]) -> str:
    """The longest run of whole syllables, spelled together: it must appear in the spelled key."""
    best = current = ""
    for chunk in chunks:
        current = current + chunk if len(chunk) > 1 else ""
        best = max(best, current, key=len)
    return best


def search(
    conn: sqlite3.Connection,
    query: str,
    *,
    limit: int,
    visible: str,
    params: Mapping[str, Any],
) -> list[SearchHit]:
    """Ranked hits among records that pass `visible` (an SQL condition on alias `r`)."""
    text = query_chars(query)
    if not text or limit <= 0:
        return []
    rows = _Search(conn, text, limit, visible, params).run()
    return [
        SearchHit(kind=row.kind, id=row.id, title=row.title, score=row.score(), matched=row.matched)  # type: ignore[arg-type]
        for row in rows
    ]
