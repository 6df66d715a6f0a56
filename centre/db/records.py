"""Storing a batch of outbox records exactly once, by record id.

Citizens' records go to `submissions`, proof-of-play counts to `play_counts`; both are inserted with
ON CONFLICT DO NOTHING, so a batch sent again (its acknowledgement was lost) stores nothing twice.
The whole batch is one transaction: either every record is held afterwards or, on any error, none of
this batch's new ones are.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Dialect, Engine, Table, TextClause, select, text, update
from sqlalchemy.dialects import sqlite

from centre.db import engine as db
from centre.db.devices import Device
from centre.db.schema import devices, play_counts, submissions
from centre.rules.work import queue_for
from feed import FeedError, OutboxRecord, PlayCountRecord, RatingRecord

# Keep each IN (…) list well under SQLite's and psycopg's parameter limits.
CHUNK = 500


class ForeignRecordError(FeedError):
    """Some ids of the batch are already held for another device."""

    def __init__(self, ids: Sequence[UUID]) -> None:
        super().__init__(
            f"{len(ids)} record id(s) already belong to another device, e.g. {ids[0]}: nothing was stored"
        )
        self.ids = ids


@dataclass(frozen=True)
class Stored:
    held: list[UUID]  # every id of the batch, now held at the centre
    new: int  # how many of them this batch stored


def store_batch(engine: Engine, device: Device, records: Sequence[OutboxRecord], now: datetime) -> Stored:
    """Store the records of one batch from `device` (already authenticated and checked to own them)."""
    citizen_rows = [_submission_row(r, device, now) for r in records if not isinstance(r, PlayCountRecord)]
    play_rows = [_play_row(r, device, now) for r in records if isinstance(r, PlayCountRecord)]
    ids = [r.id for r in records]
    with db.write(engine) as conn:
        inserted: set[UUID] = set()
        for table, rows in ((submissions, citizen_rows), (play_counts, play_rows)):
            if rows:
                inserted.update(_insert_new(conn, table, rows))
        known_before = [i for i in ids if i not in inserted]
        foreign = _held_by_others(conn, known_before, device.id)
        if foreign:
            raise ForeignRecordError(foreign)  # rolls the whole batch back
        conn.execute(update(devices).where(devices.c.id == device.id).values(last_seen_at=now))
    return Stored(held=list(dict.fromkeys(ids)), new=len(inserted))


def _insert_new(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> list[UUID]:
    """Insert the rows whose id is new; returns those ids."""
    if conn.dialect.name == "postgresql":
        return _insert_new_postgresql(conn, table, rows)
    statement = sqlite.insert(table).on_conflict_do_nothing(index_elements=["id"]).returning(table.c.id)
    return list(conn.execute(statement, rows).scalars())


def _insert_new_postgresql(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> list[UUID]:
    """One INSERT … SELECT FROM unnest(arrays): the statement's text is the same for every batch, so
    PostgreSQL and psycopg parse it once, where a multi-row VALUES list is new text every time (and
    parsing it cost more than storing the rows)."""
    columns = [column.name for column in table.columns]
    arrays: dict[str, list[Any]] = {name: [] for name in columns}
    for row in rows:
        for name in columns:
            value = row[name]
            arrays[name].append(json.dumps(value, ensure_ascii=False) if name == "payload" else value)
    result = conn.execute(_unnest_insert(table, conn.dialect), arrays)
    return [UUID(str(value)) for value in result.scalars()]


_UNNEST: dict[str, TextClause] = {}


def _unnest_insert(table: Table, dialect: Dialect) -> TextClause:
    found = _UNNEST.get(table.name)
    if found is None:
        casts = []
        for column in table.columns:
            sql_type = column.type.compile(dialect=dialect)
            # JSON goes over the wire as text and becomes jsonb on the server.
            casts.append(
                f"CAST(:{column.name} AS TEXT[])::{sql_type}[]"
                if sql_type == "JSONB"
                else f"CAST(:{column.name} AS {sql_type}[])"
            )
        names = ", ".join(column.name for column in table.columns)
        found = _UNNEST[table.name] = text(
            f"INSERT INTO {table.name} ({names}) SELECT * FROM unnest({', '.join(casts)}) "
            "ON CONFLICT (id) DO NOTHING RETURNING id"
        )
    return found


def _held_by_others(conn: Connection, ids: list[UUID], device_id: str) -> list[UUID]:
    found: list[UUID] = []
    for table in (submissions, play_counts):
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            found.extend(
                conn.execute(
                    select(table.c.id).where(table.c.id.in_(chunk), table.c.device_id != device_id)
                ).scalars()
            )
    return found


def _submission_row(record: OutboxRecord, device: Device, now: datetime) -> dict[str, Any]:
    payload = record.payload.model_dump(mode="json", exclude={"phone"})
    row: dict[str, Any] = {
        "id": record.id,
        "device_id": device.id,
        "hall": device.hall,
        "kind": record.kind,
        "reference": record.reference,
        "created_at": record.created,
        "received_at": now,
        "phone": getattr(record.payload, "phone", None),
        "payload": payload,
        "level": None,
        "subject_kind": None,
        "subject_id": None,
        "subject_title": None,
        "subject_department": None,
        "queue": queue_for(record.kind, getattr(record.payload, "level", None)),
        "done_at": None,
    }
    if isinstance(record, RatingRecord):
        subject = record.payload.subject
        row.update(
            level=record.payload.level,
            subject_kind=subject.kind,
            subject_id=subject.id,
            subject_title=subject.title,
            subject_department=subject.department or None,
        )
    return row


def _play_row(record: PlayCountRecord, device: Device, now: datetime) -> dict[str, Any]:
    return {
        "id": record.id,
        "device_id": device.id,
        "headline_id": record.payload.headline_id,
        "hour_start": record.payload.hour,
        "plays": record.payload.plays,
        "seconds": record.payload.seconds,
        "received_at": now,
    }
