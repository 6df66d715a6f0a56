"""Frame pacing against absolute monotonic deadlines.

Frame k is due at `start + k / fps`. The loop draws offscreen, sleeps until the deadline, then
shows the frame; drawing time therefore never changes the speed. When a frame is late by more than
a whole period (a slow receiver, a busy machine) the missed deadlines are skipped rather than
crammed in, and the picture, being a function of time, simply jumps ahead.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class FramePacer:
    fps: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    start: float = field(default=0.0, init=False)
    index: int = field(default=0, init=False)
    skipped: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self.period = 1.0 / self.fps
        self.start = self.clock()

    def deadline(self, index: int | None = None) -> float:
        return self.start + (self.index if index is None else index) * self.period

    def next_deadline(self) -> float:
        """Advance to the next frame; skip deadlines that have already passed by a whole period."""
        self.index += 1
        now = self.clock()
        behind = now - self.deadline()
        if behind > self.period:
            missed = int(behind // self.period)
            self.index += missed
            self.skipped += missed
        return self.deadline()

    def wait(self, deadline: float) -> None:
        """Sleep until `deadline` (monotonic seconds); returns at once when it has passed."""
        remaining = deadline - self.clock()
        if remaining > 0:
            self.sleep(remaining)
