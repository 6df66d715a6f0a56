"""Locating the bundled assets (fonts, demo feed content, demo key)."""

from __future__ import annotations

import os
from pathlib import Path


def assets_dir() -> Path:
    """`assets/` of the source tree, or HALL_KIOSK_ASSETS when the code is installed elsewhere."""
    override = os.environ.get("HALL_KIOSK_ASSETS")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "assets"


def ui_font() -> Path:
    return assets_dir() / "fonts" / "NotoSansSC-Subset.ttf"


def led_font() -> Path:
    return assets_dir() / "fonts" / "unifont-subset.otf"
