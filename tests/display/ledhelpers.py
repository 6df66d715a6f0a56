"""Helpers the display tests share: the bundled fonts and config sections built in code.

The bundled subsets (not system fonts) so the tests run, and never skip, on a bare machine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from display.config import DisplaySection
from feed.assets import led_font, ui_font
from feed.config import validate

UNIFONT: Path = led_font()
NOTO_CJK: Path = ui_font()
NOTO_SC_FACE = 0  # the subset is a single face, not a collection


def pixel_section(**overrides: Any) -> DisplaySection:
    values: dict[str, Any] = {"font": UNIFONT, "font_kind": "pixel", "panel": "128x32", "fps": 60.0}
    values.update(overrides)
    return validate(values, DisplaySection, origin="test")


def wall_section(**overrides: Any) -> DisplaySection:
    values: dict[str, Any] = {
        "font": NOTO_CJK,
        "font_index": NOTO_SC_FACE,
        "font_kind": "ui",
        "panel": "1920x240",
        "fps": 60.0,
    }
    values.update(overrides)
    return validate(values, DisplaySection, origin="test")
