"""`headline`: a short text for the LED screen, with priority, validity window and day-parts."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from feed.schema.common import Color, Id, Model, Targets

Weekday = Annotated[int, Field(ge=1, le=7)]  # ISO: 1 = Monday


class DayPart(Model):
    """A weekly time range. `end` before `start` wraps past midnight."""

    weekdays: list[Weekday] = Field(default_factory=lambda: [1, 2, 3, 4, 5, 6, 7], min_length=1)
    start: time = time(0, 0)
    end: time = time(23, 59, 59)


class Headline(Model):
    kind: Literal["headline"] = "headline"
    id: Id
    text: Annotated[str, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)]
    priority: int = Field(default=5, ge=0, le=9, description="higher shows first")
    emergency: bool = Field(default=False, description="preempts everything until it expires")
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    dayparts: list[DayPart] = Field(default_factory=list, max_length=20)
    dwell_seconds: float | None = Field(default=None, gt=0, le=600)
    color: Color | None = None
    targets: Targets = Field(default_factory=Targets)

    @model_validator(mode="after")
    def _window_in_order(self) -> Headline:
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise ValueError("valid_until must be after valid_from")
        if self.emergency and self.valid_until is None:
            raise ValueError("an emergency headline needs valid_until, or it would preempt forever")
        for stamp in (self.valid_from, self.valid_until):
            if stamp is not None and stamp.tzinfo is None:
                raise ValueError("headline times need a UTC offset, e.g. 2026-11-25T09:00:00+08:00")
        return self
