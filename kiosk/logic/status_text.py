"""The status bar's honest account of the content: when it was last brought up to date, and a
marker when the feed is offline or the content may be stale. Never says "up to date" when not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Literal

from feed.api import SyncStatus

HALL_TZ: tzinfo = timezone(timedelta(hours=8), "CST")
WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class StatusText:
    level: Literal["ok", "offline", "stale", "empty"]
    marker: str  # "" when ok; 离线 / 内容可能已过期 / 暂无内容
    as_of: str  # "内容更新于 11月25日 09:30", or "" when nothing was ever synced

    @property
    def text(self) -> str:
        """One line for the bar: marker and as_of joined; as_of alone when healthy."""
        raise NotImplementedError


def clock_text(now: datetime, tz: tzinfo = HALL_TZ) -> str:
    """'11月25日 星期二 09:30' for the status bar clock."""
    raise NotImplementedError


def status_text(
    status: SyncStatus, now: datetime, *, max_age: timedelta = timedelta(hours=6), tz: tzinfo = HALL_TZ
) -> StatusText:
    """Classify the sync status at `now`.

    offline: the latest attempt failed (an error newer than the last success); stale: the core says so,
    the manifest expired, or the last success is older than `max_age`.
    """
    raise NotImplementedError
