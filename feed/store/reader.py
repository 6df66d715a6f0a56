"""`StoreReader`: the read API the kiosk and the display use (implements feed.api.ContentReader).

Reads never touch the network and never wait for the syncing process: the store is in WAL mode, so
each query sees the last committed snapshot. Parsed records are cached by SHA-256, so a new snapshot
can never be served from stale cache entries.

The record models (pydantic) are imported on the first record parsed, not with this module: the
kiosk's attract screen draws its first frame from `hall_heading()` and SQL summaries alone.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, get_args

from cachetools import LRUCache

from feed.api import ContentReader, GuideSummary, HallHeading, ItemSummary, SearchHit, SyncStatus
from feed.config import DeviceConfig
from feed.disk.storage import storage_problem
from feed.errors import DamagedStoreError, FeedError, StorageError
from feed.search.query import search as run_search
from feed.sqlite.failures import sqlite_failure
from feed.sqlite.opener import open_database, open_read_only
from feed.sqlite.transactions import read_snapshot
from feed.store.cachedir import STORE_NAME, prepare_cache_dir
from feed.store.database import STORE_SCHEMA
from feed.store.objects import ObjectCache
from feed.store.repair import open_or_set_aside, remember, set_aside
from feed.store.state import (
    HEALTH_KEYS,
    SNAPSHOT_KEYS,
    SYNC_KEYS,
    counts_from_meta,
    read_meta,
    read_version,
    snapshot_from_meta,
    sync_state_from_meta,
)
from feed.store.visibility import Visibility

if TYPE_CHECKING:
    from feed.schema import AnyRecord, Catalog, Guide, Hall, Headline, Item

log = logging.getLogger(__name__)

RecordT = TypeVar("RecordT", bound="AnyRecord")
PARSED_CACHE_SIZE = 2048
REOPEN_CHECK_SECONDS = 5.0

_ITEM_COLUMNS = "r.id, r.title, r.node, r.publisher, r.published, r.featured"
_GUIDE_COLUMNS = (
    "r.id, r.title, r.department, "
    "(SELECT group_concat(f.value) FROM facets f WHERE f.facet = 'audience' AND f.rid = r.rid), "
    "r.hot, r.visits, r.online_full"
)
_GUIDE_ORDER = "ORDER BY r.hot DESC, coalesce(r.hot_rank, 1000), r.title, r.id"


class StoreReader:
    def __init__(
        self,
        cache_dir: Path,
        conn: sqlite3.Connection,
        device: DeviceConfig | None,
        today: Callable[[], date],
        clock: Callable[[], datetime],
    ) -> None:
        self.cache_dir = cache_dir
        self.path = cache_dir / STORE_NAME
        self.device = device
        self.objects = ObjectCache(cache_dir)
        self._conn = conn
        self._today = today
        self._clock = clock
        self._lock = threading.RLock()
        self._parsed: LRUCache[str, AnyRecord] = LRUCache(maxsize=PARSED_CACHE_SIZE)
        self._verified_blobs: dict[str, tuple[int, int]] = {}
        self.read_only: str | None = None  # why the store is open read-only, when it is
        # The repair this reader made as it opened (a damaged or outdated store.db set aside, and
        # logged then); an earlier one, made by another run or process, is only in status().repair.
        self.repaired: str | None = None
        self._repair = True
        self._inode = _inode(self.path)
        self._generation = 0
        self._next_reopen_check = 0.0

    @classmethod
    def open(
        cls,
        cache_dir: Path,
        device: DeviceConfig | None = None,
        today: Callable[[], date] | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        create: bool = True,
    ) -> StoreReader:
        """Open a cache directory for reading. An empty store (before the first sync) reads as empty.

        `today` decides item validity (default: the local date); `clock` decides staleness.
        With `create=False` a missing store is an error instead of being created empty.
        """
        cache_dir = Path(cache_dir)
        if not create and not (cache_dir / STORE_NAME).is_file():
            raise FeedError(f"{cache_dir}: no store here (run `hall-feed sync` first?)")
        conn, read_only, repaired = _connect(cache_dir, repair=create)
        reader = cls(cache_dir, conn, device, today or date.today, clock or (lambda: datetime.now(UTC)))
        reader.read_only, reader._repair, reader.repaired = read_only, create, repaired
        return reader

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> StoreReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def consistent(self) -> Iterator[None]:
        """Make the calls inside read one snapshot (e.g. a count and its first page).

        Each call on its own always reads one whole snapshot; this extends that across calls. Keep
        it short: the connection is held (by this thread) until the block ends.
        """
        with self._db() as conn, read_snapshot(conn):
            yield

    # -- plumbing ---------------------------------------------------------------------------------

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._conn
            except sqlite3.DatabaseError as exc:
                failure = sqlite_failure(self.path, "store database error", exc)
                if isinstance(failure, DamagedStoreError) and self._repair and self.read_only is None:
                    # Set aside now: the next read works on a new store that the next sync rebuilds.
                    set_aside(self.path, self._inode, str(failure))
                    self._reopen()
                raise failure from exc

    def _reopen(self) -> bool:
        """Open the store afresh (it was replaced, or may be writable again); True when done."""
        try:
            conn, read_only, _ = _connect(self.cache_dir, repair=self._repair)
        except FeedError as exc:
            log.warning("cannot reopen %s: %s", self.path, exc)
            return False
        with self._lock:
            self._conn.close()
            self._conn, self.read_only = conn, read_only
            self._inode = _inode(self.path)
            self._generation += 1
        return True

    def _reopen_if_needed(self) -> None:
        """Follow a store that another process set aside and replaced, and leave read-only mode
        once the cache can be written again; checked at most every REOPEN_CHECK_SECONDS."""
        now = time.monotonic()
        if now < self._next_reopen_check:
            return
        self._next_reopen_check = now + REOPEN_CHECK_SECONDS
        replaced = _inode(self.path) not in (None, self._inode)
        writable = self.read_only is not None and storage_problem(self.cache_dir) is None
        if replaced or writable:
            self._reopen()

    def _visible(self, *, dated: bool = True) -> tuple[str, dict[str, Any]]:
        return Visibility(self.device, self._today()).condition("r", dated=dated)

    def _load(self, sql: str, params: Any = ()) -> list[AnyRecord]:
        """Records for `sql` (selecting rid, sha256), parsed once per SHA-256 and then cached."""
        from feed.schema import parse_record

        with self._db() as conn:
            found: list[AnyRecord] = []
            for rid, sha256 in conn.execute(sql, params).fetchall():
                record = self._parsed.get(sha256)
                if record is None:
                    row = conn.execute(
                        "SELECT j.json, r.kind FROM record_json j JOIN records r ON r.rid = j.rid"
                        " WHERE j.rid = ?",
                        (rid,),
                    ).fetchone()
                    if row is None:  # replaced between the two queries: skip, the next read sees it
                        continue
                    try:
                        record = parse_record(row[0], kind=row[1])
                    except ValueError as exc:
                        # Checked under older, looser rules; the next sync re-checks it. Never a crash.
                        log.warning("stored %s %s is invalid, not shown: %s", row[1], sha256[:12], exc)
                        continue
                    self._parsed[sha256] = record
                found.append(record)
            return found

    def _one(self, kind: type[RecordT], record_id: str) -> RecordT | None:
        visible, params = self._visible()
        (kind_name,) = get_args(kind.model_fields["kind"].annotation)  # Literal["item"] → "item"
        params.update(kind=kind_name, id=record_id)
        found = self._load(
            f"SELECT r.rid, r.sha256 FROM records r WHERE r.kind = :kind AND r.id = :id AND {visible}", params
        )
        return found[0] if found and isinstance(found[0], kind) else None

    # -- hall and catalogue -----------------------------------------------------------------------

    _HALL = "SELECT {} FROM records WHERE kind = 'hall' ORDER BY id = ? DESC, id LIMIT 1"

    def hall(self) -> Hall | None:
        """This device's hall when the feed has it, else the first hall in the feed."""
        from feed.schema import Hall

        found = self._load(self._HALL.format("rid, sha256"), (self._wanted_hall(),))
        return found[0] if found and isinstance(found[0], Hall) else None

    def hall_heading(self) -> HallHeading | None:
        """The same hall's names and hours, straight from its stored JSON (validated at sync)."""
        sql = f"SELECT j.json FROM record_json j WHERE j.rid = ({self._HALL.format('rid')})"
        with self._db() as conn:
            row = conn.execute(sql, (self._wanted_hall(),)).fetchone()
        if row is None:
            return None
        data = json.loads(row[0])
        name = str(data["name"])
        return HallHeading(
            name=name, short_name=str(data.get("short_name") or name), hours=tuple(map(str, data["hours"]))
        )

    def _wanted_hall(self) -> str | None:
        return self.device.hall if self.device else None

    def catalog(self) -> Catalog | None:
        """The feed's catalogue (a feed holds at most one)."""
        from feed.schema import Catalog

        found = self._load("SELECT rid, sha256 FROM records WHERE kind = 'catalog' ORDER BY id LIMIT 1")
        return found[0] if found and isinstance(found[0], Catalog) else None

    # -- items ------------------------------------------------------------------------------------

    def _item_summaries(self, where: str, params: dict[str, Any], tail: str) -> list[ItemSummary]:
        visible, vparams = self._visible()
        params = {**vparams, **params}
        sql = f"SELECT {_ITEM_COLUMNS} FROM records r WHERE r.kind = 'item' AND {where} AND {visible} {tail}"
        with self._db() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [
            ItemSummary(
                id=i,
                title=title,
                node=node,
                publisher=publisher,
                published=date.fromisoformat(published),
                featured=bool(featured),
            )
            for i, title, node, publisher, published, featured in rows
        ]

    # One index lookup per node under `node` (records_by_node); with `r.node = :node OR …` SQLite
    # scanned every item instead: 2.3 ms per count on 10,000 items, once per row of a catalogue page.
    _UNDER_NODE = "r.node IN (SELECT node FROM catalog_paths WHERE ancestor = :node UNION ALL SELECT :node)"

    def items_in(self, node_id: str, *, offset: int = 0, limit: int = 50) -> list[ItemSummary]:
        """Items filed under `node_id` or any descendant, newest first."""
        return self._item_summaries(
            self._UNDER_NODE,
            {"node": node_id, "limit": max(0, limit), "offset": max(0, offset)},
            "ORDER BY r.published DESC, r.id LIMIT :limit OFFSET :offset",
        )

    def count_items(self, node_id: str) -> int:
        visible, params = self._visible()
        params["node"] = node_id
        with self._db() as conn:
            row = conn.execute(
                f"SELECT count(*) FROM records r WHERE r.kind = 'item' AND {self._UNDER_NODE} AND {visible}",
                params,
            ).fetchone()
        return int(row[0])

    def item(self, item_id: str) -> Item | None:
        from feed.schema import Item

        return self._one(Item, item_id)

    def featured_items(self, limit: int = 10) -> list[ItemSummary]:
        return self._item_summaries(
            "r.featured = 1", {"limit": max(0, limit)}, "ORDER BY r.published DESC, r.id LIMIT :limit"
        )

    # -- guides -----------------------------------------------------------------------------------

    def guide(self, guide_id: str) -> Guide | None:
        from feed.schema import Guide

        return self._one(Guide, guide_id)

    @staticmethod
    def _guide_filter(
        department: str | None, audience: str | None, topic: str | None, hot_only: bool = False
    ) -> tuple[str, dict[str, Any]]:
        parts = ["r.kind = 'guide'"]
        params: dict[str, Any] = {}
        if department is not None:
            parts.append("r.department = :department")
            params["department"] = department
        for facet, value in (("audience", audience), ("topic", topic)):
            if value is not None:
                parts.append(
                    f"EXISTS (SELECT 1 FROM facets f WHERE f.facet = '{facet}' AND f.value = :{facet} "
                    "AND f.rid = r.rid)"
                )
                params[facet] = value
        if hot_only:
            parts.append("r.hot = 1")
        return " AND ".join(parts), params

    def _guide_summaries(self, where: str, params: dict[str, Any], tail: str) -> list[GuideSummary]:
        visible, vparams = self._visible()
        sql = f"SELECT {_GUIDE_COLUMNS} FROM records r WHERE {where} AND {visible} {tail}"
        with self._db() as conn:
            rows = conn.execute(sql, {**vparams, **params}).fetchall()
        return [
            GuideSummary(
                id=i,
                title=title,
                department=department,
                audiences=tuple(sorted((audiences or "").split(","))) if audiences else (),
                hot=bool(hot),
                visits=int(visits),
                online_full=bool(online_full),
            )
            for i, title, department, audiences, hot, visits, online_full in rows
        ]

    def guides(
        self,
        *,
        department: str | None = None,
        audience: str | None = None,
        topic: str | None = None,
        hot_only: bool = False,
        offset: int = 0,
        limit: int = 50,
    ) -> list[GuideSummary]:
        """Guides matching every given filter: hot ones first (by hot rank), then by title."""
        where, params = self._guide_filter(department, audience, topic, hot_only)
        params.update(limit=max(0, limit), offset=max(0, offset))
        return self._guide_summaries(where, params, f"{_GUIDE_ORDER} LIMIT :limit OFFSET :offset")

    def count_guides(
        self, *, department: str | None = None, audience: str | None = None, topic: str | None = None
    ) -> int:
        where, params = self._guide_filter(department, audience, topic)
        visible, vparams = self._visible()
        with self._db() as conn:
            row = conn.execute(
                f"SELECT count(*) FROM records r WHERE {where} AND {visible}", {**vparams, **params}
            ).fetchone()
        return int(row[0])

    def departments(self) -> list[tuple[str, int]]:
        """(department, guide count), by count descending."""
        visible, params = self._visible()
        with self._db() as conn:
            rows = conn.execute(
                f"SELECT r.department, count(*) AS n FROM records r WHERE r.kind = 'guide' AND {visible} "
                "GROUP BY r.department ORDER BY n DESC, r.department",
                params,
            ).fetchall()
        return [(str(d), int(n)) for d, n in rows]

    def topics(self) -> list[tuple[str, int]]:
        """(topic, guide count), by count descending."""
        visible, params = self._visible()
        with self._db() as conn:
            rows = conn.execute(
                "SELECT f.value, count(*) AS n FROM facets f JOIN records r ON r.rid = f.rid "
                f"WHERE f.facet = 'topic' AND r.kind = 'guide' AND {visible} "
                "GROUP BY f.value ORDER BY n DESC, f.value",
                params,
            ).fetchall()
        return [(str(t), int(n)) for t, n in rows]

    def hot_guides(self, limit: int = 8) -> list[GuideSummary]:
        return self.guides(hot_only=True, limit=limit)

    # -- headlines --------------------------------------------------------------------------------

    def headlines(self) -> list[Headline]:
        """All headlines targeted at this device, whatever their windows, highest priority first."""
        from feed.schema import Headline

        visible, params = self._visible(dated=False)
        loaded = self._load(
            f"SELECT r.rid, r.sha256 FROM records r WHERE r.kind = 'headline' AND {visible}", params
        )
        found = [h for h in loaded if isinstance(h, Headline)]
        return sorted(found, key=lambda h: (not h.emergency, -h.priority, h.id))

    # -- search, blobs, status --------------------------------------------------------------------

    def search(self, query: str, limit: int = 30) -> list[SearchHit]:
        visible, params = self._visible()
        with self._db() as conn:
            return run_search(conn, query, limit=limit, visible=visible, params=params)

    def blob_path(self, sha256: str) -> Path | None:
        """The blob's file when present and its bytes match its name (re-checked when the file changes)."""
        try:
            path = self.objects.path(sha256)
            stat = path.stat()
        except (FeedError, OSError):
            return None
        signature = (stat.st_size, stat.st_mtime_ns)
        if self._verified_blobs.get(sha256) == signature:
            return path
        if self.objects.verified_path(sha256, discard_bad=self.read_only is None) is None:
            return None  # a damaged file was removed: the next sync fetches it again
        self._verified_blobs[sha256] = signature
        return path

    def status(self) -> SyncStatus:
        with self._db() as conn:
            meta = read_meta(conn, (*SNAPSHOT_KEYS, *SYNC_KEYS, *HEALTH_KEYS, "counts"))
        snapshot = snapshot_from_meta(meta)
        state = sync_state_from_meta(meta)
        problem = storage_problem(self.cache_dir)
        storage = None
        if problem is not None:
            storage = f"{problem.text}: nothing new can be stored, showing the last good content"
        elif self.read_only is not None:
            storage = f"{self.read_only}: showing the last good content read-only"
        return SyncStatus(
            feed_id=snapshot.feed_id if snapshot else None,
            sequence=snapshot.sequence if snapshot else None,
            counts=counts_from_meta(meta),
            issued=snapshot.issued if snapshot else None,
            expires=snapshot.expires if snapshot else None,
            last_success=state.last_success,
            last_attempt=state.last_attempt,
            last_error=state.last_error,
            stale=snapshot is not None and self._clock() >= snapshot.expires,
            source=state.source,
            storage=storage,
            repair=str(meta["repair_note"]) if meta.get("repair_note") else None,
            objects_repaired=int(meta.get("objects_repaired") or 0),
            objects_missing=int(meta.get("objects_missing") or 0),
        )

    def snapshot_version(self) -> int:
        """Changes whenever any process commits a snapshot or a sync attempt (one tiny query), and
        when this reader opened a replaced store."""
        self._reopen_if_needed()
        with self._db() as conn:
            return (self._generation << 32) + read_version(conn)


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


def _connect(cache_dir: Path, *, repair: bool) -> tuple[sqlite3.Connection, str | None, str | None]:
    """A connection to the store, why it is read-only when it is, and the note of the repair this
    call made when it made one.

    With `repair`, a damaged store is set aside and replaced (see feed.store.repair). When the cache
    cannot be written (a read-only filesystem, a full disk) an existing store is opened read-only:
    the apps go on showing the last good content."""
    path = cache_dir / STORE_NAME
    try:
        prepare_cache_dir(cache_dir)
        if not repair:
            return open_database(path, STORE_SCHEMA), None, None
        conn, note = open_or_set_aside(path, STORE_SCHEMA)
        if note is not None:
            remember(conn, note)
        return conn, None, note
    except StorageError as exc:
        if not path.is_file():
            raise
        log.warning("%s; opening the store read-only", exc)
        conn = open_read_only(path, STORE_SCHEMA, immutable=exc.kind != "no-permission")
        return conn, str(exc), None


def _conforms(reader: StoreReader) -> ContentReader:
    """Never called: lets mypy check that StoreReader implements the apps' read protocol."""
    return reader
