"""What every output driver offers, and the errors that separate a bad setup from a passing glitch.

`open` checks that the driver can carry the panel and raises `DriverSetupError` with a message a
technician can act on. `send` may raise `OSError` when the receiver is away; the player counts it,
keeps pacing and sends the next frame anyway, so the screen resumes by itself.
"""

from __future__ import annotations

from typing import Protocol

from PIL import Image

from feed import ConfigError


class DriverSetupError(ConfigError):
    """The driver cannot work as configured (unknown name, panel too big, host unknown)."""


class OutputDriver(Protocol):
    name: str
    # True: send every tick (files, a window that repaints); False: only changed frames, and the last
    # one again now and then (a network receiver or a terminal).
    every_frame: bool

    def open(self, width: int, height: int, fps: float) -> None: ...
    def send(self, frame: Image.Image) -> None: ...
    def close(self) -> None: ...


def check_bandwidth(name: str, frame_bytes: int, fps: float, budget: int) -> None:
    """Refuse a panel whose stream would exceed the network budget, and say what would fit."""
    needed = frame_bytes * fps
    if needed > budget:
        fitting_fps = budget / frame_bytes
        raise DriverSetupError(
            f"{name}: panel needs {needed / 1e6:.1f} MB/s at {fps:g} fps, over the budget of "
            f"{budget / 1e6:.1f} MB/s ([display] max_bytes_per_second); lower fps to "
            f"{fitting_fps:.0f} or less, use a smaller panel, or drive the wall with the window driver"
        )
