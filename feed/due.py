"""When a headline is due, and when a moment falls in a weekly window: the one rule for the LED's
scheduler, its quiet hours and its brightness schedule, and for anyone else asking of `headlines()`.

- Window: a headline is due from `valid_from` (inclusive) until `valid_until` (exclusive); open ends
  are unbounded.
- Weekly windows (a headline's day-parts, quiet hours, brightness rules): judged on the wall clock of
  the hall. A window covers [start, end) on each listed ISO weekday (1 = Monday); an end of 23:59:59
  runs to midnight. When end is before start the window wraps past midnight and the hours after
  midnight belong to the listed day before (Fri 22:00–02:00 covers Saturday 01:00, not Friday
  01:00). start == end means the whole day.
- Day-parts: none means always; otherwise the moment must fall in one of them.

Nothing here imports the schema's models: the read API calls it before any is built.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from feed.schema import Headline

DAY_END = time(23, 59, 59)


class Weekly(Protocol):
    """Anything with weekdays and a start/end time of day (a DayPart, quiet hours, a brightness rule)."""

    @property
    def weekdays(self) -> Sequence[int]: ...
    @property
    def start(self) -> time: ...
    @property
    def end(self) -> time: ...


def in_weekly(window: Weekly, local: datetime) -> bool:
    """Whether `local`, read on its own wall clock, falls in `window` (see the module's rules)."""
    moment = local.time().replace(tzinfo=None)
    weekday = local.isoweekday()
    start, end = window.start.replace(tzinfo=None), window.end.replace(tzinfo=None)
    if start == end:
        return weekday in window.weekdays
    if start < end:
        return weekday in window.weekdays and start <= moment and (moment < end or end == DAY_END)
    yesterday = (local - timedelta(days=1)).isoweekday()
    return (weekday in window.weekdays and moment >= start) or (yesterday in window.weekdays and moment < end)


def in_window(headline: Headline, at: datetime) -> bool:
    """Inside the headline's validity window: from inclusive, until exclusive (aware datetimes)."""
    if headline.valid_from is not None and at < headline.valid_from:
        return False
    return headline.valid_until is None or at < headline.valid_until


def is_due(headline: Headline, at: datetime, zone: tzinfo | None = None) -> bool:
    """Inside its validity window and one of its day-parts, if it has any.

    `at` must be aware (ValueError otherwise); day-parts are judged on the wall clock of `zone`, or
    of `at`'s own UTC offset when `zone` is None."""
    if at.tzinfo is None:
        raise ValueError("is_due needs an aware datetime (with a UTC offset)")
    if not in_window(headline, at):
        return False
    local = at.astimezone(zone) if zone is not None else at
    return not headline.dayparts or any(in_weekly(part, local) for part in headline.dayparts)
