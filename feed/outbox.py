"""The outbox: what the kiosk and the display send back to the centre, kept durably until it is sent.

Each submission is one row of CACHE/outbox.db (SQLite, WAL, synchronous=FULL), committed before
`submit` returns, so a confirmation shown to a citizen is never a lie, even if the power fails the
next moment. Sending the rows to the centre is a later step: it reads `pending()` and calls
`mark_sent()`.

Every submission gets a stable unique `id` (UUID4, for de-duplication at the centre) and a short
`reference` the citizen can quote: PREFIX-YYYYMMDD-NNNN, a daily counter in the hall's local date
(e.g. QH-20261125-0042). Proof-of-play rows count separately (prefix PP) so they never inflate the
citizens' numbers.

Kinds and their payloads (a JSON object of at most 16 KiB; the fields below are what the apps send;
extra fields are kept as they are):

- ``rating`` (好差评): ``level`` 1–5 (5 = 非常满意 … 1 = 非常不满意, required), ``level_label``,
  ``negative`` (差评, to be followed up), ``subject`` {kind: hall|guide|item, id, title},
  ``reasons`` [{code, label, indicator}], ``channel`` ("kiosk"), optional ``phone`` (digits).
- ``suggestion`` (意见建议): ``topics`` [{code, label}], ``channel``, optional ``phone``.
- ``disclosure_request`` (点题公开): ``node`` {id, title} or null, ``topics`` [{code, label}],
  ``channel``, optional ``phone``.
- ``proof_of_play`` (LED 播放记录), written by `record_play`: ``headline_id``, ``started_at``
  (ISO 8601 with offset), ``seconds`` (shown for), ``device_id``.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from feed.errors import DamagedStoreError, FeedError
from feed.sqlite_tx import immediate
from feed.storage import sqlite_failure
from feed.wal import enable_wal

OUTBOX_NAME = "outbox.db"
KINDS = ("rating", "suggestion", "disclosure_request", "proof_of_play")
MAX_PAYLOAD_BYTES = 16 * 1024
SCHEMA_VERSION = 1
DEFAULT_PREFIX = "QH"
PLAY_PREFIX = "PP"

_SCHEMA = (
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
    _check_fields(kind, payload)
    return text


def _check_fields(kind: str, payload: Mapping[str, Any]) -> None:
    if kind == "rating":
        level = payload.get("level")
        if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 5:
            raise FeedError(f"rating level must be an integer 1..5, not {level!r}")
    elif kind == "proof_of_play":
        if not isinstance(payload.get("headline_id"), str) or not payload["headline_id"]:
            raise FeedError("proof_of_play needs a headline_id")
        seconds = payload.get("seconds")
        if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds < 0:
            raise FeedError(f"proof_of_play seconds must be a non-negative number, not {seconds!r}")
    phone = payload.get("phone")
    if phone is not None and not (isinstance(phone, str) and phone.isdigit() and len(phone) <= 20):
        raise FeedError("phone must be a string of at most 20 digits")


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

    def submit(self, kind: str, payload: Mapping[str, Any]) -> Submission:
        """Store one submission durably; returns only after the row is committed to disk."""
        text = encode_payload(kind, payload)
        created = self._clock()
        if created.tzinfo is None:
            raise FeedError("outbox clock must give aware datetimes")
        day = created.astimezone().strftime("%Y%m%d")
        prefix = PLAY_PREFIX if kind == "proof_of_play" else self.prefix
        entry_id = str(uuid.uuid4())
        with self._write() as conn:
            series = f"{prefix}-{day}"
            number = conn.execute(
                "INSERT INTO counters (series, last) VALUES (?, 1) "
                "ON CONFLICT (series) DO UPDATE SET last = last + 1 RETURNING last",
                (series,),
            ).fetchone()[0]
            reference = f"{series}-{number:04d}"
            conn.execute(
                "INSERT INTO entries (id, kind, reference, created, payload) VALUES (?, ?, ?, ?, ?)",
                (entry_id, kind, reference, created.isoformat(), text),
            )
        return Submission(id=entry_id, reference=reference, created=created)

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

    def depth(self) -> int:
        """How many submissions wait to be sent."""
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM entries WHERE sent IS NULL").fetchone()[0])

    def pending(self, limit: int = 100) -> list[Pending]:
        """The oldest unsent submissions, oldest first."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, kind, reference, created, payload FROM entries WHERE sent IS NULL "
                "ORDER BY seq LIMIT ?",
                (max(0, limit),),
            ).fetchall()
        return [
            Pending(id=i, kind=k, reference=r, created=datetime.fromisoformat(c), payload=json.loads(p))
            for i, k, r, c, p in rows
        ]

    def mark_sent(self, ids: Iterable[str]) -> int:
        """Record that the centre acknowledged `ids`; returns how many were newly marked."""
        stamp = self._clock().isoformat()
        with self._write() as conn:
            cursor = conn.executemany(
                "UPDATE entries SET sent = ? WHERE id = ? AND sent IS NULL", [(stamp, i) for i in ids]
            )
            return max(cursor.rowcount, 0)


def _connect(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(path, timeout=5.0, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise sqlite_failure(path, "cannot open the outbox", exc) from exc
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        enable_wal(conn)
        conn.execute("PRAGMA synchronous = FULL")
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise FeedError(
                f"{path}: outbox schema version {version} is newer than this program supports "
                f"({SCHEMA_VERSION})"
            )
        if version < SCHEMA_VERSION:
            with immediate(conn):
                if int(conn.execute("PRAGMA user_version").fetchone()[0]) == 0:
                    if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                        raise FeedError(f"{path}: is an SQLite file but not an outbox; refusing to touch it")
                    for statement in _SCHEMA:
                        conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except sqlite3.DatabaseError as exc:
        conn.close()
        failure = sqlite_failure(path, "cannot open the outbox", exc)
        if isinstance(failure, DamagedStoreError):  # not a cache: its rows are what citizens submitted
            advice = "move it aside to keep its rows for recovery (nothing was deleted)"
            raise FeedError(f"{failure}; {advice}") from exc
        raise failure from exc
    except BaseException:
        conn.close()
        raise
    return conn
