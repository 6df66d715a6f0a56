"""The scheduler over a simulated day: priorities, windows, day-parts, quiet hours, emergencies."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from display.config import QuietHours
from display.schedule import (
    Scheduler,
    Slot,
    next_in_rotation,
    plan,
    rotation_key,
)
from feed.due import in_weekly, is_due
from feed.schema import DayPart, Headline


@dataclass(frozen=True)
class Played:
    at: datetime
    slot: Slot
    seconds: float


@dataclass
class DaySimulation:
    """Runs the scheduler over simulated time, for tests and for previewing a day's programme."""

    scheduler: Scheduler
    default_dwell: float = 8.0
    idle_step: float = 60.0
    log: list[Played] = field(default_factory=list)

    def run(self, headlines: Sequence[Headline], start: datetime, end: datetime) -> list[Played]:
        now = start
        while now < end:
            slot = self.scheduler.next(headlines, now)
            seconds = self.idle_step
            if slot.headline is not None:
                seconds = slot.headline.dwell_seconds or self.default_dwell
                if slot.emergency and slot.headline.valid_until is not None:
                    # An emergency is cut the moment it expires.
                    seconds = min(seconds, (slot.headline.valid_until - now).total_seconds())
            elif slot.kind == "fallback":
                seconds = self.default_dwell
            self.log.append(Played(now, slot, seconds))
            now += timedelta(seconds=seconds)
        return self.log


CST = timezone(timedelta(hours=8))
WEDNESDAY = datetime(2026, 11, 25, tzinfo=CST)  # ISO weekday 3


def at(hour: int, minute: int = 0, day: datetime = WEDNESDAY) -> datetime:
    return day.replace(hour=hour, minute=minute)


def headline(hid: str, priority: int = 5, **fields: object) -> Headline:
    return Headline.model_validate(
        {"kind": "headline", "id": hid, "text": f"标题{hid}", "priority": priority, **fields}
    )


def the_day() -> list[Headline]:
    return [
        headline("a"),
        headline("b"),
        headline("c-morning-notice", 7, valid_from=at(10), valid_until=at(12)),
        headline(
            "d-weekday-queue", 3, dayparts=[{"weekdays": [1, 2, 3, 4, 5], "start": "08:30", "end": "11:00"}]
        ),
        headline("e-weekend", 6, dayparts=[{"weekdays": [6, 7]}]),
        headline("f-tuesday-night", 9, dayparts=[{"weekdays": [2], "start": "22:00", "end": "02:00"}]),
        headline(
            "g-emergency", 0, emergency=True, valid_from=at(14), valid_until=at(14, 5), dwell_seconds=120
        ),
    ]


QUIET = [QuietHours(start=time(20, 0), end=time(7, 0), mode="dark")]


def simulate(headlines: list[Headline], quiet: Iterable[QuietHours] = QUIET) -> list[Played]:
    simulation = DaySimulation(Scheduler(quiet=list(quiet), zone=CST), default_dwell=10, idle_step=60)
    return simulation.run(headlines, at(0), at(0) + timedelta(days=1))


def shown_between(log: list[Played], start: datetime, end: datetime) -> list[str]:
    return [p.slot.headline.id for p in log if p.slot.headline is not None and start <= p.at < end]


def test_quiet_hours_darken_the_screen_and_hide_ordinary_headlines() -> None:
    log = simulate(the_day())
    quiet = [p for p in log if p.at < at(7) or p.at >= at(20)]
    assert quiet
    assert all(p.slot.kind == "dark" and p.slot.brightness == 0.0 for p in quiet)
    # f-tuesday-night is due on Wednesday 00:00–02:00 (its Tuesday window wraps), but it is quiet.
    assert "f-tuesday-night" not in shown_between(log, at(0), at(2))
    assert log[-1].at < at(0) + timedelta(days=1)


def test_weekend_and_expired_headlines_never_show_on_a_wednesday() -> None:
    shown = set(shown_between(simulate(the_day()), at(0), at(23, 59)))
    assert "e-weekend" not in shown
    assert shown >= {"a", "b", "c-morning-notice", "d-weekday-queue", "g-emergency"}


def test_validity_windows_and_dayparts_bound_each_headline() -> None:
    log = simulate(the_day())
    for played in log:
        hid = played.slot.headline.id if played.slot.headline else None
        if hid == "c-morning-notice":
            assert at(10) <= played.at < at(12)
        if hid == "d-weekday-queue":
            assert at(8, 30) <= played.at <= at(11)


