"""Dates, date-times and times of day in the feed: ISO 8601 as written, years in range, time zones.

- A date is `YYYY-MM-DD`.
- A date-time carries a UTC offset (`2026-11-25T09:00:00+08:00`, or `Z`); one without is refused, so
  any two date-times of a feed can be compared.
- Years run from 1900 to 2199, as written, in dates and date-times alike: far enough back for any
  document a hall discloses and far enough ahead for any expiry a publisher means, and well inside
  what a screen's date arithmetic survives (9999-12-31 moved into the hall's time zone overflows).
- A time of day (`09:00`, `17:30:00`) is a wall-clock time in the hall's time zone: it carries no
  offset.

Each bound is also written into the exported JSON Schema as a `pattern` on the string.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated, TypeVar

from pydantic import AfterValidator, AwareDatetime, Field

YEAR_MIN, YEAR_MAX = 1900, 2199
_YEARS = re.compile(r"^(19|20|21)[0-9]{2}-")  # YEAR_MIN..YEAR_MAX as written
Stamp = TypeVar("Stamp", date, datetime)
_TIME_OF_DAY = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.,][0-9]+)?)?$")


def _years_in_range(value: Stamp) -> Stamp:
    if not _YEARS.match(value.isoformat()):
        raise ValueError(f"year {value.year} is outside {YEAR_MIN}–{YEAR_MAX}")
    return value


def _without_offset(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("a time of day is the hall's wall-clock time and carries no UTC offset")
    return value


Date = Annotated[date, AfterValidator(_years_in_range), Field(json_schema_extra={"pattern": _YEARS.pattern})]
DateTime = Annotated[
    AwareDatetime, AfterValidator(_years_in_range), Field(json_schema_extra={"pattern": _YEARS.pattern})
]
TimeOfDay = Annotated[
    time, AfterValidator(_without_offset), Field(json_schema_extra={"pattern": _TIME_OF_DAY.pattern})
]
