"""Configuration of `hall-display`: the `[feed]`, `[device]` and `[display]` sections of a TOML file.

Every key has a default that works for a 128×32 panel previewed in a terminal, so a config file only
needs what differs. Times of day are the hall's wall clock (`timezone`).
"""

from __future__ import annotations

import re
from datetime import time, tzinfo
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, StringConstraints, ValidationInfo, field_validator

from feed import assets
from feed.config import DeviceConfig, FeedConfig, Section, base_dir_of, load_config, resolve_path
from feed.schema.common import Color
from feed.schema.headline import Weekday

PANEL_PATTERN = re.compile(r"^\s*(\d{1,5})\s*[xX×]\s*(\d{1,5})\s*$")
MAX_PANEL_SIDE = 16_384

PanelText = Annotated[str, StringConstraints(pattern=r"^\s*\d{1,5}\s*[xX×]\s*\d{1,5}\s*$")]


def parse_panel(text: str) -> tuple[int, int]:
    """`"256x64"` → (256, 64); raises ValueError with a message fit for a technician."""
    match = PANEL_PATTERN.match(text)
    if not match:
        raise ValueError(f"panel size {text!r} is not WIDTHxHEIGHT, e.g. 128x32")
    width, height = int(match.group(1)), int(match.group(2))
    if not (1 <= width <= MAX_PANEL_SIDE and 1 <= height <= MAX_PANEL_SIDE):
        raise ValueError(f"panel size {text!r}: each side must be 1..{MAX_PANEL_SIDE} pixels")
    return width, height


class WeeklyWindow(Section):
    """A time range on some weekdays; `end` before `start` wraps past midnight."""

    weekdays: list[Weekday] = Field(default_factory=lambda: [1, 2, 3, 4, 5, 6, 7], min_length=1)
    start: time
    end: time


class QuietHours(WeeklyWindow):
    """When the hall is closed: the screen goes dark, or shows a dim clock."""

    mode: Literal["dark", "clock"] = "dark"
    brightness: float = Field(default=0.15, gt=0, le=1, description="level of the dim clock")


class BrightnessRule(WeeklyWindow):
    """Brightness (0..1) during a time range; the first matching rule wins, else `brightness`."""

    level: float = Field(ge=0, le=1)


class ClockZone(Section):
    """An optional clock at one end of the panel, beside the headline area."""

    position: Literal["none", "left", "right"] = "none"
    format: Annotated[str, StringConstraints(min_length=1, max_length=20)] = "%H:%M"
    color: Color = "#40ff80"
    width: int = Field(default=0, ge=0, le=MAX_PANEL_SIDE, description="0 = as wide as the text needs")


class WindowOutput(Section):
    """The borderless window a sending card mirrors to the wall (position on the desktop)."""

    x: int = 0
    y: int = 0
    width: int = Field(default=0, ge=0, le=MAX_PANEL_SIDE, description="0 = panel width")
    height: int = Field(default=0, ge=0, le=MAX_PANEL_SIDE, description="0 = panel height")


class DisplaySection(Section):
    output: str = Field(default="terminal", description="window | terminal | png:DIR | ddp://… | sacn://…")
    panel: PanelText = "128x32"
    fps: float = Field(default=60.0, ge=1, le=240)
    timezone: str | None = Field(default=None, description="IANA zone of the hall; default: system")
    hall_name: Annotated[str, StringConstraints(max_length=200)] = Field(
        default="", description="fallback text when the feed has no hall record"
    )
    font: Path | None = Field(default=None, description="font file; default: the bundled font")
    font_index: int = Field(default=0, ge=0, le=64, description="face in a .ttc collection")
    font_kind: Literal["auto", "pixel", "ui"] = Field(
        default="auto", description="pixel: bitmap font at its native size; auto: pixel below 48 px lines"
    )
    pixel_size: int = Field(default=16, ge=6, le=64, description="native size of the pixel font")
    lines: int = Field(default=1, ge=1, le=8)
    scroll_speed: float = Field(default=32.0, gt=0, le=2000, description="px/s, capped at 1 px per frame")
    dwell_seconds: float = Field(default=8.0, gt=0, le=600)
    foreground: Color = "#ffb000"
    background: Color = "#000000"
    emergency_foreground: Color = "#ff2020"
    brightness: float = Field(default=1.0, ge=0, le=1)
    brightness_schedule: list[BrightnessRule] = Field(default_factory=list, max_length=50)
    quiet_hours: list[QuietHours] = Field(default_factory=list, max_length=50)
    clock: ClockZone = Field(default_factory=ClockZone)
    window: WindowOutput = Field(default_factory=WindowOutput)
    png_every: int = Field(default=1, ge=1, le=100_000, description="png: keep every Nth frame")
    max_bytes_per_second: int = Field(
        default=12_500_000, ge=10_000, description="network budget of ddp/sacn (100 Mbit/s)"
    )
    sync: bool = Field(default=False, description="run an own sync loop instead of sharing the kiosk cache")

    @field_validator("font")
    @classmethod
    def _font_relative_to_config(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        return None if value is None else resolve_path(value, base_dir_of(info))

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise ValueError(
                    f"unknown time zone {value!r} (use an IANA name like Asia/Shanghai)"
                ) from exc
        return value

    @property
    def panel_size(self) -> tuple[int, int]:
        return parse_panel(self.panel)

    def zone(self) -> tzinfo | None:
        return ZoneInfo(self.timezone) if self.timezone else None

    def font_path(self) -> Path:
        """The configured font, else the bundled one that suits the panel."""
        if self.font is not None:
            return self.font
        return assets.led_font() if self.uses_pixel_font() else assets.ui_font()

    def line_height(self) -> int:
        return max(1, self.panel_size[1] // self.lines)

    def uses_pixel_font(self) -> bool:
        if self.font_kind != "auto":
            return self.font_kind == "pixel"
        return self.line_height() < 48


class DisplayConfig(Section):
    feed: FeedConfig | None = None
    device: DeviceConfig = Field(default_factory=lambda: DeviceConfig(id="display-1"))
    display: DisplaySection = Field(default_factory=DisplaySection)
    # One demo TOML may configure both apps; the kiosk's table is its own business.
    kiosk: dict[str, Any] | None = None


def load_display_config(path: Path) -> DisplayConfig:
    """Read and validate a display config file; raises feed.errors.ConfigError with a clear message."""
    return load_config(path, DisplayConfig)
