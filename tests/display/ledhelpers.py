"""Helpers the display tests share: font paths (Debian packages) and config sections built in code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from display.config import DisplaySection

UNIFONT = Path("/usr/share/fonts/opentype/unifont/unifont.otf")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
NOTO_SC_FACE = 2


def pixel_section(**overrides: Any) -> DisplaySection:
    values: dict[str, Any] = {"font": UNIFONT, "font_kind": "pixel", "panel": "128x32", "fps": 60.0}
    values.update(overrides)
    return DisplaySection.model_validate(values)


def wall_section(**overrides: Any) -> DisplaySection:
    values: dict[str, Any] = {
        "font": NOTO_CJK,
        "font_index": NOTO_SC_FACE,
        "font_kind": "ui",
        "panel": "1920x240",
        "fps": 60.0,
    }
    values.update(overrides)
    return DisplaySection.model_validate(values)
