"""What a queue row shows: the record, its deadline (with any extension) and whether it is overdue,
and the phone number and an applicant's identity as the viewer may see them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo

from centre.db.work import Item
from centre.desk.export import Value
from centre.rules.disclosure import APPLICANT_KINDS, DELIVERIES, GROUNDS, ID_KINDS, OUTCOMES, Applicant
from centre.rules.masking import mask_address, mask_email, mask_id_number, mask_name, mask_phone
from centre.rules.work import Queue, deadline_status, record_due
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
    applicant: Applicant | None  # likewise
    node: str = ""  # the catalogue node a phone form's link names: its title when known, else its id

    @property
    def applicant_lines(self) -> list[tuple[str, str]]:
        """An applicant's identity as label/value pairs, in the order of the application form."""
        found = self.applicant
        if found is None:
            return []
        return [
            ("申请人", f"{found.name}（{APPLICANT_KINDS.get(found.kind, found.kind)}）"),
            (ID_KINDS.get(found.id_kind, found.id_kind), found.id_number),
            ("电子邮箱", found.email or "未留"),
            ("通信地址", found.address or "未留"),
            ("获取方式", DELIVERIES.get(found.delivery, found.delivery)),
        ]

    @property
    def answer(self) -> str:
        """The form of a 依申请公开's answer and its ground, once recorded."""
        outcome = self.item.outcome
        if not outcome:
            return ""
        ground = GROUNDS.get(self.item.ground or "", "")
        return OUTCOMES.get(outcome, outcome) + (f"，依据：{ground}" if ground else "")

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
        title = node.get("title") or self.node
        return list(dict.fromkeys(([title] if title else []) + topics))  # once each


def local_time(moment: datetime, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime(TIME_FORMAT)


def masked(applicant: Applicant | None) -> Applicant | None:
    if applicant is None:
        return None
    return replace(
        applicant,
        name=mask_name(applicant.name),
        id_number=mask_id_number(applicant.id_number),
        phone=mask_phone(applicant.phone) or "",
        email=mask_email(applicant.email) if applicant.email else "",
        address=mask_address(applicant.address),
    )


def row_of(
    item: Item,
    queue: Queue,
    *,
    calendar: WorkingCalendar,
    working_days: int,
    zone: tzinfo,
    now: datetime,
    see_identity: bool,
    node_title: Callable[[str], str | None] = lambda _node: None,
) -> Row:
    """The row of `item`: due `working_days` (plus the queue's extension, if granted) after the local
    day it was handed in; the node a phone form's link names, titled by `node_title` when it can."""
    due = record_due(
        queue,
        item.created_at,
        working_days,
        extended=item.extended_at is not None,
        calendar=calendar,
        zone=zone,
    )
    return Row(
        item=item,
        created=local_time(item.created_at, zone),
        due=due,
        overdue=deadline_status(queue, item.status, due, now, zone) == "overdue",
        status_label=queue.labels.get(item.status, item.status),
        phone=item.phone if see_identity else mask_phone(item.phone),
        applicant=item.applicant if see_identity else masked(item.applicant),
        node=_node_of(item, node_title),
    )


def _node_of(item: Item, node_title: Callable[[str], str | None]) -> str:
    node = item.payload.get("subject") if item.payload.get("channel") == "phone" else None
    if not isinstance(node, str) or not node:
        return ""
    return node_title(node) or node


def sheet_of(
    queue: Queue, rows: list[Row], level_labels: dict[int, str]
) -> tuple[list[str], list[list[Value]]]:
    """The header and lines of a queue's Excel export: what its page shows, one record a line."""
    middle = ["评价", "原因", "评价对象"] if queue.name == "reviews" else ["事项"]
    header = ["编号", "受理时间", *middle, "大厅", "设备", "电话", "办理期限", "是否超期", "期限说明", "状态"]
    if queue.answers:
        header[3:3] = ["申请人", "证件号码", "获取方式"]
        header += ["是否延期", "延期理由", "答复形式及依据"]
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
        if queue.answers:
            applicant = row.applicant
            who = (
                [applicant.name, applicant.id_number, DELIVERIES.get(applicant.delivery, "")]
                if applicant
                else ["", "", ""]
            )
            line[3:3] = who
            line += ["已延期" if item.extended_at else "", item.extension_reason or "", row.answer]
        if queue.replies:
            line += [item.reply or "", "是" if item.publish else ""]
        lines.append(line)
    return header, lines
