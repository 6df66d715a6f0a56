"""What a queue row shows: the record, its deadline and whether it is overdue, and the phone number
as the viewer may see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from centre.db.work import Item
from centre.desk.export import Value
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
    def text(self) -> str:
        """What the citizen wrote on the phone form, if anything."""
        found = self.item.payload.get("text")
        return found if isinstance(found, str) else ""

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


def sheet_of(
    queue: Queue, rows: list[Row], level_labels: dict[int, str]
) -> tuple[list[str], list[list[Value]]]:
    """The header and lines of a queue's Excel export: what its page shows, one record a line."""
    middle = ["评价", "原因", "评价对象"] if queue.name == "reviews" else ["事项"]
    header = ["编号", "受理时间", *middle, "大厅", "设备", "电话", "办理期限", "是否超期", "期限说明", "状态"]
    if queue.replies:
        header += ["答复", "同意公开"]
    lines: list[list[Value]] = []
    for row in rows:
        item = row.item
        if queue.name == "reviews":
            level = item.level or 0
            details: list[Value] = [
                f"{level} {level_labels.get(level, '')}",
                "、".join(row.reasons),
                item.subject_title or "大厅整体",
            ]
        else:
            details = ["、".join(row.topics) or row.text]
        line: list[Value] = [
            item.reference,
            row.created,
            *details,
            item.hall,
            item.device_id,
            row.phone or "",
            row.due.day.isoformat(),
            "已超期" if row.overdue else "",
            row.due.note(),
            row.status_label,
        ]
        if queue.replies:
            line += [item.reply or "", "是" if item.publish else ""]
        lines.append(line)
    return header, lines
