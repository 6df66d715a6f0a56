"""Deadlines on China's official calendar: across the 2026 National Day holiday and its make-up
Saturday, across the 2026 Spring Festival, and into a year the chinese-calendar package does not
know, with and without the bureau's holiday file."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from centre.config import load_centre_config
from centre.rules.working_days import Due, HolidayFileError, WorkingCalendar, calendar_from, load_holiday_file

CALENDAR = WorkingCalendar()
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("received", "working_days", "due"),
    [
        (date(2026, 9, 30), 1, date(2026, 10, 8)),  # the holiday is Oct 1-7
        (date(2026, 9, 30), 3, date(2026, 10, 10)),  # Oct 8, 9, then the make-up Saturday
        (date(2026, 10, 9), 1, date(2026, 10, 10)),  # a Saturday that is a working day
        (date(2026, 10, 3), 1, date(2026, 10, 8)),  # received during the holiday
        (date(2026, 10, 10), 1, date(2026, 10, 12)),  # the day of receipt never counts
        (date(2026, 9, 28), 20, date(2026, 10, 30)),  # the statutory 20 days across the holiday
        (date(2026, 9, 24), 1, date(2026, 9, 28)),  # Mid-Autumn Friday Sep 25 is off
    ],
)
def test_national_day_2026(received: date, working_days: int, due: date) -> None:
    assert CALENDAR.add_working_days(received, working_days) == Due(due)


@pytest.mark.parametrize(
    ("received", "working_days", "due"),
    [
        (date(2026, 2, 13), 1, date(2026, 2, 14)),  # Saturday Feb 14 is a make-up working day
        (date(2026, 2, 14), 1, date(2026, 2, 24)),  # Feb 15-23 off
        (date(2026, 2, 13), 3, date(2026, 2, 25)),
        (date(2026, 2, 27), 1, date(2026, 2, 28)),  # Saturday Feb 28 is a make-up working day
    ],
)
def test_spring_festival_2026(received: date, working_days: int, due: date) -> None:
    assert CALENDAR.add_working_days(received, working_days) == Due(due)


def test_a_year_the_package_does_not_know_counts_weekdays_and_says_so() -> None:
    assert CALENDAR.source(2026) == "package" and CALENDAR.source(2027) == "weekends"
    into = CALENDAR.add_working_days(date(2026, 12, 31), 1)
    assert into == Due(date(2027, 1, 1), (2027,))  # New Year's Day, counted as a weekday: an estimate
    assert into.estimated and into.note() == "2027年节假日安排未知，仅按周末推算"
    inside = CALENDAR.add_working_days(date(2027, 3, 5), 1)  # Friday → Monday
    assert inside == Due(date(2027, 3, 8), (2027,))
    assert CALENDAR.add_working_days(date(2026, 12, 28), 1) == Due(date(2026, 12, 29))
    assert Due(date(2026, 12, 29)).note() == ""


def test_the_holiday_file_covers_a_year_the_package_does_not_know(tmp_path: Path) -> None:
    path = tmp_path / "holidays.toml"
    path.write_text(
        '[2027]\nholidays = [2027-01-01, "2027-02-08", 2027-02-09]\nworkdays = [2027-02-13]\n',
        encoding="utf-8",
    )
    calendar = calendar_from(path)
    assert calendar.source(2027) == "file" and calendar.source(2028) == "weekends"
    assert calendar.add_working_days(date(2026, 12, 31), 1) == Due(date(2027, 1, 4))
    assert calendar.add_working_days(date(2027, 2, 5), 1) == Due(date(2027, 2, 10))
    assert calendar.add_working_days(date(2027, 2, 12), 1) == Due(date(2027, 2, 13))  # make-up Saturday
    assert calendar.add_working_days(date(2027, 12, 31), 1) == Due(date(2028, 1, 3), (2028,))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[2027]\nholidays = [2027-02-30]\n", "not valid TOML"),
        ('[2027]\nholidays = ["2027-13-01"]\n', "is not a date"),
        ("[2027]\nholidays = [2028-01-01]\n", "is not in 2027"),
        ("[2027]\nholidays = [2027-02-13]\nworkdays = [2027-02-13]\n", "both a holiday and a workday"),
        ("[2027]\nholiday = [2027-01-01]\n", "unknown key 'holiday'"),
        ("[next]\nholidays = []\n", "named by a year"),
    ],
)
def test_a_bad_holiday_file_is_named_with_the_place(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "holidays.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(HolidayFileError, match=message):
        load_holiday_file(path)
    with pytest.raises(HolidayFileError, match="cannot read"):
        load_holiday_file(tmp_path / "missing.toml")


def test_a_deadline_ends_at_local_midnight_after_its_last_day() -> None:
    due = Due(date(2026, 10, 8))
    assert not due.overdue(datetime(2026, 10, 8, 15, 59, tzinfo=UTC), SHANGHAI)  # 23:59 in Shanghai
    assert due.overdue(datetime(2026, 10, 8, 16, 0, tzinfo=UTC), SHANGHAI)


def test_the_example_config_names_a_holiday_file_that_loads() -> None:
    settings = load_centre_config(Path(__file__).resolve().parents[2] / "config" / "centre.toml").centre
    assert settings.holiday_file is not None and settings.holiday_file.is_absolute()
    assert calendar_from(settings.holiday_file).extra_years == {}
