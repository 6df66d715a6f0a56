"""The desk's queues: which records each holds, the steps of their work, and their deadlines.

- 差评 (a rating at or below `NEGATIVE_MAX_LEVEL`): 待回访 → 已回访 → 已办结, one step at a time,
  each with the handler's note; due `follow_up_working_days` after the day of receipt.
- 意见建议 and 点题公开: 待答复 → 已答复, the reply recorded (and optionally marked for publication);
  due `reply_working_days` after the day of receipt.
- 依申请公开: 待答复 → 已答复, the answer's form (予以公开 / 部分公开 / 不予公开) and, unless it
  discloses in full, its ground recorded with the reply; due `application_working_days` (the statutory
  20) after the day of receipt, extendable once by 20 working days with a recorded reason, before the
  first deadline has passed (`centre.rules.disclosure`).

A record with no follow-up yet is at its queue's first status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Literal

from centre.rules.disclosure import EXTENSION_WORKING_DAYS, answer_problem
from centre.rules.working_days import Due, WorkingCalendar
from feed import NEGATIVE_MAX_LEVEL

QueueName = Literal["reviews", "suggestions", "requests", "applications"]
EXTENDED = "extended"  # the history's mark of an extension (not a status: the record stays open)


@dataclass(frozen=True)
class Queue:
    name: QueueName
    kind: str  # the submissions.kind it holds
    title: str
    statuses: tuple[str, ...]  # in order; the first is where a record starts, the last is done
    labels: dict[str, str]
    replies: bool  # each step records a reply to the citizen (else a note)
    answers: bool = False  # a reply also records its form and ground (依申请公开)
    extension_days: int = 0  # working days a deadline may be extended by, once (0: never)

    @property
    def first(self) -> str:
        return self.statuses[0]

    @property
    def done(self) -> str:
        return self.statuses[-1]

    def next_status(self, status: str) -> str | None:
        """The one step a record at `status` may take next; None when it is done."""
        index = self.statuses.index(status)
        return self.statuses[index + 1] if index + 1 < len(self.statuses) else None


QUEUES: dict[QueueName, Queue] = {
    "reviews": Queue(
        "reviews",
        "rating",
        "差评回访",
        ("open", "contacted", "closed"),
        {"open": "待回访", "contacted": "已回访", "closed": "已办结"},
        replies=False,
    ),
    "suggestions": Queue(
        "suggestions",
        "suggestion",
        "意见建议",
        ("open", "replied"),
        {"open": "待答复", "replied": "已答复"},
        replies=True,
    ),
    "requests": Queue(
        "requests",
        "disclosure_request",
        "点题公开",
        ("open", "replied"),
        {"open": "待答复", "replied": "已答复"},
        replies=True,
    ),
    "applications": Queue(
        "applications",
        "disclosure_application",
        "依申请公开",
        ("open", "replied"),
        {"open": "待答复", "replied": "已答复", EXTENDED: "延长答复期限"},
        replies=True,
        answers=True,
        extension_days=EXTENSION_WORKING_DAYS,
    ),
}


def queue_for(kind: str, level: int | None) -> QueueName | None:
    """The desk queue a citizen's record joins when it arrives (None: no work, e.g. a good rating)."""
    queue = queue_of_kind(kind)
    if queue is None or (queue.name == "reviews" and (level is None or level > NEGATIVE_MAX_LEVEL)):
        return None
    return queue.name


def queue_of_kind(kind: str) -> Queue | None:
    for queue in QUEUES.values():
        if queue.kind == kind:
            return queue
    return None


class StepError(ValueError):
    """A step the record cannot take (its message is for the handler, in Chinese)."""


def check_step(
    queue: Queue, current: str, wanted: str, text: str, *, outcome: str = "", ground: str = ""
) -> None:
    """Raise StepError unless a record at `current` may go to `wanted` with `text` (and, in a queue
    whose replies are answers, with `outcome` and `ground`)."""
    if queue.next_status(current) != wanted:
        now_label, wanted_label = queue.labels.get(current, current), queue.labels.get(wanted, wanted)
        raise StepError(f"该记录当前为「{now_label}」，不能改为「{wanted_label}」")
    if not text.strip():
        raise StepError("请填写答复内容" if queue.replies else "请填写回访记录")
    problem = answer_problem(outcome, ground) if queue.answers and wanted == queue.done else None
    if problem:
        raise StepError(problem)


def check_extension(
    queue: Queue, status: str, *, extended: bool, due: Due, now: datetime, zone: tzinfo, reason: str
) -> None:
    """Raise StepError unless a record at `status` whose deadline is `due` may be extended now."""
    if not queue.extension_days:
        raise StepError(f"「{queue.title}」的办理期限不能延长")
    if status != queue.first:
        raise StepError("已答复的记录不能再延长期限")
    if extended:
        raise StepError("答复期限只能延长一次")
    if due.overdue(now, zone):
        raise StepError("原答复期限已过，不能再延长")
    if not reason.strip():
        raise StepError("请填写延长答复期限的理由")


DeadlineStatus = Literal["open", "overdue", "done"]


def due_of(created_at: datetime, working_days: int, calendar: WorkingCalendar, zone: tzinfo) -> Due:
    """A record's deadline: `working_days` after the local day (in `zone`) it was handed in."""
    return calendar.add_working_days(created_at.astimezone(zone).date(), working_days)


def record_due(
    queue: Queue,
    created_at: datetime,
    base_days: int,
    *,
    extended: bool,
    calendar: WorkingCalendar,
    zone: tzinfo,
) -> Due:
    """A record's deadline in its queue: `base_days` (`CentreSection.working_days`), plus the queue's
    extension once it was granted, after the local day it was handed in."""
    allowance = base_days + (queue.extension_days if extended else 0)
    return due_of(created_at, allowance, calendar, zone)


def deadline_status(queue: Queue, status: str, due: Due, now: datetime, zone: tzinfo) -> DeadlineStatus:
    """`done` once the record reached the queue's last status, else `overdue` past its deadline."""
    if status == queue.done:
        return "done"
    return "overdue" if due.overdue(now, zone) else "open"
