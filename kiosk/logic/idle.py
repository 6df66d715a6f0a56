"""The idle timer: after `timeout_s` without a touch the session ends; the last `warning_s` of it
show a countdown. Pure: time comes from a clock function (monotonic by default)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum


class IdlePhase(Enum):
    ACTIVE = "active"
    WARNING = "warning"  # show the countdown; a touch returns to ACTIVE
    EXPIRED = "expired"  # end the session (CitizenSession.reset)
    SUSPENDED = "suspended"  # not counting (attract loop, admin screen)


@dataclass(frozen=True)
class IdleState:
    phase: IdlePhase
    seconds_left: float  # until expiry; 0 when expired, the full timeout when suspended

    @property
    def countdown(self) -> int:
        """Whole seconds to show in the warning (rounded up, so it never shows 0 before expiry)."""
        raise NotImplementedError


class IdleTimer:
    def __init__(self, timeout_s: float, warning_s: float, now: Callable[[], float] = time.monotonic) -> None:
        raise NotImplementedError

    @property
    def timeout_s(self) -> float:
        raise NotImplementedError

    @property
    def warning_s(self) -> float:
        raise NotImplementedError

    def touch(self) -> None:
        """Any touch: restart the countdown (ignored while suspended)."""
        raise NotImplementedError

    def state(self) -> IdleState:
        raise NotImplementedError

    def suspend(self) -> None:
        raise NotImplementedError

    def resume(self) -> None:
        """Start counting again from now."""
        raise NotImplementedError

    @property
    def suspended(self) -> bool:
        raise NotImplementedError
