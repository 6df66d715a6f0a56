"""The store's SQLite file (store.db): its tables, and opening it through the one opener.

The store is a cache of the signed feed: a store.db written with another schema version is set aside
and rebuilt from the feed (the saved manifest and the verified objects, offline), never migrated.
"""

from __future__ import annotations

from feed.sqlite.opener import Schema, split_script

SCHEMA_VERSION = 2  # 2 added record_blobs

# Records keep their JSON plus the columns the read API filters and sorts on. Targets are stored as
# ",a,b," so membership is one instr() (ids cannot contain commas); '' means everyone.
_SCHEMA = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value
) WITHOUT ROWID;

CREATE TABLE records (
    rid INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    node TEXT,
    publisher TEXT,
    published TEXT,
    department TEXT,
    hot INTEGER NOT NULL DEFAULT 0,
    hot_rank INTEGER,
    featured INTEGER NOT NULL DEFAULT 0,
    visits INTEGER,
    online_full INTEGER,
    valid_from TEXT,
    valid_until TEXT,
    t_halls TEXT NOT NULL DEFAULT '',
    t_groups TEXT NOT NULL DEFAULT '',
    UNIQUE (kind, id)
);
-- The JSON lives apart so that scans and sorts over `records` read narrow rows only.
CREATE TABLE record_json (
    rid INTEGER PRIMARY KEY,
    json BLOB NOT NULL
);

CREATE INDEX records_by_node ON records (kind, node, published DESC);
CREATE INDEX records_by_department ON records (kind, department);
CREATE INDEX records_featured ON records (kind, featured, published DESC);
CREATE INDEX records_hot ON records (kind, hot, hot_rank);

-- Multi-valued guide fields (audience, topic), one row per value.
CREATE TABLE facets (
    facet TEXT NOT NULL,
    value TEXT NOT NULL,
    rid INTEGER NOT NULL,
    PRIMARY KEY (facet, value, rid)
) WITHOUT ROWID;
CREATE INDEX facets_by_rid ON facets (rid);

-- The blobs (images, forms) each record refers to: what the snapshot needs in CACHE/objects/.
CREATE TABLE record_blobs (
    rid INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    PRIMARY KEY (rid, sha256)
) WITHOUT ROWID;

-- Catalogue closure: every (ancestor, node) pair including (node, node), rebuilt when a catalogue changes.
CREATE TABLE catalog_paths (
    ancestor TEXT NOT NULL,
    node TEXT NOT NULL,
    PRIMARY KEY (ancestor, node)
) WITHOUT ROWID;

-- Pinyin keys computed at commit time (see feed.search.pinyin), each a "/"-joined list of readings so
-- one instr()/GLOB covers them all and a match never spans two readings. The title's context-aware
-- reading ("title") is kept apart from its other readings ("other"), which rank lower. Initials and
-- spelled-out pinyin ("budongchandengji") are in a narrow table scanned on every query; slots are
-- looked up only for the few rows those two already admit.
-- `rank` is the static part of the ranking (hot first, by hot rank, then shorter titles): scanning in
-- rank order (the table is stored in that order) lets a query stop as soon as it has a page of matches.
CREATE TABLE search_initials (
    rank INTEGER NOT NULL,
    rid INTEGER NOT NULL,
    title TEXT NOT NULL,
    other TEXT NOT NULL,
    keyword TEXT NOT NULL,
    title_spelled TEXT NOT NULL,
    other_spelled TEXT NOT NULL,
    keyword_spelled TEXT NOT NULL,
    PRIMARY KEY (rank, rid)
) WITHOUT ROWID;
CREATE INDEX search_initials_by_rid ON search_initials (rid);
CREATE TABLE search_slots (
    rid INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    other TEXT NOT NULL,
    keyword TEXT NOT NULL
);

-- Character-level full-text indexes: text is stored one character per token, so a phrase query is an
-- exact substring match of any length (1, 2 or more characters); rowid = records.rid. Titles and
-- keywords are apart from bodies so the common title lookups read short posting lists.
CREATE VIRTUAL TABLE title_fts USING fts5(title, keywords, tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE body_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 0');
"""

STORE_SCHEMA = Schema(
    label="store database",
    version=SCHEMA_VERSION,
    create=tuple(split_script(_SCHEMA)),
    probe="SELECT count(*) FROM meta",
)
