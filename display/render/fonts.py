"""Choosing and loading the font for a panel, its fallback, and telling whether a font can draw a text.

A pixel font (GNU Unifont) is drawn at its native size with anti-aliasing off, so every glyph lands
on whole LEDs. A big wall gets the UI font at the largest size whose ascent+descent fits a line.
A character the panel's font lacks is drawn from the other bundled font (`fallback_for`), as the
kiosk does (`feed.screen.glyphs.font_runs`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from feed import ConfigError, led_font, ui_font

# Private-use code point of plane 16: no font we ship or fall back to draws it, so it yields .notdef.
_SURELY_MISSING = "\U0010fffd"


@dataclass(frozen=True)
class FontSpec:
    path: Path
    size: int
    index: int = 0
    pixel: bool = False  # True: no anti-aliasing, native size only


@lru_cache(maxsize=32)
def load_font(spec: FontSpec) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(str(spec.path), spec.size, index=spec.index)
    except OSError as exc:
        hint = " (a bitmap font only works at its native pixel size)" if "pixel size" in str(exc) else ""
        raise ConfigError(f"font {spec.path} (size {spec.size}, face {spec.index}): {exc}{hint}") from exc


# Ink of these spans what headlines draw: a full CJK box, a descender and an accented capital.
_REFERENCE_INK = "国gÅ"


def vertical_band(spec: FontSpec) -> tuple[int, int]:
    """(top, bottom) of the ink a line may use, relative to the drawing origin.

    A pixel font uses its whole cell (its glyphs are designed on it); an outline font its reference
    ink, so big walls are filled by the letters rather than by the font's line gap.
    """
    font = load_font(spec)
    if spec.pixel:
        ascent, descent = font.getmetrics()
        return 0, int(ascent + descent)
    _, top, _, bottom = font.getbbox(_REFERENCE_INK)
    return int(top), int(bottom)


def fit_ui_font(path: Path, line_height: int, index: int = 0) -> FontSpec:
    """The largest size of an outline font whose reference ink fills at most 90 % of a line."""
    low, high = 6, max(6, line_height * 2)
    while low < high:
        middle = (low + high + 1) // 2
        top, bottom = vertical_band(FontSpec(path, middle, index))
        if bottom - top <= line_height * 0.9:
            low = middle
        else:
            high = middle - 1
    return FontSpec(path, low, index, pixel=False)


def _glyph_mask(font: ImageFont.FreeTypeFont, char: str, pixel: bool) -> tuple[int, int, bytes]:
    left, top, right, bottom = font.getbbox(char, mode="1" if pixel else "L")
    width, height = max(1, int(right - left)), max(1, int(bottom - top))
    image = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(image)
    draw.fontmode = "1" if pixel else "L"
    draw.text((-left, -top), char, font=font, fill=255)
    return width, height, image.tobytes()


@lru_cache(maxsize=8192)
def _is_missing(spec: FontSpec, char: str) -> bool:
    font = load_font(spec)
    if char.isspace():
        return False
    mask = _glyph_mask(font, char, spec.pixel)
    if not any(mask[2]):
        return True  # a printable character drawn as nothing
    return mask == _glyph_mask(font, _SURELY_MISSING, spec.pixel)


@dataclass(frozen=True)
class GlyphProbe:
    """Whether a font draws a character, asked of the font itself as Pillow renders it (works for any
    configured font, bundled or not). Has the `has` of `feed.screen.glyphs.Coverage`."""

    spec: FontSpec

    def has(self, char: str) -> bool:
        return not _is_missing(self.spec, char)


@lru_cache(maxsize=32)
def fallback_for(spec: FontSpec) -> FontSpec | None:
    """The font for characters `spec` lacks: the bundled UI font for the pixel font (its ink fitted to
    the pixel font's line), the bundled pixel font for an outline font (at the largest multiple of
    its 16-px grid not above the outline font's size). None when that file is missing or is `spec`."""
    if spec.pixel:
        path = ui_font()
        other = fit_ui_font(path, spec.size) if path.is_file() and path != spec.path else None
    else:
        path = led_font()
        other = FontSpec(path, max(16, spec.size // 16 * 16), pixel=True)
        other = other if path.is_file() and path != spec.path else None
    return other
