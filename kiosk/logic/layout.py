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
    page_size: int  # list rows per page at most (fewer when fewer fit: `rows_per_page`)
    # Home: minimum tile and hot-service row heights; the tall portrait screen uses its height for
    # bigger targets instead of leaving the bottom half empty.
    tile_height_dp: int = 0
    hot_row_dp: int = 0
    # Home: rows of "最新公开" (featured items) under the hot services, where the screen has room.
    home_latest: int = 0

    @property
    def qr_min_dp(self) -> int:
        """The smallest square any screen of this layout gives a QR code (a guide's side column
        shrinks its two codes to fit, but never below this); codes are decided for this space."""
        return self.qr_size_dp * 3 // 4


LAYOUTS: dict[str, Layout] = {
    "portrait": Layout(
        name="portrait",
        size=(1080, 1920),
        tile_columns=2,
        hot_columns=2,
        row_height_dp=96,
        font_scale=1.1,
        side_panel=False,
        keyboard_columns=10,
        qr_size_dp=240,
        page_size=12,
        tile_height_dp=170,
        hot_row_dp=100,
        home_latest=3,
    ),
    "landscape": Layout(
        name="landscape",
        size=(1920, 1080),
        tile_columns=4,
        hot_columns=4,
        row_height_dp=88,
        font_scale=1.1,
        side_panel=True,
        keyboard_columns=13,
        qr_size_dp=260,
        page_size=8,
    ),
    "tablet": Layout(
        name="tablet",
        size=(1280, 800),
        tile_columns=4,
        hot_columns=3,
        row_height_dp=72,
        font_scale=1.0,
        side_panel=True,
        keyboard_columns=10,
        qr_size_dp=200,
        page_size=7,
    ),
}


def rows_per_page(room_px: float, row_px: float, most: int) -> int:
    """How many list rows of `row_px` fit whole in `room_px` (both in pixels), at most `most` and
    at least one (a list shorter than one row still shows a row, scrolled)."""
    if row_px <= 0:
        return max(1, most)
    return max(1, min(most, int(room_px // row_px)))


# Width/height at or above which a window counts as a wide (16:9-ish) kiosk screen; tablets are 16:10.
_WIDE_ASPECT = 1.7


def choose_layout(setting: str, window_size: tuple[float, float]) -> Layout:
    """The named layout, or for "auto" the one whose shape fits `window_size` best.

    Auto: taller than wide → portrait; 16:9 or wider → landscape; anything in between (16:10, 4:3,
    small windows) → tablet.
    """
    if setting != "auto":
        try:
            return LAYOUTS[setting]
        except KeyError:
            raise ValueError(f"unknown layout {setting!r}; use auto, portrait, landscape or tablet") from None
    width, height = window_size
    if width <= 0 or height <= 0:
        return LAYOUTS["tablet"]
    if height > width:
        return LAYOUTS["portrait"]
    if width / height >= _WIDE_ASPECT:
        return LAYOUTS["landscape"]
    return LAYOUTS["tablet"]
