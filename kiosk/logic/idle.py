"""The idle timer: after `timeout_s` without a touch the session ends; the last `warning_s` of it
show a countdown. Pure: time comes from a clock function (monotonic by default)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Literal

# What a screen asks of the idle timer: none while nobody is there (the attract loop), a citizen's
# timeout, or the staff screens' own longer one (kiosk.config: admin_idle_seconds).
IdleRule = Literal["suspend", "citizen", "staff"]


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
        return math.ceil(self.seconds_left)


class IdleTimer:
    def __init__(self, timeout_s: float, warning_s: float, now: Callable[[], float] = time.monotonic) -> None:
        if timeout_s <= 0 or not 0 <= warning_s < timeout_s:
            raise ValueError("need 0 <= warning_s < timeout_s")
        self._timeout = timeout_s
        self._warning = warning_s
        self._now = now
        self._last_touch = now()
        self._suspended = False

    @property
    def timeout_s(self) -> float:
        return self._timeout

    @property
    def warning_s(self) -> float:
        return self._warning

    def touch(self) -> None:
        """Any touch: restart the countdown (ignored while suspended).

        A touch after expiry does not revive the session: the expiry must be handled first.
        """
        if not self._suspended and self._left() > 0:
            self._last_touch = self._now()

    def _left(self) -> float:
        return max(0.0, self._timeout - (self._now() - self._last_touch))

    def state(self) -> IdleState:
        if self._suspended:
            return IdleState(IdlePhase.SUSPENDED, self._timeout)
        left = self._left()
        if left <= 0:
            return IdleState(IdlePhase.EXPIRED, 0.0)
        if left <= self._warning:
            return IdleState(IdlePhase.WARNING, left)
        return IdleState(IdlePhase.ACTIVE, left)

    def suspend(self) -> None:
        self._suspended = True

    @property
    def limits(self) -> tuple[float, float]:
        """(timeout_s, warning_s) in force."""
        return self._timeout, self._warning

    def resume(self, timeout_s: float | None = None, warning_s: float | None = None) -> None:
        """Start counting again from now, with new limits when given (staff screens have their own)."""
        timeout = self._timeout if timeout_s is None else timeout_s
        warning = self._warning if warning_s is None else warning_s
        if timeout <= 0 or not 0 <= warning < timeout:
            raise ValueError("need 0 <= warning_s < timeout_s")
        self._timeout, self._warning = timeout, warning
        self._suspended = False
        self._last_touch = self._now()

    @property
    def suspended(self) -> bool:
        return self._suspended
