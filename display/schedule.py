"""What the LED screen shows at a given moment: a plain function of (headlines, now).

Order of precedence:
1. an emergency headline that is due preempts everything (quiet hours included) until it expires;
2. quiet hours: the screen goes dark or shows a dim clock;
3. due headlines, higher priority first; headlines of equal priority take turns (round-robin);
4. nothing due: the hall name and the clock.

A rotation is a walk over the due headlines sorted by (priority descending, id): each pick is the
first headline after the previous one, wrapping around. The cursor is the sort key of the last pick,
so adding or removing headlines never skips or repeats one out of turn.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Literal, Protocol

from feed import Headline, Weekly, in_weekly, is_due

SlotKind = Literal["headline", "fallback", "dark", "clock"]
Cursor = tuple[int, str]


class Quiet(Weekly, Protocol):
    @property
    def mode(self) -> Literal["dark", "clock"]: ...
    @property
    def brightness(self) -> float: ...


@dataclass(frozen=True)
class Slot:
    """One decision of the scheduler. `brightness` overrides the brightness schedule when set."""

    kind: SlotKind
    headline: Headline | None = None
    brightness: float | None = None

    @property
    def emergency(self) -> bool:
        return self.headline is not None and self.headline.emergency


def local_time(now: datetime, zone: tzinfo | None) -> datetime:
    """`now` on the hall's wall clock (the system zone when `zone` is None)."""
    return now.astimezone(zone) if zone is not None else now.astimezone()


def rotation_key(headline: Headline) -> Cursor:
    return (-headline.priority, headline.id)


def next_in_rotation(due: Sequence[Headline], after: Cursor | None) -> Headline | None:
    """The first headline whose key follows `after`, wrapping to the start; None when `due` is empty."""
    ordered = sorted(due, key=rotation_key)
    if not ordered:
        return None
    if after is not None:
        for headline in ordered:
            if rotation_key(headline) > after:
                return headline
    return ordered[0]


def active_quiet(quiet: Iterable[Quiet], local: datetime) -> Quiet | None:
    return next((rule for rule in quiet if in_weekly(rule, local)), None)


def plan(
    headlines: Iterable[Headline],
    now: datetime,
    *,
    after: Cursor | None = None,
    quiet: Sequence[Quiet] = (),
    zone: tzinfo | None = None,
) -> Slot:
    """The slot to show at `now`, given the rotation cursor of the previous pick."""
    local = local_time(now, zone)
    due = [h for h in headlines if is_due(h, local)]
    emergency = next_in_rotation([h for h in due if h.emergency], after)
    if emergency is not None:
        return Slot("headline", emergency)
    rule = active_quiet(quiet, local)
    if rule is not None:
        return (
            Slot("dark", brightness=0.0) if rule.mode == "dark" else Slot("clock", brightness=rule.brightness)
        )
    pick = next_in_rotation(due, after)
    return Slot("headline", pick) if pick is not None else Slot("fallback")


def emergency_due(headlines: Iterable[Headline], now: datetime, zone: tzinfo | None = None) -> bool:
    local = local_time(now, zone)
    return any(h.emergency and is_due(h, local) for h in headlines)


@dataclass
class Scheduler:
    """`plan` plus the rotation cursor, for the player: call `next` at the end of every slot."""

    quiet: Sequence[Quiet] = ()
    zone: tzinfo | None = None
    cursor: Cursor | None = None

    def next(self, headlines: Iterable[Headline], now: datetime) -> Slot:
        slot = plan(headlines, now, after=self.cursor, quiet=self.quiet, zone=self.zone)
        if slot.headline is not None:
            self.cursor = rotation_key(slot.headline)
        return slot
