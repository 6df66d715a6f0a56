"""Working days and deadlines on China's official calendar.

A day is a working day unless it is a public holiday or a weekend that is not a make-up working day
(调休). Where the facts come from, per year:

1. the `chinese-calendar` package (it knows 2004 up to the year its release saw announced; it raises
   NotImplementedError for others);
2. else the bureau's holiday file (`[centre] holiday_file`), for a year the package does not know yet
   (the State Council announces each year's arrangement late in the year before);
3. else weekends only: Monday to Friday count. Such a year is *estimated*, and every deadline that
   crossed it says so (`Due.estimated_years`) — the desk never guesses silently.

A deadline of N working days does not count the day of receipt: it ends at the end of the Nth
working day after it, in the bureau's time zone.

The holiday file is TOML, one table per year, ISO dates:

    [2027]
    holidays = ["2027-01-01", "2027-02-06", …]   # days off, weekdays included
    workdays = ["2027-02-14", …]                 # make-up working days on a weekend
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path

import chinese_calendar

SATURDAY = 5
MAX_WORKING_DAYS = 366


class HolidayFileError(ValueError):
    """The holiday file cannot be read or says something impossible; the message names the place."""


@dataclass(frozen=True)
class YearDays:
    """One year's exceptions to Monday-to-Friday, from the holiday file."""

    holidays: frozenset[date]
    workdays: frozenset[date]


@dataclass(frozen=True)
class Due:
    """A deadline: the last day (inclusive, local) and the years on it whose calendar was not known."""

    day: date
    estimated_years: tuple[int, ...] = ()

    @property
    def estimated(self) -> bool:
        return bool(self.estimated_years)

    def ends_at(self, zone: tzinfo) -> datetime:
        """The first moment after the deadline (midnight after its last day, in `zone`)."""
        return datetime.combine(self.day + timedelta(days=1), time(0), tzinfo=zone)

    def overdue(self, now: datetime, zone: tzinfo) -> bool:
        return now >= self.ends_at(zone)

    def note(self) -> str:
        """What the desk shows beside an estimated deadline; empty when the calendar was known."""
        if not self.estimated_years:
            return ""
        years = "、".join(str(year) for year in self.estimated_years)
        return f"{years}年节假日安排未知，仅按周末推算"


@dataclass(frozen=True)
class WorkingCalendar:
    """China's working days, with the bureau's own file for years the package does not know."""

    extra_years: Mapping[int, YearDays] = field(default_factory=dict)
    # Answers already worked out, per day and per year (the package's own lookup is slow; a page
    # asks for the same few weeks hundreds of times). Bounded by the days ever asked about.
    _days: dict[date, bool] = field(default_factory=dict, compare=False, repr=False)
    _sources: dict[int, str] = field(default_factory=dict, compare=False, repr=False)

    def source(self, year: int) -> str:
        """`package`, `file` or `weekends` (not known: estimated)."""
        found = self._sources.get(year)
        if found is None:
            found = self._sources[year] = self._source(year)
        return found

    def _source(self, year: int) -> str:
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
        except NotImplementedError:
            return "file" if year in self.extra_years else "weekends"
        return "package"

    def is_working_day(self, day: date) -> bool:
        found = self._days.get(day)
        if found is None:
            found = self._days[day] = self._is_working_day(day)
        return found

    def _is_working_day(self, day: date) -> bool:
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            pass
        known = self.extra_years.get(day.year)
        if known is not None:
            if day in known.holidays:
                return False
            if day in known.workdays:
                return True
        return day.weekday() < SATURDAY

    def add_working_days(self, received: date, working_days: int) -> Due:
        """The deadline `working_days` (>= 0) working days after the day of receipt, not counting it.
        0 means the day of receipt itself."""
        if not 0 <= working_days <= MAX_WORKING_DAYS:
            raise ValueError(f"working_days must be 0..{MAX_WORKING_DAYS}, not {working_days}")
        day = received
        estimated = {received.year} if self.source(received.year) == "weekends" else set()
        counted = 0
        while counted < working_days:
            day += timedelta(days=1)
            if self.source(day.year) == "weekends":
                estimated.add(day.year)
            if self.is_working_day(day):
                counted += 1
        return Due(day, tuple(sorted(estimated)))


def load_holiday_file(path: Path) -> dict[int, YearDays]:
    """Read a holiday file (format above); HolidayFileError with the file and the place otherwise."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise HolidayFileError(f"{path}: cannot read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise HolidayFileError(f"{path}: not valid TOML: {exc}") from None
    years: dict[int, YearDays] = {}
    for key, table in data.items():
        if not (key.isdigit() and len(key) == 4) or not isinstance(table, dict):
            raise HolidayFileError(f"{path}: [{key}]: expected a table named by a year, e.g. [2027]")
        unknown = set(table) - {"holidays", "workdays"}
        if unknown:
            raise HolidayFileError(f"{path}: [{key}]: unknown key {sorted(unknown)[0]!r}")
        year = int(key)
        holidays = _dates(path, key, "holidays", table.get("holidays", []), year)
        workdays = _dates(path, key, "workdays", table.get("workdays", []), year)
        both = holidays & workdays
        if both:
            raise HolidayFileError(f"{path}: [{key}]: {min(both)} is both a holiday and a workday")
        years[year] = YearDays(holidays, workdays)
    return years


def _dates(path: Path, key: str, name: str, values: object, year: int) -> frozenset[date]:
    if not isinstance(values, list):
        raise HolidayFileError(f"{path}: [{key}] {name}: expected a list of dates")
    found: set[date] = set()
    for value in values:
        try:
            day = value if isinstance(value, date) else date.fromisoformat(str(value))
        except ValueError:
            raise HolidayFileError(f"{path}: [{key}] {name}: {value!r} is not a date (YYYY-MM-DD)") from None
        if day.year != year:
            raise HolidayFileError(f"{path}: [{key}] {name}: {day} is not in {year}")
        found.add(day)
    return frozenset(found)


def calendar_from(path: Path | None) -> WorkingCalendar:
    """The calendar with the bureau's holiday file, if one is configured."""
    return WorkingCalendar(load_holiday_file(path) if path is not None else {})
