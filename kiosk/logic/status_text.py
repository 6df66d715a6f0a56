"""The status bar's honest account of the content: when it was last brought up to date, and a
marker when the feed is offline or the content may be stale. Never says "up to date" when not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Literal

from feed import SyncStatus, date_text

HALL_TZ: tzinfo = timezone(timedelta(hours=8), "CST")
UNNAMED_HALL = "政务服务中心"  # the heading until a snapshot names the hall
WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class StatusText:
    level: Literal["ok", "offline", "stale", "empty"]
    marker: str  # "" when ok; 离线 / 内容可能已过期 / 暂无内容
    as_of: str  # "内容更新于 11月25日 09:30", or "" when nothing was ever synced

    @property
    def text(self) -> str:
        """One line for the bar: marker and as_of joined; as_of alone when healthy."""
        return "\u3000".join(part for part in (self.marker, self.as_of) if part)


def _aware(moment: datetime) -> datetime:
    # A naive time from the store is taken as UTC, which is what the sync engine records.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def timestamp_text(stamp: datetime | None, tz: tzinfo = HALL_TZ) -> str:
    """'2025年11月20日 09:30:05' in the hall's time, for the staff screen; '从未' for None."""
    if stamp is None:
        return "从未"
    local = _aware(stamp).astimezone(tz)
    return f"{date_text(local.date())} {local:%H:%M:%S}"


def clock_text(now: datetime, tz: tzinfo = HALL_TZ) -> str:
    """'11月25日 星期二 09:30' for the status bar clock."""
    local = _aware(now).astimezone(tz)
    return f"{local.month}月{local.day}日 星期{WEEKDAYS[local.weekday()]} {local:%H:%M}"


def moment_text(moment: datetime, now: datetime, tz: tzinfo = HALL_TZ) -> str:
    """'11月25日 09:30', with the year when it is not the current one."""
    local, today = _aware(moment).astimezone(tz), _aware(now).astimezone(tz)
    year = f"{local.year}年" if local.year != today.year else ""
    return f"{year}{local.month}月{local.day}日 {local:%H:%M}"


def status_text(
    status: SyncStatus, now: datetime, *, max_age: timedelta = timedelta(hours=6), tz: tzinfo = HALL_TZ
) -> StatusText:
    """Classify the sync status at `now`.

    empty: no snapshot yet; offline: the latest attempt failed (an error newer than the last
    success); stale: the core says so, the manifest expired, or the last success is older than
    `max_age`. Offline wins over stale: it is the more useful thing to say.
    """
    if status.sequence is None:
        return StatusText("empty", "暂无内容", "")
    now = _aware(now)
    success = None if status.last_success is None else _aware(status.last_success)
    attempt = None if status.last_attempt is None else _aware(status.last_attempt)
    as_of = f"内容更新于 {moment_text(success, now, tz)}" if success else ""
    if status.last_error is not None and (success is None or attempt is None or attempt > success):
        return StatusText("offline", "离线", as_of)
    too_old = success is None or now - success > max_age
    expired = status.expires is not None and _aware(status.expires) <= now
    if status.stale or too_old or expired:
        return StatusText("stale", "内容可能已过期", as_of)
    return StatusText("ok", "", as_of)
