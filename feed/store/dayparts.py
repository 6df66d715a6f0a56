"""When a headline is due: its validity window and its weekly day-parts, at an aware moment.

- Window: due from `valid_from` (inclusive) until `valid_until` (exclusive); open ends are unbounded.
- Day-parts: none means always. Otherwise `at` must fall in one of them, judged on the wall clock of
  `at`'s own time zone (the hall's). A part covers [start, end) on each listed ISO weekday; an end
  of 23:59:59 runs to midnight. When end is before start the part wraps past midnight and the hours
  after midnight belong to the listed day before (Fri 22:00–02:00 covers Saturday 01:00). start == end
  means the whole day.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from feed.schema import DayPart, Headline

_DAY_END = time(23, 59, 59)


def in_window(headline: Headline, at: datetime) -> bool:
    if headline.valid_from is not None and at < headline.valid_from:
        return False
    return headline.valid_until is None or at < headline.valid_until


def in_daypart(part: DayPart, at: datetime) -> bool:
    clock = at.time().replace(tzinfo=None)
    start, end = part.start.replace(tzinfo=None), part.end.replace(tzinfo=None)
    weekday = at.isoweekday()
    if start == end:
        return weekday in part.weekdays
    if start < end:
        return weekday in part.weekdays and start <= clock and (clock < end or end == _DAY_END)
    yesterday = (at - timedelta(days=1)).isoweekday()
    return (weekday in part.weekdays and clock >= start) or (yesterday in part.weekdays and clock < end)


def is_due(headline: Headline, at: datetime) -> bool:
    if at.tzinfo is None:
        raise ValueError("headlines_due needs an aware datetime (with a UTC offset)")
    if not in_window(headline, at):
        return False
    return not headline.dayparts or any(in_daypart(part, at) for part in headline.dayparts)
