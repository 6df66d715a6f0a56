"""The fleet and the work at a glance: what `hall-centre report` prints (and `--json` returns).

- `devices`: every device with role, hall, last seen, its feed sequence against the newest any device
  of the same feed reported, outbox backlog and a status (`centre.rules.device_status`).
- `ratings`: 好差评 counts and average level per subject (the hall, a guide, an item).
- `bad_reviews`: the 差评 (bottom two levels), with their reasons, where their follow-up stands
  (`status`: open / contacted / closed) and its deadline (`due`: date, `status` open / overdue /
  done, and the years it had to estimate — see `centre.rules.working_days`).
- `requests`: the 点题公开 requests, with `status` (open / replied) and `due` likewise.
- `applications`: the 依申请公开 applications, with `status` and `due` likewise (`due` counts the
  extension once granted) and whether the deadline was extended; never the applicant's identity.

Phone numbers are masked. Times are given in the bureau's zone (`[centre] timezone`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import Connection, Engine, RowMapping, func, select

from centre.config import CentreSection
from centre.db import engine as db
from centre.db.schema import device_state, devices, feed_sequences, follow_ups, submissions
from centre.rules.device_status import Heard, Newest, Thresholds, device_status
from centre.rules.masking import mask_phone
from centre.rules.work import QUEUES, DeadlineStatus, Queue, deadline_status, record_due
from centre.rules.working_days import WorkingCalendar, calendar_from
from feed import RATING_LABELS


@dataclass(frozen=True)
class DeviceLine:
    id: str
    role: str
    hall: str
    status: str
    status_label: str
    problems: list[str]
    revoked: bool
    last_seen: str | None
    software_version: str | None
    feed_id: str | None
    sequence: int | None
    newest_sequence: int | None
    content_as_of: str | None  # the device's last successful sync
    last_error: str | None
    outbox_depth: int | None
    oldest_unsent_seconds: float | None
    last_delivery_error: str | None
    free_disk_bytes: int | None
    headline: str | None


@dataclass(frozen=True)
class RatingLine:
    subject_kind: str
    subject_id: str
    subject_title: str
    count: int
    average: float
    by_level: dict[int, int]


@dataclass(frozen=True)
class DueLine:
    date: str  # the deadline's last day, local (ISO)
    status: DeadlineStatus  # open | overdue | done
    estimated_years: list[int]  # years counted Monday to Friday for want of their holidays
    note: str  # says so, in Chinese, when estimated_years is not empty


@dataclass(frozen=True)
class RecordLine:
    id: str
    reference: str
    kind: str
    hall: str
    device_id: str
    created: str
    phone: str | None  # masked
    status: str  # where the desk's work stands (centre.rules.work)
    due: DueLine
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    generated_at: str
    timezone: str
    devices: list[DeviceLine]
    ratings: list[RatingLine]
    bad_reviews: list[RecordLine]
    requests: list[RecordLine]
    applications: list[RecordLine]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def thresholds_of(settings: CentreSection) -> Thresholds:
    return Thresholds(
        heartbeat_seconds=settings.heartbeat_seconds,
        silent_after_intervals=settings.silent_after_intervals,
        behind_after=timedelta(minutes=settings.behind_after_minutes),
        backlog_after=timedelta(minutes=settings.backlog_after_minutes),
    )


def _newest_sequences(conn: Connection) -> dict[str, Newest]:
    newest: dict[str, Newest] = {}
    rows = conn.execute(
        select(feed_sequences.c.feed_id, feed_sequences.c.sequence, feed_sequences.c.first_seen_at).order_by(
            feed_sequences.c.feed_id, feed_sequences.c.sequence.desc()
        )
    )
    for feed_id, sequence, first_seen in rows:
        newest.setdefault(feed_id, Newest(sequence, first_seen))
    return newest


def _fleet(conn: Connection, settings: CentreSection, now: datetime) -> list[DeviceLine]:
    device_rows = conn.execute(
        select(devices, device_state)
        .join_from(devices, device_state, devices.c.id == device_state.c.device_id, isouter=True)
        .order_by(devices.c.hall, devices.c.id)
    ).mappings()
    newest = _newest_sequences(conn)
    thresholds = thresholds_of(settings)
    zone = settings.zone()
    return [_device_line(row, newest, now, thresholds, zone) for row in device_rows]


def fleet(engine: Engine, settings: CentreSection, now: datetime) -> list[DeviceLine]:
    """Every device with its status at `now` (the desk's 设备 page)."""
    with db.read(engine) as conn:
        return _fleet(conn, settings, now)


def build_report(engine: Engine, settings: CentreSection, now: datetime) -> Report:
    zone = settings.zone()
    with db.read(engine) as conn:
        device_lines = _fleet(conn, settings, now)
        rating_rows = conn.execute(
            select(
                submissions.c.subject_kind,
                submissions.c.subject_id,
                func.max(submissions.c.subject_title),
                submissions.c.level,
                func.count(),
            )
            .where(submissions.c.kind == "rating")
            .group_by(submissions.c.subject_kind, submissions.c.subject_id, submissions.c.level)
        ).all()
        bad = _worked(conn, QUEUES["reviews"])
        open_requests = _worked(conn, QUEUES["requests"])
        applications = _worked(conn, QUEUES["applications"])
    deadlines = _Deadlines(settings, calendar_from(settings.holiday_file), now)
    return Report(
        generated_at=_local(now, zone) or "",
        timezone=settings.timezone,
        devices=device_lines,
        ratings=_rating_lines(rating_rows),
        bad_reviews=[_bad_review(row, zone, deadlines.of(QUEUES["reviews"], row)) for row in bad],
        requests=[_request(row, zone, deadlines.of(QUEUES["requests"], row)) for row in open_requests],
        applications=[
            _application(row, zone, deadlines.of(QUEUES["applications"], row)) for row in applications
        ],
    )


def _worked(conn: Connection, queue: Queue) -> list[RowMapping]:
    """The queue's records, oldest first, each with its follow-up status (the first when none)."""
    return list(
        conn.execute(
            select(
                submissions,
                func.coalesce(follow_ups.c.status, queue.first).label("status"),
                follow_ups.c.extended_at,
                follow_ups.c.outcome,
                follow_ups.c.ground,
            )
            .join_from(submissions, follow_ups, follow_ups.c.submission_id == submissions.c.id, isouter=True)
            .where(submissions.c.queue == queue.name)
            .order_by(submissions.c.created_at)
        ).mappings()
    )


@dataclass(frozen=True)
class _Deadlines:
    settings: CentreSection
    calendar: WorkingCalendar
    now: datetime

    def of(self, queue: Queue, row: RowMapping) -> DueLine:
        zone = self.settings.zone()
        due = record_due(
            queue,
            row["created_at"],
            self.settings.working_days(queue.name),
            extended=row["extended_at"] is not None,
            calendar=self.calendar,
            zone=zone,
        )
        return DueLine(
            date=due.day.isoformat(),
            status=deadline_status(queue, row["status"], due, self.now, zone),
            estimated_years=list(due.estimated_years),
            note=due.note(),
        )


def _local(moment: datetime | None, zone: tzinfo) -> str | None:
    return None if moment is None else moment.astimezone(zone).isoformat(timespec="seconds")


def _device_line(
    row: RowMapping, newest: dict[str, Newest], now: datetime, thresholds: Thresholds, zone: tzinfo
) -> DeviceLine:
    heard = None
    if row["received_at"] is not None:
        heard = Heard(
            received_at=row["received_at"],
            interval_seconds=row["interval_seconds"] or thresholds.heartbeat_seconds,
            feed_id=row["feed_id"],
            sequence=row["sequence"],
            stale=bool(row["stale"]),
            feed_expires=row["feed_expires"],
            oldest_unsent_seconds=row["oldest_unsent_seconds"],
        )
    feed_newest = newest.get(row["feed_id"]) if row["feed_id"] is not None else None
    judged = device_status(heard, feed_newest, now, thresholds)
    return DeviceLine(
        id=row["id"],
        role=row["role"],
        hall=row["hall"],
        status=judged.status,
        status_label=judged.label,
        problems=list(judged.problems),
        revoked=row["revoked_at"] is not None,
        last_seen=_local(row["last_seen_at"], zone),
        software_version=row["software_version"],
        feed_id=row["feed_id"],
        sequence=row["sequence"],
        newest_sequence=feed_newest.sequence if feed_newest else None,
        content_as_of=_local(row["last_success"], zone),
        last_error=row["last_error"],
        outbox_depth=row["outbox_depth"],
        oldest_unsent_seconds=row["oldest_unsent_seconds"],
        last_delivery_error=row["last_delivery_error"],
        free_disk_bytes=row["free_disk_bytes"],
        headline=row["headline_text"],
    )


def _rating_lines(rows: Iterable[Any]) -> list[RatingLine]:
    grouped: dict[tuple[str, str], tuple[str, dict[int, int]]] = {}
    for kind, subject_id, title, level, count in rows:
        key = (kind or "hall", subject_id or "")
        known_title, levels = grouped.setdefault(key, (title or "", {}))
        levels[int(level)] = int(count)
        if title and not known_title:
            grouped[key] = (title, levels)
    lines = []
    for (kind, subject_id), (title, levels) in grouped.items():
        total = sum(levels.values())
        average = sum(level * n for level, n in levels.items()) / total
        by_level = {level: levels.get(level, 0) for level in sorted(RATING_LABELS, reverse=True)}
        lines.append(RatingLine(kind, subject_id, title, total, round(average, 2), by_level))
    return sorted(lines, key=lambda line: (line.average, -line.count, line.subject_id))


def _record_line(row: RowMapping, zone: tzinfo, due: DueLine, details: dict[str, Any]) -> RecordLine:
    return RecordLine(
        id=str(row["id"]),
        reference=row["reference"],
        kind=row["kind"],
        hall=row["hall"],
        device_id=row["device_id"],
        created=_local(row["created_at"], zone) or "",
        phone=mask_phone(row["phone"]),
        status=row["status"],
        due=due,
        details=details,
    )


def _bad_review(row: RowMapping, zone: tzinfo, due: DueLine) -> RecordLine:
    payload = row["payload"]
    return _record_line(
        row,
        zone,
        due,
        {
            "level": row["level"],
            "level_label": RATING_LABELS.get(row["level"], ""),
            "subject": {"kind": row["subject_kind"], "id": row["subject_id"], "title": row["subject_title"]},
            "reasons": [reason.get("label", "") for reason in payload.get("reasons", [])],
        },
    )


def _request(row: RowMapping, zone: tzinfo, due: DueLine) -> RecordLine:
    payload = row["payload"]
    return _record_line(
        row,
        zone,
        due,
        {
            "node": payload.get("node"),
            "topics": [topic.get("label", "") for topic in payload.get("topics", [])],
        },
    )


def _application(row: RowMapping, zone: tzinfo, due: DueLine) -> RecordLine:
    return _record_line(
        row,
        zone,
        due,
        {
            "subject": row["payload"].get("subject", ""),
            "extended": row["extended_at"] is not None,
            "outcome": row["outcome"],
            "ground": row["ground"],
        },
    )
