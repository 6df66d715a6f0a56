"""Frames: the panel's layout, and a prepared `Program` that yields the frame for any elapsed time.

A program is built once per slot (the text is rendered once into a strip); drawing a frame is then
a crop and a paste. Whether a text scrolls is decided by its width: it is static when it fits the
text area (on one line, or wrapped onto the configured lines), else it scrolls in from the right
edge and out at the left, at `speed` px/s but never more than one pixel per frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from PIL import Image

from display.render.fonts import FontSpec
from display.render.text import StripCache, StripKey, dim, text_width, wrap
from feed import Rgb

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Layout:
    """Where things go on the panel: the text area, and the clock zone when there is one."""

    width: int
    height: int
    lines: int
    text_box: Box
    clock_box: Box | None

    @classmethod
    def build(
        cls, width: int, height: int, *, lines: int = 1, clock: str = "none", clock_width: int = 0
    ) -> Layout:
        if clock == "none" or clock_width <= 0 or clock_width >= width:
            return cls(width, height, lines, (0, 0, width, height), None)
        if clock == "left":
            return cls(width, height, lines, (clock_width, 0, width, height), (0, 0, clock_width, height))
        return cls(
            width, height, lines, (0, 0, width - clock_width, height), (width - clock_width, 0, width, height)
        )

    @property
    def text_width(self) -> int:
        return self.text_box[2] - self.text_box[0]

    @property
    def line_height(self) -> int:
        return max(1, self.height // self.lines)


def scroll_offset(elapsed: float, speed: float, fps: float, travel: int) -> int:
    """Pixels scrolled after `elapsed` seconds: a function of time alone, capped at 1 px per frame."""
    effective = min(speed, fps)
    return max(0, min(travel, math.floor(elapsed * effective + 1e-9)))


@dataclass
class Program:
    """What one slot shows. `frame(elapsed)` composes the frame; `key(elapsed)` says when it changes."""

    layout: Layout
    background: Rgb
    duration: float
    static: Image.Image | None = None  # the whole text area, when the text fits
    strip: Image.Image | None = None  # one scrolling line, when it does not
    strip_y: int = 0
    speed: float = 0.0
    fps: float = 60.0
    clock: Image.Image | None = None
    level: float = 1.0  # brightness its colours were rendered at

    @property
    def scrolls(self) -> bool:
        return self.strip is not None

    @property
    def travel(self) -> int:
        return self.layout.text_width + (self.strip.width if self.strip is not None else 0)

    def key(self, elapsed: float) -> int:
        """Changes exactly when the picture does (the scroll offset; a static program never changes)."""
        return scroll_offset(elapsed, self.speed, self.fps, self.travel) if self.scrolls else 0

    def frame(self, elapsed: float, into: Image.Image | None = None) -> Image.Image:
        layout = self.layout
        canvas = into if into is not None else Image.new("RGB", (layout.width, layout.height))
        canvas.paste(self.background, (0, 0, layout.width, layout.height))
        left, top, right, _ = layout.text_box
        if self.static is not None:
            canvas.paste(self.static, (left, top))
        elif self.strip is not None:
            offset = self.key(elapsed)
            area = right - left
            # Strip column `offset - area` sits at the area's left edge.
            first = max(0, offset - area)
            last = min(self.strip.width, offset)
            if last > first:
                piece = self.strip.crop((first, 0, last, self.strip.height))
                canvas.paste(piece, (left + area - offset + first, top + self.strip_y))
        if self.clock is not None and layout.clock_box is not None:
            canvas.paste(self.clock, layout.clock_box[:2])
        return canvas


@dataclass
class Renderer:
    """Builds programs for texts; holds the font choice, colours, speeds and the strip cache."""

    layout: Layout
    font: FontSpec
    background: Rgb
    speed: float
    fps: float
    strips: StripCache
    level: float = 1.0

    def at_level(self, level: float) -> Renderer:
        """This renderer drawing at `level` brightness (0..1), sharing the strip cache.

        Dimming the colours before rendering costs nothing per frame, where dimming every frame
        would be the most expensive step on a big wall. Text edges blend linearly, so the result is
        the same picture.
        """
        level = round(max(0.0, min(1.0, level)), 3)
        return self if level == self.level else replace(self, level=level)

    @property
    def ground(self) -> Rgb:
        """The background colour as drawn at this renderer's brightness."""
        return dim(self.background, self.level)

    def text_program(self, text: str, color: Rgb, dwell: float, clock: Image.Image | None = None) -> Program:
        layout = self.layout
        area_w, area_h = layout.text_width, layout.height
        line_h = layout.line_height
        color = dim(color, self.level)
        program = Program(
            layout, self.ground, dwell, fps=self.fps, speed=self.speed, clock=clock, level=self.level
        )
        rows = [text] if text_width(text, self.font) <= area_w else None
        if rows is None and layout.lines > 1:
            rows = wrap(text, self.font, area_w, layout.lines)
        if rows is not None:
            program.static = self._static_area(rows, color, area_w, area_h, line_h)
            return program
        program.strip = self.strips.get(StripKey(text, self.font, color, self.ground, line_h))
        program.strip_y = (area_h - line_h) // 2
        # One full pass, in from the right edge and out at the left.
        program.duration = program.travel / min(self.speed, self.fps)
        return program

    def clock_image(self, text: str, color: Rgb) -> Image.Image | None:
        box = self.layout.clock_box
        if box is None:
            return None
        width, height = box[2] - box[0], box[3] - box[1]
        return self._static_area([text], dim(color, self.level), width, height, self.layout.line_height)

    def full_clock_program(self, text: str, color: Rgb, duration: float) -> Program:
        """The whole panel as a clock (quiet hours), regardless of the clock zone."""
        color = dim(color, self.level)
        area = self._static_area([text], color, self.layout.width, self.layout.height, self.layout.height)
        whole = Layout(
            self.layout.width, self.layout.height, 1, (0, 0, self.layout.width, self.layout.height), None
        )
        return Program(whole, self.ground, duration, static=area, fps=self.fps, level=self.level)

    def blank_program(self, duration: float) -> Program:
        return Program(self.layout, (0, 0, 0), duration, fps=self.fps)

    def _static_area(self, rows: list[str], color: Rgb, width: int, height: int, line_h: int) -> Image.Image:
        """Rows centred horizontally, and as a block vertically, in a width×height image."""
        area = Image.new("RGB", (width, height), self.ground)
        block_top = (height - line_h * len(rows)) // 2
        for number, row in enumerate(rows):
            strip = self.strips.get(StripKey(row, self.font, color, self.ground, line_h))
            x = (width - strip.width) // 2
            piece = strip.crop((max(0, -x), 0, min(strip.width, width - x), line_h))
            area.paste(piece, (max(0, x), block_top + number * line_h))
        return area
