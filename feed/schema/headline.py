"""`headline`: a short text for the LED screen, with priority, validity window and day-parts."""

from __future__ import annotations

from datetime import time
from typing import Annotated, Literal

from pydantic import Field, field_serializer

from feed.schema.common import Color, Id, Model, Targets
from feed.schema.dates import DateTime, TimeOfDay
from feed.schema.rules import rule
from feed.schema.text import HeadlineText

Weekday = Annotated[int, Field(ge=1, le=7)]  # ISO: 1 = Monday
ALL_WEEK = [1, 2, 3, 4, 5, 6, 7]


class DayPart(Model):
    """A weekly range of wall-clock times in the hall's time zone (the time zone of the device that
    shows the headline). A part covers [start, end) on each listed weekday; an end of 23:59:59 runs to
    midnight; start equal to end means the whole day; an end before the start runs past midnight,
    and the hours after midnight belong to the listed day before (Fri 22:00–02:00 covers Saturday
    01:00)."""

    weekdays: list[Weekday] = Field(
        default_factory=lambda: list(ALL_WEEK),
        min_length=1,
        max_length=7,
        description="ISO weekdays, 1 = Monday … 7 = Sunday; left out: every day",
    )
    start: TimeOfDay = Field(default=time(0, 0), description="hall time, no UTC offset")
    end: TimeOfDay = Field(default=time(23, 59, 59), description="hall time, no UTC offset")


class Headline(Model):
    kind: Literal["headline"]
    id: Id
    text: HeadlineText
    priority: int = Field(default=5, ge=0, le=9, description="higher shows first")
    emergency: bool = Field(default=False, description="preempts everything until it expires")
    valid_from: DateTime | None = Field(default=None, description="shown from this moment (inclusive)")
    valid_until: DateTime | None = Field(default=None, description="shown until this moment (exclusive)")
    dayparts: list[DayPart] = Field(
        default_factory=list, max_length=20, description="when the headline is due; none: at all times"
    )
    dwell_seconds: float | None = Field(
        default=None,
        ge=1,
        le=600,
        allow_inf_nan=False,
        description="seconds on screen per turn; a whole number is written without a fraction (8, not 8.0)",
    )
    color: Color | None = None
    targets: Targets = Field(default_factory=Targets)

    RULES = (
        rule(
            "valid_until, when both are given, is after valid_from",
            lambda h: (
                h.valid_from is not None and h.valid_until is not None and h.valid_until <= h.valid_from
            ),
            "valid_until must be after valid_from",
        ),
        rule(
            "an emergency headline has a valid_until: it preempts everything until then",
            lambda h: h.emergency and h.valid_until is None,
            "an emergency headline needs valid_until, or it would preempt forever",
            {
                "if": {"properties": {"emergency": {"const": True}}, "required": ["emergency"]},
                "then": {"properties": {"valid_until": {"type": "string"}}, "required": ["valid_until"]},
            },
        ),
    )

    @field_serializer("dwell_seconds")
    def _whole_numbers_without_fraction(self, value: float | None) -> float | int | None:
        # As RFC 8785 writes numbers: the same value always gives the same record bytes.
        return int(value) if value is not None and value.is_integer() else value
