"""Standard and elderly (长辈模式) themes: font sizes, spacing, touch targets and colours.

Sizes are in dp. The elderly theme follows the MIIT ageing-friendly numbers (body ≥ 18 dp, largest
≥ 30 dp, line spacing ≥ 1.3, touch targets ≥ 60 dp, contrast ≥ 4.5:1), with margin to spare.
"""

from __future__ import annotations

from dataclasses import dataclass

Rgb = tuple[int, int, int]


def parse_hex(color: str) -> Rgb:
    """'#1a2b3c' → (26, 43, 60)."""
    raise NotImplementedError


def kivy_rgba(color: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    """'#rrggbb' → (r, g, b, a) in 0..1 as Kivy's `color` properties take it."""
    raise NotImplementedError


def relative_luminance(color: str) -> float:
    raise NotImplementedError


def contrast_ratio(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio of two '#rrggbb' colours (1..21)."""
    raise NotImplementedError


@dataclass(frozen=True)
class FontSizes:
    small: float  # captions, status bar
    body: float  # reading text, list rows
    button: float
    heading: float  # section titles
    title: float  # screen titles (the largest text)


@dataclass(frozen=True)
class Palette:
    background: str
    surface: str  # cards, list rows
    text: str
    text_muted: str  # on background and surface
    primary: str  # buttons, tiles
    on_primary: str
    accent: str  # badges such as 一次办
    on_accent: str
    warning: str  # idle countdown, offline marker
    on_warning: str
    danger: str  # 差评 levels
    on_danger: str
    status_bar: str
    on_status_bar: str

    def text_pairs(self) -> list[tuple[str, str, str]]:
        """(name, foreground, background) for every text colour drawn on every background it meets."""
        raise NotImplementedError


@dataclass(frozen=True)
class Theme:
    name: str
    elderly: bool
    fonts: FontSizes
    line_height: float  # Kivy Label.line_height (multiple of font size)
    touch_target_dp: float  # minimum side of anything tappable
    spacing_dp: float
    padding_dp: float
    palette: Palette

    def scaled(self, factor: float) -> Theme:
        """Fonts and touch targets enlarged by `factor` (values below 1 are treated as 1)."""
        raise NotImplementedError


STANDARD: Theme
ELDERLY: Theme


def theme_for(elderly: bool, scale: float = 1.0) -> Theme:
    raise NotImplementedError
