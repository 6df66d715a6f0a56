"""The desk's queues in the database: listing a queue with each record's follow-up, one record with
its history, and recording a step of the work (`centre.rules.work` decides which steps are allowed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, Select, func, select

from centre.db import engine as db
from centre.db.schema import follow_up_notes, follow_ups, submissions
from centre.rules.work import Queue, check_step

PAGE_ROWS = 200


@dataclass(frozen=True)
class Item:
    """A citizen's record as a queue shows it."""

    id: UUID
    kind: str
    reference: str
    hall: str
    device_id: str
    created_at: datetime
    level: int | None
    subject_title: str | None
    phone: str | None  # in full: the page masks it for who may not see it
    payload: dict[str, Any]
    status: str
    reply: str | None
    publish: bool
    updated_at: datetime | None  # of the last step, if any


@dataclass(frozen=True)
class Note:
    at: datetime
    author: str
    status: str
    note: str


def _select(queue: Queue) -> Select[Any]:
    status = func.coalesce(follow_ups.c.status, queue.first)
    return (
        select(
            submissions,
            status.label("status"),
            follow_ups.c.reply,
            func.coalesce(follow_ups.c.publish, False).label("publish"),
            follow_ups.c.updated_at,
        )
        .join_from(submissions, follow_ups, follow_ups.c.submission_id == submissions.c.id, isouter=True)
        .where(submissions.c.queue == queue.name)
    )


def _item(row: Any) -> Item:
    return Item(
        id=row.id,
        kind=row.kind,
        reference=row.reference,
        hall=row.hall,
        device_id=row.device_id,
        created_at=row.created_at,
        level=row.level,
        subject_title=row.subject_title,
        phone=row.phone,
        payload=row.payload,
        status=row.status,
        reply=row.reply,
        publish=bool(row.publish),
        updated_at=row.updated_at,
    )


def list_queue(engine: Engine, queue: Queue, *, done: bool = False, limit: int = PAGE_ROWS) -> list[Item]:
    """The queue's records still to do (oldest first), or those done (the latest done first). Both
    read the index (queue, done_at, created_at) in order, however many records are done."""
    statement = _select(queue)
    if done:
        statement = statement.where(submissions.c.done_at.is_not(None)).order_by(submissions.c.done_at.desc())
    else:
        statement = statement.where(submissions.c.done_at.is_(None)).order_by(submissions.c.created_at)
    with db.read(engine) as conn:
        return [_item(row) for row in conn.execute(statement.limit(limit))]


def find(engine: Engine, queue: Queue, record_id: UUID) -> tuple[Item, list[Note]] | None:
    """One record of the queue and its history (oldest step first); None when it is not there."""
    with db.read(engine) as conn:
        row = conn.execute(_select(queue).where(submissions.c.id == record_id)).first()
        if row is None:
            return None
        notes = conn.execute(
            select(*(follow_up_notes.c[name] for name in ("at", "author", "status", "note")))
            .where(follow_up_notes.c.submission_id == record_id)
            .order_by(follow_up_notes.c.at, follow_up_notes.c.id)
        )
        return _item(row), [Note(*note) for note in notes]


def record_step(
    engine: Engine,
    queue: Queue,
    record_id: UUID,
    status: str,
    text: str,
    *,
    author: str,
    now: datetime,
    publish: bool = False,
) -> None:
    """Move a record one step (StepError when it may not; LookupError when it is not in the queue).
    In one transaction that re-reads the status, so two handlers cannot both take the same step."""
    with db.write(engine) as conn:
        row = conn.execute(
            _select(queue).where(submissions.c.id == record_id).with_for_update(of=submissions)
        ).first()
        if row is None:
            raise LookupError(record_id)
        check_step(queue, row.status, status, text)
        values: dict[str, Any] = {"status": status, "updated_at": now, "updated_by": author}
        if queue.replies:
            values.update(reply=text.strip(), publish=publish)
        if (
            row.status == queue.first
            and conn.execute(
                select(follow_ups.c.submission_id).where(follow_ups.c.submission_id == record_id)
            ).first()
            is None
        ):
            values.setdefault("publish", False)
            conn.execute(follow_ups.insert().values(submission_id=record_id, **values))
        else:
            conn.execute(follow_ups.update().where(follow_ups.c.submission_id == record_id).values(**values))
        if status == queue.done:
            conn.execute(submissions.update().where(submissions.c.id == record_id).values(done_at=now))
        conn.execute(
            follow_up_notes.insert().values(
                submission_id=record_id, at=now, author=author, status=status, note=text.strip()
            )
        )
