"""The outbox: what the kiosk and the display send back to the centre, kept durably until it is sent.

Each submission is one row of CACHE/outbox.db (SQLite, WAL, synchronous=FULL), committed before
`submit` returns, so a confirmation shown to a citizen is never a lie, even if the power fails the
next moment. The sender (`feed.uplink.sender`) takes rows with `outgoing()`, and marks them with
`mark_sent()` only after the centre acknowledged their ids; a row the centre refuses for good is
set aside with `mark_rejected()` (kept, counted, never sent again) so it cannot block the queue.

Every submission gets a stable unique `id` (UUID4, for de-duplication at the centre) and a short
`reference` the citizen can quote: PREFIX-YYYYMMDD-NNNN, a daily counter in the hall's local date
(e.g. QH-20261125-0042). Proof-of-play rows count separately (prefix PP) so they never inflate the
citizens' numbers. Each row belongs to the device that wrote it (several devices may share one cache
directory, e.g. a kiosk and the LED display on one PC); each device's sender drains its own rows.

Kinds and their payloads (a JSON object of at most 16 KiB). The citizens' kinds are checked against
the wire format (`feed.uplink.wire`), the one definition the centre checks them with too:

- ``rating`` (好差评): ``level`` 1–5 (5 = 非常满意 … 1 = 非常不满意, required), ``level_label``,
  ``negative`` (差评, to be followed up), ``subject`` {kind: hall|guide|item, id, title},
  ``reasons`` [{code, label, indicator}], ``channel`` ("kiosk"), optional ``phone`` (digits).
- ``suggestion`` (意见建议): ``topics`` [{code, label}], ``channel``, optional ``phone``.
- ``disclosure_request`` (点题公开): ``node`` {id, title} or null, ``topics`` [{code, label}],
  ``channel``, optional ``phone``.
- ``proof_of_play`` (LED 播放记录), written by `record_play`: ``headline_id``, ``started_at``
  (ISO 8601 with offset), ``seconds`` (shown for), ``device_id``. These stay on the device: once an
  hour is over, `roll_up_plays` turns them into one ``play_count`` row per headline and hour
  (``headline_id``, ``hour``, ``plays``, ``seconds``), which is what travels.

The outbox stays bounded: `prune` deletes delivered rows after a retention period, and
`enforce_budget` keeps the file under a size budget by dropping the oldest delivered rows and then
the oldest proof of play — a citizen's record that has not reached the centre is never dropped.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from feed.errors import DamagedStoreError, FeedError
from feed.sqlite.opener import Schema, open_database
from feed.sqlite.transactions import immediate

OUTBOX_NAME = "outbox.db"
CITIZEN_KINDS = ("rating", "suggestion", "disclosure_request")
PLAY_KINDS = ("proof_of_play", "play_count")
KINDS = (*CITIZEN_KINDS, *PLAY_KINDS)
MAX_PAYLOAD_BYTES = 16 * 1024
SCHEMA_VERSION = 2
DEFAULT_PREFIX = "QH"
PLAY_PREFIX = "PP"
BUDGET_CHUNK = 500

_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 0 → 1
    (
        """CREATE TABLE entries (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            reference TEXT NOT NULL,
            created TEXT NOT NULL,
            payload TEXT NOT NULL,
            sent TEXT
        )""",
        "CREATE INDEX entries_unsent ON entries (seq) WHERE sent IS NULL",
        "CREATE TABLE counters (series TEXT PRIMARY KEY, last INTEGER NOT NULL) WITHOUT ROWID",
    ),
    # 1 → 2: rows belong to a device; refused rows are set aside; the sender's last delivery.
    (
        "ALTER TABLE entries ADD COLUMN device TEXT",
        "ALTER TABLE entries ADD COLUMN rejected TEXT",
        "UPDATE entries SET device = json_extract(payload, '$.device_id') WHERE kind = 'proof_of_play'",
        "CREATE INDEX entries_sent ON entries (sent) WHERE sent IS NOT NULL",
        """CREATE TABLE deliveries (
            device TEXT PRIMARY KEY,
            last_attempt TEXT,
            last_success TEXT,
            last_error TEXT
        ) WITHOUT ROWID""",
    ),
)

# Not a cache: an outbox of an older version is migrated in place, step by step; a new one is
# created by running every step.
OUTBOX_SCHEMA = Schema(
    label="outbox",
    version=SCHEMA_VERSION,
    create=tuple(statement for step in _MIGRATIONS for statement in step),
    probe="SELECT count(*) FROM entries",
    migrations={version: _MIGRATIONS[version] for version in range(1, SCHEMA_VERSION)},
)


@dataclass(frozen=True)
class Submission:
    id: str
    reference: str
    created: datetime


@dataclass(frozen=True)
class Pending:
    id: str
    kind: str
    reference: str
    created: datetime
    payload: dict[str, Any]
    device: str | None = None


@dataclass(frozen=True)
class OutboxStats:
    """What a device's admin screen and heartbeat say about its outbox."""

    depth: int  # rows waiting to be sent (raw proof of play included)
    oldest_unsent: datetime | None
    rejected: int  # refused by the centre for good, kept here
    last_attempt: datetime | None
    last_success: datetime | None
    last_error: str | None

    def oldest_unsent_seconds(self, now: datetime) -> float | None:
        if self.oldest_unsent is None:
            return None
        return max((now - self.oldest_unsent).total_seconds(), 0.0)


