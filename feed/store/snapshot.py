"""Replacing the current snapshot with a new one in a single SQLite transaction.

Only records whose SHA-256 changed are touched, so a one-item change rewrites a few rows. Records the
new snapshot lists with the hash already stored are passed as keys only (`unchanged`): they were
parsed and checked when they were first committed, and their rows stay as they are. Pinyin keys
and row values are computed before the write lock is taken, keeping the lock short. A crash at any
point rolls back to the previous snapshot (SQLite's WAL makes the commit atomic and durable).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Sequence
from typing import Any

from feed.errors import FeedError, FeedRejectedError
from feed.format.canonical import canonical_bytes, sha256_hex
from feed.format.manifest import Manifest
from feed.format.validation import RULES_VERSION, targets_of
from feed.schema import AnyRecord, Catalog, blobs_of, parse_record
from feed.search.index import SearchEntry, add_to_index, entry_for, remove_from_index
from feed.sqlite.transactions import immediate
from feed.store.rows import COLUMNS, record_facets, record_row
from feed.store.state import bump_version, read_meta, write_meta

Key = tuple[str, str]
Listed = tuple[str, str, str]  # kind, id, sha256

_INSERT = (
    f"INSERT INTO records (rid, {', '.join(COLUMNS)}) VALUES (:rid, {', '.join(':' + c for c in COLUMNS)})"
)


def current_hashes(conn: sqlite3.Connection) -> dict[Key, str]:
    return {(kind, rid): sha for kind, rid, sha in conn.execute("SELECT kind, id, sha256 FROM records")}


class Prepared:
    """What the snapshot needs of one checked record (its key, targets and blobs, row values and
    search entries), built outside the write transaction; the record itself is not kept."""

    def __init__(self, sha256: str, record: AnyRecord) -> None:
        self.sha256, self.kind, self.id = sha256, record.kind, record.id
        self.halls = targets_of(record)
        self.blob_refs = [(ref.sha256, ref.size) for ref in blobs_of(record)]  # as listed, repeats too
        self.row: dict[str, Any] = record_row(sha256, record)
        self.json = canonical_bytes(record.model_dump(mode="json"))
        self.facets = record_facets(record)
        self.blobs = dict(self.blob_refs)
        self.search: SearchEntry | None = entry_for(record)


# A new or changed record: (sha256, model), or its values prepared already (see feed.store.prepare_worker).
Checked = tuple[str, AnyRecord] | Prepared


def prepared(item: Checked) -> Prepared:
    return item if isinstance(item, Prepared) else Prepared(*item)


def listed_as(item: Checked) -> Listed:
    """(kind, id, sha256) of a checked record."""
    if isinstance(item, Prepared):
        return item.kind, item.id, item.sha256
    return item[1].kind, item[1].id, item[0]


def commit_snapshot(
    conn: sqlite3.Connection,
    manifest: Manifest,
    manifest_bytes: bytes,
    records: Sequence[Checked],
    *,
    unchanged: Sequence[Listed] = (),
    restart: bool = False,
) -> None:
    """`records` are the new or changed records, each as (sha256, model) or as values prepared from
    the same verified bytes (a model is prepared here). `unchanged` lists (kind, id, sha256) of
    records the snapshot keeps exactly as stored. A manifest with a lower sequence than the one held
    is refused, unless the sync found that the held one binds no more (`restart`: see
    feed.sync.checks)."""
    wanted: dict[Key, Checked] = {}
    listed: dict[Key, str] = {}
    for item in records:
        kind, record_id, sha256 = listed_as(item)
        key: Key = (kind, record_id)
        if key in listed:
            raise FeedRejectedError(f"snapshot lists {kind} {record_id!r} twice")
        wanted[key] = item
        listed[key] = sha256
    for kind, record_id, sha256 in unchanged:
        if (kind, record_id) in listed:
            raise FeedRejectedError(f"snapshot lists {kind} {record_id!r} twice")
        listed[(kind, record_id)] = sha256

    before = current_hashes(conn)
    ready = {key: prepared(wanted[key]) for key in wanted if before.get(key) != listed[key]}

    with immediate(conn):
        held = read_meta(conn, ("sequence",)).get("sequence")
        if held is not None and manifest.signed.sequence < int(held) and not restart:
            raise FeedRejectedError(
                f"rollback refused: manifest sequence {manifest.signed.sequence} is lower than {held}"
            )
        existing = current_hashes(conn)
        stale = [key for key, sha in existing.items() if listed.get(key) != sha]
        fresh = [key for key, sha in listed.items() if existing.get(key) != sha]
        if any(key not in wanted for key in fresh):
            # Another writer changed a row listed as unchanged; sync holds a lock, so this is a bug
            # or a hand-edited store. Nothing is written; the next attempt reads the store afresh.
            raise FeedError("the store changed while the snapshot was prepared; sync again")
        _delete(conn, stale)
        _insert(conn, [ready.get(key) or prepared(wanted[key]) for key in fresh])
        if any(kind == "catalog" for kind, _ in stale + fresh):
            rebuild_catalog_paths(conn)
        counts = dict(
            conn.execute("SELECT kind, count(*) FROM records GROUP BY kind ORDER BY kind").fetchall()
        )
        signed = manifest.signed
        write_meta(
            conn,
            {
                "feed_id": signed.feed_id,
                "sequence": signed.sequence,
                "manifest_sha256": sha256_hex(manifest_bytes),
                "issued": signed.issued.isoformat(),
                "expires": signed.expires.isoformat(),
                "manifest": manifest_bytes,
                "counts": json.dumps(counts, sort_keys=True),
                "rules_version": RULES_VERSION,
            },
        )
        bump_version(conn)


def stored_blobs(conn: sqlite3.Connection, keys: Collection[Key]) -> list[tuple[str, int]]:
    """(sha256, size) of the blobs that the stored records under `keys` refer to."""
    if not keys:
        return []
    rows = conn.execute(
        "SELECT r.kind, r.id, b.sha256, b.size FROM record_blobs b JOIN records r ON r.rid = b.rid"
    )
    return [(sha256, int(size)) for kind, record_id, sha256, size in rows if (kind, record_id) in keys]


def snapshot_blobs(conn: sqlite3.Connection) -> dict[str, int]:
    """sha256 → size of every blob the current snapshot refers to."""
    return {sha256: int(size) for sha256, size in conn.execute("SELECT sha256, size FROM record_blobs")}


def stored_hall_targets(conn: sqlite3.Connection, keys: Collection[Key]) -> list[tuple[str, str, list[str]]]:
    """(kind, id, hall ids) of the stored records under `keys` that are targeted at halls."""
    if not keys:
        return []
    rows = conn.execute("SELECT kind, id, t_halls FROM records WHERE t_halls != ''")
    return [(kind, rid, halls.strip(",").split(",")) for kind, rid, halls in rows if (kind, rid) in keys]


def _delete(conn: sqlite3.Connection, keys: list[Key]) -> None:
    rids: list[int] = []
    for kind, record_id in keys:
        row = conn.execute("SELECT rid FROM records WHERE kind = ? AND id = ?", (kind, record_id)).fetchone()
        if row is not None:
            rids.append(int(row[0]))
    remove_from_index(conn, rids)
    for table in ("facets", "record_blobs", "record_json", "records"):
        conn.executemany(f"DELETE FROM {table} WHERE rid = ?", [(rid,) for rid in rids])


def _insert(conn: sqlite3.Connection, items: list[Prepared]) -> None:
    """Insert all new rows with one statement per table: rids are assigned here, after the deletes."""
    if not items:
        return
    first = int(conn.execute("SELECT coalesce(max(rid), 0) + 1 FROM records").fetchone()[0])
    numbered = list(enumerate(items, start=first))
    conn.executemany(_INSERT, [{**item.row, "rid": rid} for rid, item in numbered])
    conn.executemany(
        "INSERT INTO record_json (rid, json) VALUES (?, ?)", [(rid, item.json) for rid, item in numbered]
    )
    conn.executemany(
        "INSERT INTO facets (facet, value, rid) VALUES (?, ?, ?)",
        [(facet, value, rid) for rid, item in numbered for facet, value in item.facets],
    )
    conn.executemany(
        "INSERT INTO record_blobs (rid, sha256, size) VALUES (?, ?, ?)",
        [(rid, sha256, size) for rid, item in numbered for sha256, size in item.blobs.items()],
    )
    add_to_index(conn, [(rid, item.search) for rid, item in numbered if item.search is not None])


def rebuild_catalog_paths(conn: sqlite3.Connection) -> None:
    """Recompute the (ancestor, node) closure over every catalogue in the snapshot."""
    conn.execute("DELETE FROM catalog_paths")
    parents: dict[str, str | None] = {}
    for (data,) in conn.execute(
        "SELECT j.json FROM records r JOIN record_json j ON j.rid = r.rid "
        "WHERE r.kind = 'catalog' ORDER BY r.id"
    ):
        catalog = parse_record(data)
        assert isinstance(catalog, Catalog)
        for node in catalog.nodes:
            parents.setdefault(node.id, node.parent)
    pairs: list[tuple[str, str]] = []
    for node_id in parents:
        ancestor: str | None = node_id
        seen: set[str] = set()
        while ancestor is not None and ancestor not in seen:
            seen.add(ancestor)
            pairs.append((ancestor, node_id))
            ancestor = parents.get(ancestor)
    conn.executemany("INSERT OR IGNORE INTO catalog_paths (ancestor, node) VALUES (?, ?)", pairs)
