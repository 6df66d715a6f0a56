"""Idle countdown transitions, driven by a clock function the test advances."""

from __future__ import annotations

import pytest

from kiosk.logic.idle import IdlePhase, IdleTimer


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_active_warning_expired() -> None:
    clock = Clock()
    timer = IdleTimer(90, 15, now=clock)
    assert timer.state().phase is IdlePhase.ACTIVE
    clock.t += 74.9
    assert timer.state().phase is IdlePhase.ACTIVE
    clock.t += 0.2
    state = timer.state()
    assert state.phase is IdlePhase.WARNING and state.countdown == 15
    clock.t += 14.0
    assert timer.state().countdown == 1
    clock.t += 0.8  # 0.1 s left: still counting, and never shown as 0
    assert timer.state().phase is IdlePhase.WARNING and timer.state().countdown == 1
    clock.t += 0.2
    assert timer.state().phase is IdlePhase.EXPIRED and timer.state().seconds_left == 0


def test_touch_during_warning_restarts_the_countdown() -> None:
    clock = Clock()
    timer = IdleTimer(90, 15, now=clock)
    clock.t += 80
    assert timer.state().phase is IdlePhase.WARNING
    timer.touch()
    assert timer.state().phase is IdlePhase.ACTIVE
    assert timer.state().seconds_left == pytest.approx(90)


def test_touch_after_expiry_does_not_revive() -> None:
    clock = Clock()
    timer = IdleTimer(30, 5, now=clock)
    clock.t += 31
    timer.touch()
    assert timer.state().phase is IdlePhase.EXPIRED


def test_suspend_stops_counting_and_resume_starts_fresh() -> None:
    clock = Clock()
    timer = IdleTimer(30, 5, now=clock)
    timer.suspend()
    clock.t += 10_000
    assert timer.state().phase is IdlePhase.SUSPENDED and timer.suspended
    timer.touch()  # ignored while suspended
    timer.resume()
    assert timer.state().phase is IdlePhase.ACTIVE
    assert timer.state().seconds_left == pytest.approx(30)


@pytest.mark.parametrize(("timeout", "warning"), [(0, 0), (30, 30), (30, 40), (30, -1)])
def test_bad_settings_are_refused(timeout: float, warning: float) -> None:
    with pytest.raises(ValueError):
        IdleTimer(timeout, warning)