def encode_payload(kind: str, payload: Mapping[str, Any]) -> str:
    """Check a payload and return its JSON; FeedError with a one-line reason when it is unacceptable."""
    if kind not in KINDS:
        raise FeedError(f"unknown outbox kind {kind!r} (expected one of {', '.join(KINDS)})")
    if not isinstance(payload, Mapping):
        raise FeedError(f"{kind} payload must be a mapping, not {type(payload).__name__}")
    try:
        text = json.dumps(dict(payload), ensure_ascii=False, allow_nan=False, sort_keys=True)
    except (TypeError, ValueError) as exc:
        raise FeedError(f"{kind} payload is not JSON-serialisable ({exc})") from exc
    size = len(text.encode("utf-8"))
    if size > MAX_PAYLOAD_BYTES:
        raise FeedError(f"{kind} payload is {size} bytes, more than {MAX_PAYLOAD_BYTES}")
    if kind == "proof_of_play":
        _check_play(payload)
    else:
        _check_wire(kind, payload)
    return text


def _check_wire(kind: str, payload: Mapping[str, Any]) -> None:
    from pydantic import ValidationError

    from feed.uplink.wire import validate_payload

    try:
        validate_payload(kind, dict(payload))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "payload"
        raise FeedError(f"{kind} payload: {where}: {first['msg']}") from None


def _check_play(payload: Mapping[str, Any]) -> None:
    if not isinstance(payload.get("headline_id"), str) or not payload["headline_id"]:
        raise FeedError("proof_of_play needs a headline_id")
    seconds = payload.get("seconds")
    if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds < 0:
        raise FeedError(f"proof_of_play seconds must be a non-negative number, not {seconds!r}")
    try:
        started = datetime.fromisoformat(str(payload.get("started_at")))
    except ValueError:
        raise FeedError("proof_of_play started_at must be an ISO 8601 date-time") from None
    if started.tzinfo is None:
        raise FeedError("proof_of_play started_at needs a UTC offset")


