"""What a queue row shows: the record, its deadline and whether it is overdue, and the phone number
as the viewer may see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from centre.db.work import Item
from centre.rules.masking import mask_phone
from centre.rules.work import Queue, deadline_status, due_of
from centre.rules.working_days import Due, WorkingCalendar

TIME_FORMAT = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class Row:
    item: Item
    created: str  # local time
    due: Due
    overdue: bool
    status_label: str
    phone: str | None  # masked unless the viewer may see it

    @property
    def reasons(self) -> list[str]:
        return [reason.get("label", "") for reason in self.item.payload.get("reasons", [])]

    @property
    def topics(self) -> list[str]:
        topics = [topic.get("label", "") for topic in self.item.payload.get("topics", [])]
        node = self.item.payload.get("node") or {}
        return list(dict.fromkeys(([node["title"]] if node.get("title") else []) + topics))  # once each


def local_time(moment: datetime, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime(TIME_FORMAT)


def row_of(
    item: Item,
    queue: Queue,
    *,
    calendar: WorkingCalendar,
    working_days: int,
    zone: tzinfo,
    now: datetime,
    see_phone: bool,
) -> Row:
    """The row of `item`: due `working_days` after the local day it was handed in at the kiosk."""
    due = due_of(item.created_at, working_days, calendar, zone)
    return Row(
        item=item,
        created=local_time(item.created_at, zone),
        due=due,
        overdue=deadline_status(queue, item.status, due, now, zone) == "overdue",
        status_label=queue.labels.get(item.status, item.status),
        phone=item.phone if see_phone else mask_phone(item.phone),
    )
