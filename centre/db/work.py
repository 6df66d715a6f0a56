"""The desk's queues in the database: listing a queue with each record's follow-up (and a
依申请公开's applicant), one record with its history, and recording a step of the work or the
extension of a deadline (`centre.rules.work` decides which are allowed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Engine, Select, func, select

from centre.db import engine as db
from centre.db.schema import applicants, follow_up_notes, follow_ups, submissions
from centre.rules.disclosure import Applicant
from centre.rules.work import EXTENDED, Queue, check_extension, check_step
from centre.rules.working_days import Due

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
    outcome: str | None = None  # 依申请公开: the answer's form and ground (centre.rules.disclosure)
    ground: str | None = None
    extended_at: datetime | None = None  # when the deadline was extended, if it was
    extension_reason: str | None = None
    applicant: Applicant | None = None  # 依申请公开 only; phone in `phone`


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
            follow_ups.c.outcome,
            follow_ups.c.ground,
            follow_ups.c.extended_at,
            follow_ups.c.extension_reason,
            *(
                column.label(f"applicant_{column.name}")
                for column in applicants.c
                if column.name != "submission_id"
            ),
        )
        .join_from(submissions, follow_ups, follow_ups.c.submission_id == submissions.c.id, isouter=True)
        .join(applicants, applicants.c.submission_id == submissions.c.id, isouter=True)
        .where(submissions.c.queue == queue.name)
    )


def _applicant(row: Any) -> Applicant | None:
    if row.applicant_name is None:
        return None
    return Applicant(
        kind=row.applicant_kind,
        name=row.applicant_name,
        id_kind=row.applicant_id_kind,
        id_number=row.applicant_id_number,
        phone=row.phone or "",
        email=row.applicant_email,
        address=row.applicant_address,
        delivery=row.applicant_delivery,
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
        outcome=row.outcome,
        ground=row.ground,
        extended_at=row.extended_at,
        extension_reason=row.extension_reason,
        applicant=_applicant(row),
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
    outcome: str = "",
    ground: str = "",
) -> None:
    """Move a record one step (StepError when it may not; LookupError when it is not in the queue).
    In one transaction that re-reads the status, so two handlers cannot both take the same step."""
    with db.write(engine) as conn:
        row = _locked(conn, queue, record_id)
        check_step(queue, row.status, status, text, outcome=outcome, ground=ground)
        values: dict[str, Any] = {"status": status, "updated_at": now, "updated_by": author}
        if queue.replies:
            values.update(reply=text.strip(), publish=publish)
        if queue.answers:
            values.update(outcome=outcome, ground=ground if outcome != "disclose" else None)
        _save_follow_up(conn, record_id, values)
        if status == queue.done:
            conn.execute(submissions.update().where(submissions.c.id == record_id).values(done_at=now))
        _note(conn, record_id, now=now, author=author, status=status, text=text)


def extend_deadline(
    engine: Engine,
    queue: Queue,
    record_id: UUID,
    reason: str,
    *,
    due: Callable[[Item], Due],
    author: str,
    now: datetime,
    zone: tzinfo,
) -> None:
    """Extend the record's deadline once, by the queue's extension, with the reason recorded (StepError
    when it may not be; LookupError when it is not in the queue). `due` gives a record's deadline
    as it stands; the extension must come before it has passed."""
    with db.write(engine) as conn:
        row = _locked(conn, queue, record_id)
        item = _item(row)
        check_extension(
            queue,
            item.status,
            extended=item.extended_at is not None,
            due=due(item),
            now=now,
            zone=zone,
            reason=reason,
        )
        values = {
            "status": item.status,
            "updated_at": now,
            "updated_by": author,
            "extended_at": now,
            "extended_by": author,
            "extension_reason": reason.strip(),
        }
        _save_follow_up(conn, record_id, values)
        _note(conn, record_id, now=now, author=author, status=EXTENDED, text=reason)


def _locked(conn: Connection, queue: Queue, record_id: UUID) -> Any:
    """The record's row, locked for this transaction; LookupError when it is not in the queue."""
    row = conn.execute(
        _select(queue).where(submissions.c.id == record_id).with_for_update(of=submissions)
    ).first()
    if row is None:
        raise LookupError(record_id)
    return row


def _save_follow_up(conn: Connection, record_id: UUID, values: dict[str, Any]) -> None:
    """Write the record's follow-up row: the first step of the work creates it."""
    exists = conn.execute(
        select(follow_ups.c.submission_id).where(follow_ups.c.submission_id == record_id)
    ).first()
    if exists is None:
        conn.execute(follow_ups.insert().values(submission_id=record_id, **{"publish": False, **values}))
    else:
        conn.execute(follow_ups.update().where(follow_ups.c.submission_id == record_id).values(**values))


def _note(conn: Connection, record_id: UUID, *, now: datetime, author: str, status: str, text: str) -> None:
    conn.execute(
        follow_up_notes.insert().values(
            submission_id=record_id, at=now, author=author, status=status, note=text.strip()
        )
    )
