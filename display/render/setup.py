"""From configuration to a ready renderer: font choice, layout, and what each kind of slot looks like."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from PIL import Image

from display.config import DisplaySection
from display.render.fonts import FontSpec, fit_ui_font
from display.render.frames import Layout, Program, Renderer
from display.render.text import StripCache, text_width, undrawable
from display.schedule import Slot
from feed import MISSING_MARK, ConfigError, Hall, Rgb, in_weekly, parse_hex, screen_text

log = logging.getLogger(__name__)

DEFAULT_HALL_NAME = "政务服务大厅"


# Debian's fonts-unifont and fonts-noto-cjk, used only when the bundled fonts are not installed.
SYSTEM_PIXEL_FONT = (Path("/usr/share/fonts/opentype/unifont/unifont.otf"), 0)
SYSTEM_UI_FONT = (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 2)  # face 2: SC


def font_file(section: DisplaySection) -> tuple[Path, int]:
    """The configured font, else the bundled one, else (with a warning) a system copy of the same family."""
    path = section.font_path()
    if path.is_file():
        return path, section.font_index
    if section.font is None:
        system, index = SYSTEM_PIXEL_FONT if section.uses_pixel_font() else SYSTEM_UI_FONT
        if system.is_file():
            log.warning("bundled font %s is missing; using the system font %s", path, system)
            return system, index
    raise ConfigError(f"font file {path} not found; set [display] font to a font that covers Chinese")


def choose_font(section: DisplaySection, line_height: int) -> FontSpec:
    path, index = font_file(section)
    if section.uses_pixel_font():
        if section.pixel_size > line_height:
            raise ConfigError(
                f"[display] panel {section.panel} with {section.lines} line(s) leaves {line_height} px per "
                f"line, less than the pixel font's {section.pixel_size} px; use fewer lines or a taller panel"
            )
        return FontSpec(path, section.pixel_size, index, pixel=True)
    return fit_ui_font(path, line_height, index)


def build_renderer(section: DisplaySection, panel: tuple[int, int] | None = None) -> Renderer:
    width, height = panel or section.panel_size
    line_height = max(1, height // section.lines)
    font = choose_font(section, line_height)
    clock_width = 0
    if section.clock.position != "none":
        sample = datetime(2026, 12, 28, 20, 58, 58).strftime(section.clock.format)
        padding = max(2, line_height // 8)  # a gap between the clock and the text that scrolls under it
        clock_width = section.clock.width or text_width(sample, font) + 2 * padding
    layout = Layout.build(
        width, height, lines=section.lines, clock=section.clock.position, clock_width=clock_width
    )
    return Renderer(
        layout, font, parse_hex(section.background), section.scroll_speed, section.fps, StripCache()
    )


@dataclass
class SlotLook:
    """Turns scheduler slots into programs, with the configured colours, dwell and fallback."""

    section: DisplaySection
    renderer: Renderer
    _warned: set[str] = field(default_factory=set)

    def program(self, slot: Slot, local_now: datetime, hall: Hall | None) -> Program:
        """The program of a slot, drawn at the brightness in force when it starts."""
        section = self.section
        renderer = self.renderer.at_level(self.brightness(slot, local_now))
        if slot.kind == "dark":
            return renderer.blank_program(1.0)
        if slot.kind == "clock":
            return renderer.full_clock_program(self.clock_text(local_now), self.clock_color, 1.0)
        clock = self.clock_image(renderer.level, local_now)
        if slot.kind == "fallback":
            return self._fallback(renderer, local_now, hall, clock)
        assert slot.headline is not None
        headline = slot.headline
        text = screen_text(headline.text, multiline=False)  # nothing raw reaches the panel or the log
        self._warn_missing_glyphs(headline.id, text)
        default = section.emergency_foreground if headline.emergency else section.foreground
        color = parse_hex(headline.color or default)
        return renderer.text_program(text, color, headline.dwell_seconds or section.dwell_seconds, clock)

    def clock_text(self, local_now: datetime) -> str:
        return local_now.strftime(self.section.clock.format)

    def clock_image(self, level: float, local_now: datetime) -> Image.Image | None:
        """The clock zone's picture at `level` brightness (None without a clock zone)."""
        return self.renderer.at_level(level).clock_image(self.clock_text(local_now), self.clock_color)

    def brightness(self, slot: Slot, local_now: datetime) -> float:
        if slot.brightness is not None:
            return slot.brightness
        rule = next((r for r in self.section.brightness_schedule if in_weekly(r, local_now)), None)
        return rule.level if rule is not None else self.section.brightness

    def _fallback(
        self, renderer: Renderer, local_now: datetime, hall: Hall | None, clock: Image.Image | None
    ) -> Program:
        section = self.section
        name = screen_text(
            (hall.short_name or hall.name) if hall is not None else (section.hall_name or DEFAULT_HALL_NAME),
            multiline=False,
        )
        clock_zone = renderer.layout.clock_box is not None
        text = name if clock_zone else f"{name}  {self.clock_text(local_now)}"
        dwell = section.dwell_seconds
        if not clock_zone:
            # The clock is part of the text: come back for a fresh one when the minute turns.
            dwell = max(1.0, min(dwell, 60.0 - local_now.second - local_now.microsecond / 1e6))
        return renderer.text_program(text, parse_hex(section.foreground), dwell, clock)

    @property
    def clock_color(self) -> Rgb:
        return parse_hex(self.section.clock.color)

    def _warn_missing_glyphs(self, headline_id: str, text: str) -> None:
        """Once per headline: name the characters no font of the panel has (drawn as 〓)."""
        if headline_id in self._warned:
            return
        self._warned.add(headline_id)
        missing = undrawable(text, self.renderer.font)
        if missing:
            log.warning(
                "headline %s: no font of the panel has %s; each shows as %s",
                headline_id,
                missing,
                MISSING_MARK,
            )