def test_equal_priorities_take_turns_and_higher_priority_leads_each_cycle() -> None:
    log = simulate(the_day())
    early = shown_between(log, at(7), at(8, 30))
    assert early[:6] == ["a", "b", "a", "b", "a", "b"]
    # 10:00–11:00: c (7) first, then a and b (5), then d (3); the cycle repeats.
    late_morning = shown_between(
        log,
        at(
            10,
            0,
        ),
        at(10, 59),
    )
    first_c = late_morning.index("c-morning-notice")
    cycle = late_morning[first_c : first_c + 8]
    assert cycle == ["c-morning-notice", "a", "b", "d-weekday-queue"] * 2


def test_emergency_preempts_everything_until_it_expires() -> None:
    log = simulate(the_day())
    window = [p for p in log if at(14) <= p.at < at(14, 5)]
    assert window and all(p.slot.headline and p.slot.headline.id == "g-emergency" for p in window)
    # Cut exactly at expiry even though its dwell (120 s) would run past it.
    last = window[-1]
    assert last.at + timedelta(seconds=last.seconds) == at(14, 5)
    after = next(p for p in log if p.at >= at(14, 5))
    assert after.at == at(14, 5) and after.slot.headline is not None
    assert after.slot.headline.id in {"a", "b"}


def test_emergency_lights_up_the_screen_in_quiet_hours() -> None:
    alarm = headline("storm", 0, emergency=True, valid_from=at(23), valid_until=at(23, 30))
    slot = plan([alarm, headline("a")], at(23, 10), quiet=QUIET, zone=CST)
    assert slot.kind == "headline" and slot.emergency
    assert plan([alarm, headline("a")], at(23, 30), quiet=QUIET, zone=CST).kind == "dark"


def test_dim_clock_in_quiet_hours_and_fallback_when_nothing_is_due() -> None:
    dim = [QuietHours(start=time(20, 0), end=time(7, 0), mode="clock", brightness=0.2)]
    slot = plan([headline("a")], at(21), quiet=dim, zone=CST)
    assert slot.kind == "clock" and slot.brightness == 0.2
    nothing = plan([headline("e-weekend", dayparts=[{"weekdays": [6, 7]}])], at(12), quiet=dim, zone=CST)
    assert nothing.kind == "fallback" and nothing.headline is None


def test_a_day_without_headlines_shows_the_fallback_between_quiet_hours() -> None:
    log = simulate([])
    kinds = {p.slot.kind for p in log if at(7, 1) <= p.at < at(19, 59)}
    assert kinds == {"fallback"}


def test_validity_window_is_from_inclusive_until_exclusive() -> None:
    notice = headline("n", valid_from=at(9), valid_until=at(10))
    assert not is_due(notice, at(8, 59))
    assert is_due(notice, at(9))
    assert is_due(notice, at(10) - timedelta(microseconds=1))
    assert not is_due(notice, at(10))


def test_dayparts_wrap_midnight_and_belong_to_the_day_they_start() -> None:
    friday_night = DayPart(weekdays=[5], start=time(22), end=time(2))
    friday = datetime(2026, 11, 27)
    assert in_weekly(friday_night, friday.replace(hour=23))
    assert in_weekly(friday_night, friday.replace(hour=1) + timedelta(days=1))  # Saturday 01:00
    assert not in_weekly(friday_night, friday.replace(hour=1))  # Friday 01:00 belongs to Thursday
    assert not in_weekly(friday_night, friday.replace(hour=3) + timedelta(days=1))
    sunday_night = DayPart(weekdays=[7], start=time(22), end=time(2))
    assert in_weekly(sunday_night, datetime(2026, 11, 30, 1))  # Monday 01:00, wrapping the week


def test_dayparts_use_the_halls_wall_clock() -> None:
    lunch = headline("lunch", dayparts=[{"start": "12:00", "end": "13:30"}])
    noon_in_beijing = datetime(2026, 11, 25, 4, 30, tzinfo=UTC)
    assert is_due(lunch, noon_in_beijing, ZoneInfo("Asia/Shanghai"))
    assert not is_due(lunch, noon_in_beijing, ZoneInfo("Europe/Berlin"))


def test_rotation_survives_headlines_being_added_and_removed() -> None:
    a, b, c = headline("a"), headline("b"), headline("c")
    assert next_in_rotation([a, b, c], rotation_key(a)) == b
    # b withdrawn while it was next: c follows a, nothing repeats or is skipped.
    assert next_in_rotation([a, c], rotation_key(a)) == c
    assert next_in_rotation([a, c], rotation_key(b)) == c
    assert next_in_rotation([a, b, c], rotation_key(c)) == a
    assert next_in_rotation([], rotation_key(c)) is None


def test_plan_is_a_function_of_headlines_and_time() -> None:
    day = the_day()
    first = [plan(day, at(h), quiet=QUIET, zone=CST) for h in range(24)]
    second = [plan(list(reversed(day)), at(h), quiet=QUIET, zone=CST) for h in range(24)]
    assert first == second
