"""Screen layouts: portrait kiosk 1080×1920, landscape kiosk 1920×1080, tablet 1280×800."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

LayoutName = Literal["portrait", "landscape", "tablet"]


@dataclass(frozen=True)
class Layout:
    name: LayoutName
    size: tuple[int, int]  # design size in px (width, height)
    tile_columns: int  # home tiles per row
    hot_columns: int  # hot-service buttons per row
    row_height_dp: int  # list rows (standard mode; elderly rows use the theme's touch target if taller)
    font_scale: float  # multiplies the theme's font sizes (≥ 1: never below the theme's minimums)
    side_panel: bool  # detail screens put the QR codes in a side column (wide screens)
    keyboard_columns: int  # keys per row on the search keyboard
    qr_size_dp: int
    page_size: int  # list rows per page


LAYOUTS: dict[str, Layout] = {}


def choose_layout(setting: str, window_size: tuple[float, float]) -> Layout:
    """The named layout, or for "auto" the one whose shape fits `window_size` best."""
    raise NotImplementedError
