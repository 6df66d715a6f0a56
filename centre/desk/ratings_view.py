"""The ratings page's figures: counts by level per local week, and per hall or guide with the average
and the share of 差评. Plain arithmetic on the sums `centre.db.ratings` gives."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta, tzinfo

from centre.db.engine import parse_utc_hour
from centre.db.ratings import Counted
from feed import NEGATIVE_MAX_LEVEL

LEVELS = (5, 4, 3, 2, 1)


@dataclass
class Tally:
    key: str
    title: str
    levels: dict[int, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))

    @property
    def total(self) -> int:
        return sum(self.levels.values())

    @property
    def average(self) -> float:
        return sum(level * n for level, n in self.levels.items()) / self.total if self.total else 0.0

    @property
    def negative(self) -> int:
        return sum(n for level, n in self.levels.items() if level <= NEGATIVE_MAX_LEVEL)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly(counts: Iterable[Counted], zone: tzinfo, first_week: date, weeks: int) -> list[Tally]:
    """One tally per local week (Monday first), oldest first, `weeks` of them from `first_week`."""
    tallies = {
        first_week + timedelta(weeks=n): Tally((first_week + timedelta(weeks=n)).isoformat(), "")
        for n in range(weeks)
    }
    weeks_of_hours: dict[str, date] = {}  # each hour's week, worked out once for its five levels
    for counted in counts:
        week = weeks_of_hours.get(counted.key)
        if week is None:
            week = weeks_of_hours[counted.key] = week_start(
                parse_utc_hour(counted.key).astimezone(zone).date()
            )
        if week in tallies and counted.level in LEVELS:
            tallies[week].levels[counted.level] += counted.count
    for week, tally in tallies.items():
        tally.title = f"{week:%m-%d}"
    return list(tallies.values())


def grouped(counts: Iterable[Counted]) -> list[Tally]:
    """One tally per key, the worst average first (then the most rated)."""
    tallies: dict[str, Tally] = {}
    for counted in counts:
        tally = tallies.setdefault(counted.key, Tally(counted.key, counted.title))
        if counted.level in LEVELS:
            tally.levels[counted.level] += counted.count
    return sorted(tallies.values(), key=lambda tally: (tally.average, -tally.total, tally.key))
