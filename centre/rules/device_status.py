"""The status of one device in the fleet, from its newest heartbeat and what the rest of the fleet runs.

Statuses, worst first (a device shows the worst that applies; `problems` lists them all):

- `silent`: no heartbeat for `silent_after_intervals` of the device's own interval (or never).
- `stale`: its feed has expired (the device says so, or the expiry it reported has passed).
- `behind`: it shows an older sequence of its feed than the newest any device reported, and that
  newer sequence has been out for more than `behind_after`.
- `backlog`: records on it have waited to be sent for more than `backlog_after`.
- `ok`: none of these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

Status = Literal["silent", "stale", "behind", "backlog", "ok"]
SEVERITY: tuple[Status, ...] = ("silent", "stale", "behind", "backlog", "ok")
LABELS: dict[Status, str] = {
    "silent": "失联",
    "stale": "内容过期",
    "behind": "内容落后",
    "backlog": "反馈积压",
    "ok": "正常",
}


@dataclass(frozen=True)
class Thresholds:
    heartbeat_seconds: float = 60.0  # assumed interval of a device that never said its own
    silent_after_intervals: int = 3
    behind_after: timedelta = timedelta(minutes=15)
    backlog_after: timedelta = timedelta(hours=1)


@dataclass(frozen=True)
class Heard:
    """What the newest heartbeat of a device said, and when it arrived."""

    received_at: datetime
    interval_seconds: float
    feed_id: str | None
    sequence: int | None
    stale: bool
    feed_expires: datetime | None
    oldest_unsent_seconds: float | None


@dataclass(frozen=True)
class Newest:
    """The newest sequence of a feed any device reported, and when it was first reported."""

    sequence: int
    first_seen_at: datetime


@dataclass(frozen=True)
class DeviceStatus:
    status: Status
    problems: tuple[Status, ...]

    @property
    def label(self) -> str:
        return LABELS[self.status]


def device_status(
    heard: Heard | None, newest: Newest | None, now: datetime, thresholds: Thresholds
) -> DeviceStatus:
    """Judge one device at `now` (aware). `newest` is for the device's own feed id, if any."""
    found: list[Status] = []
    if heard is None:
        return DeviceStatus("silent", ("silent",))
    silence = now - heard.received_at
    if silence > timedelta(seconds=heard.interval_seconds * thresholds.silent_after_intervals):
        found.append("silent")
    if heard.stale or (heard.feed_expires is not None and heard.feed_expires <= now):
        found.append("stale")
    if (
        newest is not None
        and heard.sequence is not None
        and heard.sequence < newest.sequence
        and now - newest.first_seen_at > thresholds.behind_after
    ):
        found.append("behind")
    if heard.oldest_unsent_seconds is not None:
        # The oldest record has aged since the heartbeat, unless it was sent meanwhile; the next
        # heartbeat corrects that.
        waited = timedelta(seconds=heard.oldest_unsent_seconds) + max(silence, timedelta(0))
        if waited > thresholds.backlog_after:
            found.append("backlog")
    problems = tuple(status for status in SEVERITY if status in found)
    return DeviceStatus(problems[0] if problems else "ok", problems)
