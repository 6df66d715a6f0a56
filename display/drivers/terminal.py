"""A live preview in a terminal: two pixel rows per character cell, drawn with '▀' in 24-bit colour.

A wide panel is scaled down (nearest neighbour) to the terminal width. The preview redraws at most
`max_fps` times a second: a terminal cannot keep up with 60 full repaints, and a preview need not.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable
from typing import TextIO

from PIL import Image

from display.config import DisplaySection

UPPER_HALF = "▀"


def half_block_lines(frame: Image.Image) -> list[str]:
    """The frame as text lines: foreground = upper pixel, background = lower pixel."""
    width, height = frame.size
    if height % 2:
        padded = Image.new("RGB", (width, height + 1))
        padded.paste(frame, (0, 0))
        frame, height = padded, height + 1
    pixels = frame.load()
    assert pixels is not None
    lines = []
    for y in range(0, height, 2):
        cells = []
        previous: tuple[object, object] | None = None
        for x in range(width):
            upper, lower = pixels[x, y], pixels[x, y + 1]
            if (upper, lower) != previous:
                ur, ug, ub = upper  # type: ignore[misc]
                lr, lg, lb = lower  # type: ignore[misc]
                cells.append(f"\x1b[38;2;{ur};{ug};{ub};48;2;{lr};{lg};{lb}m")
                previous = (upper, lower)
            cells.append(UPPER_HALF)
        lines.append("".join(cells) + "\x1b[0m")
    return lines


FORM = "terminal"


def from_spec(spec: str, section: DisplaySection) -> TerminalDriver:
    return TerminalDriver()


class TerminalDriver:
    name = "terminal"
    every_frame = False

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        columns: int | None = None,
        max_fps: float = 20.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream if stream is not None else sys.stdout
        self.columns = columns
        self.min_interval = 1.0 / max_fps
        self.clock = clock
        self.frames_drawn = 0
        self._last_draw = float("-inf")
        self._size = (0, 0)

    def open(self, width: int, height: int, fps: float) -> None:
        columns = self.columns or max(20, shutil.get_terminal_size((120, 40)).columns - 1)
        scale = min(1.0, columns / width)
        self._size = (max(1, round(width * scale)), max(2, round(height * scale)))
        self.stream.write("\x1b[2J\x1b[?25l")  # clear, hide the cursor

    def send(self, frame: Image.Image) -> None:
        now = self.clock()
        if now - self._last_draw < self.min_interval:
            return
        self._last_draw = now
        if frame.size != self._size:
            frame = frame.resize(self._size, Image.Resampling.NEAREST)
        self.stream.write("\x1b[H" + "\n".join(half_block_lines(frame)) + "\n")
        self.stream.flush()
        self.frames_drawn += 1

    def close(self) -> None:
        self.stream.write("\x1b[0m\x1b[?25h")  # reset colours, show the cursor
        self.stream.flush()
