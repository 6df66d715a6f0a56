"""Configuration of `hall-display`: the `[feed]`, `[device]` and `[display]` sections of a TOML file.

Every key has a default that works for a 128×32 panel previewed in a terminal, so a config file only
needs what differs. Times of day are the hall's wall clock (`timezone`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import time, tzinfo
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal
from zoneinfo import ZoneInfo

import msgspec
from msgspec import Meta

from feed import (
    HEX_COLOUR_PATTERN,
    CentreLinkConfig,
    DeviceConfig,
    FeedConfig,
    Section,
    known_time_zone,
    led_font,
    load_config,
    ui_font,
)

PANEL_PATTERN = re.compile(r"^\s*(\d{1,5})\s*[xX×]\s*(\d{1,5})\s*$")
MAX_PANEL_SIDE = 16_384

Color = Annotated[str, Meta(pattern=HEX_COLOUR_PATTERN)]  # as the feed's headline colours
Weekday = Annotated[int, Meta(ge=1, le=7)]  # ISO: 1 = Monday


def parse_panel(text: str) -> tuple[int, int]:
    """`"256x64"` → (256, 64); raises ValueError with a message fit for a technician."""
    match = PANEL_PATTERN.match(text)
    if not match:
        raise ValueError(f"panel size {text!r} is not WIDTHxHEIGHT, e.g. 128x32")
    width, height = int(match.group(1)), int(match.group(2))
    if not (1 <= width <= MAX_PANEL_SIDE and 1 <= height <= MAX_PANEL_SIDE):
        raise ValueError(f"panel size {text!r}: each side must be 1..{MAX_PANEL_SIDE} pixels")
    return width, height


def _panel(text: str) -> str:
    parse_panel(text)
    return text


class WeeklyWindow(Section, frozen=True, kw_only=True):
    """A time range on some weekdays; `end` before `start` wraps past midnight."""

    weekdays: Annotated[list[Weekday], Meta(min_length=1)] = msgspec.field(
        default_factory=lambda: [1, 2, 3, 4, 5, 6, 7]
    )
    start: time
    end: time


class QuietHours(WeeklyWindow, frozen=True):
    """When the hall is closed: the screen goes dark, or shows a dim clock."""

    mode: Literal["dark", "clock"] = "dark"
    brightness: Annotated[float, Meta(gt=0, le=1)] = 0.15  # level of the dim clock


class BrightnessRule(WeeklyWindow, frozen=True, kw_only=True):
    """Brightness (0..1) during a time range; the first matching rule wins, else `brightness`."""

    level: Annotated[float, Meta(ge=0, le=1)]


class ClockZone(Section, frozen=True):
    """An optional clock at one end of the panel, beside the headline area."""

    position: Literal["none", "left", "right"] = "none"
    format: Annotated[str, Meta(min_length=1, max_length=20)] = "%H:%M"
    color: Color = "#40ff80"
    width: Annotated[int, Meta(ge=0, le=MAX_PANEL_SIDE)] = 0  # 0 = as wide as the text needs


class WindowOutput(Section, frozen=True):
    """The borderless window a sending card mirrors to the wall (position on the desktop)."""

    x: int = 0
    y: int = 0
    width: Annotated[int, Meta(ge=0, le=MAX_PANEL_SIDE)] = 0  # 0 = panel width
    height: Annotated[int, Meta(ge=0, le=MAX_PANEL_SIDE)] = 0  # 0 = panel height


class DisplaySection(Section, frozen=True):
    output: str = "terminal"  # window | terminal | png:DIR | ddp://… | sacn://…
    panel: str = "128x32"  # WIDTHxHEIGHT in LEDs
    fps: Annotated[float, Meta(ge=1, le=240)] = 60.0
    timezone: str | None = None  # IANA zone of the hall; default: system
    hall_name: Annotated[str, Meta(max_length=200)] = ""  # fallback text when the feed has no hall record
    font: Path | None = None  # font file; default: the bundled font
    font_index: Annotated[int, Meta(ge=0, le=64)] = 0  # face in a .ttc collection
    # pixel: bitmap font at its native size; auto: pixel below 48 px lines
    font_kind: Literal["auto", "pixel", "ui"] = "auto"
    pixel_size: Annotated[int, Meta(ge=6, le=64)] = 16  # native size of the pixel font
    lines: Annotated[int, Meta(ge=1, le=8)] = 1
    scroll_speed: Annotated[float, Meta(gt=0, le=2000)] = 32.0  # px/s, capped at 1 px per frame
    dwell_seconds: Annotated[float, Meta(gt=0, le=600)] = 8.0
    foreground: Color = "#ffb000"
    background: Color = "#000000"
    emergency_foreground: Color = "#ff2020"
    brightness: Annotated[float, Meta(ge=0, le=1)] = 1.0
    brightness_schedule: Annotated[list[BrightnessRule], Meta(max_length=50)] = msgspec.field(
        default_factory=list
    )
    quiet_hours: Annotated[list[QuietHours], Meta(max_length=50)] = msgspec.field(default_factory=list)
    clock: ClockZone = msgspec.field(default_factory=ClockZone)
    window: WindowOutput = msgspec.field(default_factory=WindowOutput)
    png_every: Annotated[int, Meta(ge=1, le=100_000)] = 1  # png: keep every Nth frame
    # network budget of ddp/sacn (100 Mbit/s)
    max_bytes_per_second: Annotated[int, Meta(ge=10_000)] = 12_500_000
    sync: bool = False  # run an own sync loop instead of sharing the kiosk cache

    field_checks: ClassVar[Mapping[str, Callable[[Any], Any]]] = {
        "panel": _panel,
        "timezone": known_time_zone,
    }

    @property
    def panel_size(self) -> tuple[int, int]:
        return parse_panel(self.panel)

    def zone(self) -> tzinfo | None:
        return ZoneInfo(self.timezone) if self.timezone else None

    def font_path(self) -> Path:
        """The configured font, else the bundled one that suits the panel."""
        if self.font is not None:
            return self.font
        return led_font() if self.uses_pixel_font() else ui_font()

    def line_height(self) -> int:
        return max(1, self.panel_size[1] // self.lines)

    def uses_pixel_font(self) -> bool:
        if self.font_kind != "auto":
            return self.font_kind == "pixel"
        return self.line_height() < 48


class DisplayConfig(Section, frozen=True):
    feed: FeedConfig | None = None
    device: DeviceConfig = msgspec.field(default_factory=lambda: DeviceConfig(id="display-1"))
    display: DisplaySection = msgspec.field(default_factory=DisplaySection)
    centre: CentreLinkConfig | None = None  # where proof of play and heartbeats go
    # One demo TOML may configure both apps; the kiosk's table is its own business.
    kiosk: dict[str, Any] | None = None


def load_display_config(path: Path) -> DisplayConfig:
    """Read and validate a display config file; raises feed.errors.ConfigError with a clear message."""
    return load_config(path, DisplayConfig)
