"""Standard and elderly (长辈模式) themes: font sizes, spacing, touch targets and colours.

Sizes are in dp. The elderly theme follows the MIIT ageing-friendly numbers (body ≥ 18 dp, largest
≥ 30 dp, line spacing ≥ 1.3, touch targets ≥ 60 dp, contrast ≥ 4.5:1), with margin to spare.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass, replace

from feed import parse_hex


def kivy_rgba(color: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    """'#rrggbb' → (r, g, b, a) in 0..1 as Kivy's `color` properties take it."""
    r, g, b = parse_hex(color)
    return r / 255, g / 255, b / 255, alpha


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(color: str) -> float:
    """WCAG 2 relative luminance (0 for black, 1 for white)."""
    r, g, b = parse_hex(color)
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def contrast_ratio(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio of two '#rrggbb' colours (1..21)."""
    a, b = relative_luminance(fg), relative_luminance(bg)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


@dataclass(frozen=True)
class FontSizes:
    small: float  # captions, status bar
    body: float  # reading text, list rows
    button: float
    heading: float  # section titles
    title: float  # screen titles (the largest text)

    def scaled(self, factor: float) -> FontSizes:
        return FontSizes(*(round(size * factor, 1) for size in astuple(self)))


@dataclass(frozen=True)
class Palette:
    background: str
    surface: str  # cards, list rows
    text: str
    text_muted: str  # on background and surface
    primary: str  # buttons, tiles; also heading text
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
        pairs = []
        for fg in ("text", "text_muted", "primary"):
            for bg in ("background", "surface"):
                pairs.append((f"{fg} on {bg}", getattr(self, fg), getattr(self, bg)))
        for fill in ("primary", "accent", "warning", "danger", "status_bar"):
            pairs.append((f"on_{fill} on {fill}", getattr(self, f"on_{fill}"), getattr(self, fill)))
        return pairs


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
        factor = max(1.0, factor)
        if factor == 1.0:
            return self
        return replace(
            self,
            fonts=self.fonts.scaled(factor),
            touch_target_dp=round(self.touch_target_dp * factor, 1),
        )


STANDARD = Theme(
    name="standard",
    elderly=False,
    fonts=FontSizes(small=18, body=22, button=24, heading=26, title=32),
    line_height=1.35,
    touch_target_dp=56,
    spacing_dp=12,
    padding_dp=16,
    palette=Palette(
        background="#f4f6f8",
        surface="#ffffff",
        text="#1b1f24",
        text_muted="#4d5661",
        primary="#a8151b",  # the red of government service portals, dark enough for white text
        on_primary="#ffffff",
        accent="#1f6b35",
        on_accent="#ffffff",
        warning="#8a4a00",
        on_warning="#ffffff",
        danger="#a11212",
        on_danger="#ffffff",
        status_bar="#232a31",
        on_status_bar="#ffffff",
    ),
)

# 长辈模式: bigger everything, pure black on white, darker fills.
ELDERLY = Theme(
    name="elderly",
    elderly=True,
    fonts=FontSizes(small=24, body=28, button=30, heading=32, title=40),
    line_height=1.5,
    touch_target_dp=72,
    spacing_dp=16,
    padding_dp=20,
    palette=Palette(
        background="#ffffff",
        surface="#fdf6e3",
        text="#000000",
        text_muted="#2e2e2e",
        primary="#8c0a10",
        on_primary="#ffffff",
        accent="#0f4f22",
        on_accent="#ffffff",
        warning="#6b3900",
        on_warning="#ffffff",
        danger="#850000",
        on_danger="#ffffff",
        status_bar="#000000",
        on_status_bar="#ffffff",
    ),
)


def theme_for(elderly: bool, scale: float = 1.0) -> Theme:
    """The theme for the session's mode; `scale` (≥ 1) enlarges it (layout or config)."""
    return (ELDERLY if elderly else STANDARD).scaled(scale)