def _hour_start(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


class Outbox:
    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        *,
        prefix: str,
        device_id: str | None,
        clock: Callable[[], datetime],
    ) -> None:
        self.path = path
        self.prefix = prefix
        self.device_id = device_id
        self._conn = conn
        self._clock = clock
        self._lock = threading.Lock()

    @classmethod
    def open(
        cls,
        cache_dir: Path,
        *,
        prefix: str = DEFAULT_PREFIX,
        device_id: str | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> Outbox:
        """Open (creating if needed) CACHE/outbox.db. `clock` gives aware datetimes (default: now)."""
        if not (prefix.isascii() and prefix.isalnum() and 1 <= len(prefix) <= 8):
            raise FeedError(f"reference prefix must be 1–8 ASCII letters or digits, not {prefix!r}")
        cache_dir = Path(cache_dir)
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise FeedError(
                f"{cache_dir}: cannot create the cache directory ({exc.strerror or exc})"
            ) from exc
        path = cache_dir / OUTBOX_NAME
        conn = _connect(path)
        return cls(
            path, conn, prefix=prefix.upper(), device_id=device_id, clock=clock or (lambda: datetime.now(UTC))
        )

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            conn = self._conn
            try:
                with immediate(conn):
                    yield conn
            except sqlite3.Error as exc:
                raise FeedError(f"{self.path}: outbox write failed ({exc})") from exc

    def _now(self) -> datetime:
        now = self._clock()
        if now.tzinfo is None:
            raise FeedError("outbox clock must give aware datetimes")
        return now

    # ------------------------------------------------------------------ writing

    def submit(self, kind: str, payload: Mapping[str, Any]) -> Submission:
        """Store one submission durably; returns only after the row is committed to disk."""
        text = encode_payload(kind, payload)
        created = self._now()
        entry_id = str(uuid.uuid4())
        device = payload.get("device_id") if kind == "proof_of_play" else None
        with self._write() as conn:
            reference = self._next_reference(conn, kind, created)
            conn.execute(
                "INSERT INTO entries (id, kind, reference, created, payload, device) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (entry_id, kind, reference, created.isoformat(), text, device or self.device_id),
            )
        return Submission(id=entry_id, reference=reference, created=created)

    def _next_reference(self, conn: sqlite3.Connection, kind: str, created: datetime) -> str:
        day = created.astimezone().strftime("%Y%m%d")
        prefix = PLAY_PREFIX if kind in PLAY_KINDS else self.prefix
        series = f"{prefix}-{day}"
        number = conn.execute(
            "INSERT INTO counters (series, last) VALUES (?, 1) "
            "ON CONFLICT (series) DO UPDATE SET last = last + 1 RETURNING last",
            (series,),
        ).fetchone()[0]
        return f"{series}-{number:04d}"

    def record_play(
        self, headline_id: str, started_at: datetime, seconds: float, device_id: str | None = None
    ) -> Submission:
        """Proof of play: `headline_id` was on screen from `started_at` for `seconds`."""
        if started_at.tzinfo is None:
            raise FeedError("proof_of_play started_at needs a UTC offset")
        return self.submit(
            "proof_of_play",
            {
                "headline_id": headline_id,
                "started_at": started_at.isoformat(),
                "seconds": round(float(seconds), 3),
                "device_id": device_id or self.device_id,
            },
        )

    def roll_up_plays(self) -> int:
        """Turn the raw proof of play of every finished hour into one `play_count` row per device,
        headline and hour (in one transaction); returns how many rows were made."""
        current_hour = _hour_start(self._now())
        made = 0
        with self._write() as conn:
            rows = conn.execute(
                "SELECT seq, device, payload FROM entries WHERE kind = 'proof_of_play' AND sent IS NULL"
            ).fetchall()
            groups: dict[tuple[str | None, str, datetime], list[float]] = defaultdict(list)
            done: list[tuple[int]] = []
            for seq, device, text in rows:
                payload = json.loads(text)
                hour = _hour_start(datetime.fromisoformat(payload["started_at"]))
                if hour >= current_hour:
                    continue  # the hour is still running: more plays may come
                groups[(device, payload["headline_id"], hour)].append(float(payload["seconds"]))
                done.append((seq,))
            created = self._now()
            for (device, headline_id, hour), seconds in sorted(groups.items(), key=lambda g: g[0][2]):
                text = json.dumps(
                    {
                        "headline_id": headline_id,
                        "hour": hour.isoformat(),
                        "plays": len(seconds),
                        "seconds": round(sum(seconds), 3),
                    },
                    ensure_ascii=False,
                    sort_keys=True,
                )
                conn.execute(
                    "INSERT INTO entries (id, kind, reference, created, payload, device) "
                    "VALUES (?, 'play_count', ?, ?, ?, ?)",
                    (
                        str(uuid.uuid4()),
                        self._next_reference(conn, "play_count", created),
                        created.isoformat(),
                        text,
                        device,
                    ),
                )
                made += 1
            conn.executemany("DELETE FROM entries WHERE seq = ?", done)
        return made

    def mark_sent(self, ids: Iterable[str]) -> int:
        """Record that the centre acknowledged `ids`; returns how many were newly marked."""
        stamp = self._now().isoformat()
        with self._write() as conn:
            cursor = conn.executemany(
                "UPDATE entries SET sent = ? WHERE id = ? AND sent IS NULL", [(stamp, i) for i in ids]
            )
            return max(cursor.rowcount, 0)

    def mark_rejected(self, entry_id: str, reason: str) -> None:
        """Set a row aside that the centre refused for good: kept and counted, never sent again."""
        with self._write() as conn:
            conn.execute(
                "UPDATE entries SET rejected = ? WHERE id = ? AND sent IS NULL", (reason[:500], entry_id)
            )

    def note_delivery(self, device: str, *, error: str | None) -> None:
        """Remember how the latest delivery attempt of `device` went (for status and heartbeat)."""
        stamp = self._now().isoformat()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO deliveries (device, last_attempt, last_success, last_error) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (device) DO UPDATE SET last_attempt = excluded.last_attempt, "
                "last_success = coalesce(excluded.last_success, last_success), "
                "last_error = excluded.last_error",
                (device, stamp, None if error else stamp, error[:500] if error else None),
            )

    def prune(self, retention: timedelta) -> int:
        """Delete rows delivered longer than `retention` ago; returns how many went."""
        cutoff = (self._now() - retention).isoformat()
        with self._write() as conn:
            return max(conn.execute("DELETE FROM entries WHERE sent < ?", (cutoff,)).rowcount, 0)

    def enforce_budget(self, max_bytes: int) -> int:
        """Keep the database's used pages under `max_bytes`: drop the oldest delivered rows, then the
        oldest proof of play not yet delivered. Citizens' records not yet delivered are never dropped.
        Returns how many rows were dropped."""
        dropped = 0
        for condition in (
            "sent IS NOT NULL",
            f"sent IS NULL AND kind IN ({', '.join(repr(k) for k in PLAY_KINDS)})",
        ):
            while self.used_bytes() > max_bytes:
                with self._write() as conn:
                    gone = conn.execute(
                        f"DELETE FROM entries WHERE seq IN (SELECT seq FROM entries WHERE {condition} "
                        "ORDER BY seq LIMIT ?)",
                        (BUDGET_CHUNK,),
                    ).rowcount
                if gone <= 0:
                    break
                dropped += gone
        return dropped

    # ------------------------------------------------------------------ reading

    def used_bytes(self) -> int:
        """Bytes of the database's pages in use (free pages are reused before the file grows)."""
        with self._lock:
            pages = self._conn.execute("PRAGMA page_count").fetchone()[0]
            free = self._conn.execute("PRAGMA freelist_count").fetchone()[0]
            size = self._conn.execute("PRAGMA page_size").fetchone()[0]
        return int((pages - free) * size)

    def depth(self) -> int:
        """How many submissions wait to be sent (any device)."""
        with self._lock:
            return int(
                self._conn.execute(
                    "SELECT count(*) FROM entries WHERE sent IS NULL AND rejected IS NULL"
                ).fetchone()[0]
            )

    def waiting(self) -> dict[tuple[str, str], int]:
        """What waits to be sent, counted by (device, kind); "" for a row no device owns yet. Raw
        proof of play waits for its hour to end, then travels rolled up as a `play_count`."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT coalesce(device, ''), kind, count(*) FROM entries "
                "WHERE sent IS NULL AND rejected IS NULL GROUP BY 1, 2 ORDER BY 1, 2"
            ).fetchall()
        return {(device, kind): int(count) for device, kind, count in rows}

    def pending(self, limit: int = 100) -> list[Pending]:
        """The oldest unsent submissions of any device and kind, oldest first."""
        return self._select("WHERE sent IS NULL AND rejected IS NULL ORDER BY seq LIMIT ?", (max(0, limit),))

    def outgoing(self, device: str, *, claim_unowned: bool, limit: int) -> list[Pending]:
        """What `device`'s sender should send next, oldest first: its unsent rows except raw proof of
        play (which travels rolled up). `claim_unowned` also takes rows written before rows had an
        owner (citizens' records, so only a kiosk claims them)."""
        owner = "(device = ? OR device IS NULL)" if claim_unowned else "device = ?"
        return self._select(
            f"WHERE sent IS NULL AND rejected IS NULL AND kind != 'proof_of_play' AND {owner} "
            "ORDER BY seq LIMIT ?",
            (device, max(0, limit)),
        )

    def _select(self, where: str, parameters: tuple[Any, ...]) -> list[Pending]:
        with self._lock:
            rows = self._conn.execute(
                f"SELECT id, kind, reference, created, payload, device FROM entries {where}", parameters
            ).fetchall()
        return [
            Pending(
                id=i, kind=k, reference=r, created=datetime.fromisoformat(c), payload=json.loads(p), device=d
            )
            for i, k, r, c, p, d in rows
        ]

    def stats(self, device: str | None = None, *, claim_unowned: bool = True) -> OutboxStats:
        """Depth, oldest unsent row, rejected rows and the latest delivery of `device` (all devices
        when None)."""
        parameters: tuple[str, ...] = ()
        if device is None:
            owner = "1"
        else:
            owner = "(device = ? OR device IS NULL)" if claim_unowned else "device = ?"
            parameters = (device,)
        with self._lock:
            depth, oldest, rejected = self._conn.execute(
                "SELECT count(*) FILTER (WHERE rejected IS NULL), "
                "min(created) FILTER (WHERE rejected IS NULL), count(rejected) "
                f"FROM entries WHERE sent IS NULL AND {owner}",
                parameters,
            ).fetchone()
            delivery = self._conn.execute(
                "SELECT last_attempt, last_success, last_error FROM deliveries "
                f"{'' if device is None else 'WHERE device = ?'} ORDER BY last_attempt DESC LIMIT 1",
                () if device is None else (device,),
            ).fetchone() or (None, None, None)
        return OutboxStats(
            depth=int(depth),
            oldest_unsent=_parse(oldest),
            rejected=int(rejected),
            last_attempt=_parse(delivery[0]),
            last_success=_parse(delivery[1]),
            last_error=delivery[2],
        )


def _parse(stamp: str | None) -> datetime | None:
    return None if stamp is None else datetime.fromisoformat(stamp)


def _connect(path: Path) -> sqlite3.Connection:
    try:
        return open_database(path, OUTBOX_SCHEMA)
    except DamagedStoreError as exc:  # not a cache: its rows are what citizens submitted
        advice = "move it aside to keep its rows for recovery (nothing was deleted)"
        raise FeedError(f"{exc}; {advice}") from exc
