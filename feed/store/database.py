"""Opening the store's SQLite file: pragmas, schema creation, version checks, clear errors.

The file is shared by the syncing process and any number of readers (kiosk, display). WAL mode lets
readers keep reading their snapshot while a writer commits; `synchronous=FULL` makes a commit durable
before it returns, so a power cut leaves the previous snapshot or the new one.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from feed.errors import FeedError
from feed.sqlite.failures import sqlite_failure
from feed.sqlite.transactions import immediate
from feed.sqlite.wal import enable_wal

SCHEMA_VERSION = 2  # 2 added record_blobs
READABLE_VERSIONS = (1, 2)  # what a read-only open accepts (readers never use record_blobs)
BUSY_TIMEOUT_MS = 5_000
JOURNAL_SIZE_LIMIT = 16 * 1024 * 1024

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


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the store database at `path`, ready for use.

    Raises DamagedStoreError when the file is damaged, StorageError when its filesystem cannot be
    written (read-only, full), FeedError otherwise, each naming the file and the cause; never deletes
    or rewrites data.
    """
    try:
        conn = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise sqlite_failure(path, "cannot open the store database", exc) from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = enable_wal(conn)
        if mode != "wal":
            raise FeedError(f"{path}: cannot switch the store database to WAL mode (got {mode})")
        conn.execute("PRAGMA synchronous = FULL")
        # A first full sync writes tens of MB through the WAL; let it shrink back after checkpoints.
        conn.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT}")
        _ensure_schema(conn, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise sqlite_failure(path, "cannot open the store database", exc) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def connect_read_only(path: Path, *, immutable: bool) -> sqlite3.Connection:
    """Open an existing store for reading only, where it cannot be written.

    SQLite needs the store's -wal and -shm files to read a WAL database: when a process stopped
    without closing it they are there, and the newest commit is read. When they are not (it was
    closed cleanly, so the file holds every commit) and `immutable` is set — only for a read-only
    filesystem, where nothing can change the file — it is opened as immutable instead.
    """
    uri = path.resolve().as_uri()
    failure: sqlite3.Error | None = None
    for query in ("mode=ro", "mode=ro&immutable=1") if immutable else ("mode=ro",):
        conn: sqlite3.Connection | None = None
        try:
            conn = sqlite3.connect(f"{uri}?{query}", uri=True, isolation_level=None, check_same_thread=False)
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            conn.execute("SELECT count(*) FROM meta").fetchone()
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            failure = exc
            continue
        if version not in READABLE_VERSIONS:
            conn.close()
            raise FeedError(f"{path}: store schema version {version} is not supported")
        return conn
    assert failure is not None
    raise sqlite_failure(path, "cannot open the store database read-only", failure) from failure


def _ensure_schema(conn: sqlite3.Connection, path: Path) -> None:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise FeedError(
            f"{path}: store schema version {version} is newer than this program supports "
            f"({SCHEMA_VERSION}); upgrade the software or use another cache directory"
        )
    # Create under a write lock, re-checking inside: another process may be creating it right now.
    with immediate(conn):
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version == 0:
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables:
                raise FeedError(f"{path}: is an SQLite file but not a hall-feed store; refusing to touch it")
            for statement in _split_statements(_SCHEMA):
                conn.execute(statement)
        elif version == 1:
            _add_record_blobs(conn)
        elif version != SCHEMA_VERSION:
            raise FeedError(f"{path}: store schema version {version} is not supported")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _add_record_blobs(conn: sqlite3.Connection) -> None:
    """Version 1 → 2: the record_blobs table, filled from the records' stored JSON."""
    from feed.store.rows import blobs_in  # the schema models load only for this one-off step

    statement = _SCHEMA[_SCHEMA.index("CREATE TABLE record_blobs") :]
    conn.execute(statement[: statement.index(";")])
    rows = conn.execute(
        "SELECT rid, json FROM record_json WHERE instr(json, CAST('\"media_type\"' AS BLOB)) > 0"
    ).fetchall()
    conn.executemany(
        "INSERT OR IGNORE INTO record_blobs (rid, sha256, size) VALUES (?, ?, ?)",
        [(rid, sha, size) for rid, data in rows for sha, size in blobs_in(json.loads(data))],
    )


def _split_statements(script: str) -> list[str]:
    """Split the schema script into statements (executescript would commit our transaction)."""
    lines = [line for line in script.splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
