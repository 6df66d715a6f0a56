"""Text to pixels: one strip image per (text, font, colours, line height), rendered once and cached.

A strip is exactly as wide as the text advances; the frame composer slides a window over it. A
character the font lacks is drawn from its fallback font (`fonts.fallback_for`), and one no font
has as 〓, never as an empty box; the per-character choice is `feed.screen.glyphs.font_runs`, as on the kiosk.
"""

from __future__ import annotations

from dataclasses import dataclass

from cachetools import LRUCache
from PIL import Image, ImageDraw

from display.render.fonts import FontSpec, GlyphProbe, fallback_for, load_font, vertical_band
from feed import MISSING_MARK, Rgb, font_runs, wrap_cjk


def dim(color: Rgb, level: float) -> Rgb:
    """`color` at brightness `level` (0..1), rounded like the frame-wide brightness table."""
    if level >= 1.0:
        return color
    red, green, blue = color
    return min(255, round(red * level)), min(255, round(green * level)), min(255, round(blue * level))


@dataclass(frozen=True)
class StripKey:
    text: str
    font: FontSpec
    foreground: Rgb
    background: Rgb
    height: int


def _chain(font: FontSpec) -> list[FontSpec]:
    fallback = fallback_for(font)
    return [font] if fallback is None else [font, fallback]


def font_chain_runs(text: str, font: FontSpec) -> list[tuple[FontSpec, str]]:
    """`text` as runs of (font to draw them with, characters): `font` where it has the characters, its
    fallback where only that has them, and 〓 in `font` for a character neither has."""
    chain = _chain(font)
    runs = []
    for index, run in font_runs(text, [GlyphProbe(spec) for spec in chain]):
        if index is None:
            runs.append((font, "".join(c if c.isspace() else MISSING_MARK for c in run)))
        else:
            runs.append((chain[index], run))
    return runs


def undrawable(text: str, font: FontSpec) -> str:
    """The distinct characters of `text` neither `font` nor its fallback has (each drawn as 〓)."""
    runs = font_runs(text, [GlyphProbe(spec) for spec in _chain(font)])
    return "".join(dict.fromkeys(c for index, run in runs if index is None for c in run if not c.isspace()))


def text_width(text: str, font: FontSpec) -> int:
    return round(sum(load_font(spec).getlength(run) for spec, run in font_chain_runs(text, font)))


def draw_strip(key: StripKey) -> Image.Image:
    """Render `key.text` on one line, each run vertically centred on its font's band, as an RGB image."""
    width = max(1, text_width(key.text, key.font))
    mask = Image.new("L", (width, key.height), 0)
    draw = ImageDraw.Draw(mask)
    draw.fontmode = "1" if key.font.pixel else "L"  # a pixel panel stays crisp in its fallback too
    x = 0.0
    for spec, run in font_chain_runs(key.text, key.font):
        font = load_font(spec)
        top, bottom = vertical_band(spec)
        draw.text((round(x), (key.height - (bottom - top)) // 2 - top), run, font=font, fill=255)
        x += font.getlength(run)
    strip = Image.new("RGB", (width, key.height), key.background)
    strip.paste(key.foreground, (0, 0, width, key.height), mask)
    return strip


class StripCache:
    """Bounded LRU of rendered strips: a rotation of a few dozen headlines never re-renders."""

    def __init__(self, maxsize: int = 128) -> None:
        self._strips: LRUCache[StripKey, Image.Image] = LRUCache(maxsize=maxsize)
        self.renders = 0

    def get(self, key: StripKey) -> Image.Image:
        strip = self._strips.get(key)
        if strip is None:
            strip = draw_strip(key)
            self.renders += 1
            self._strips[key] = strip
        return strip


def wrap(text: str, font: FontSpec, width: int, max_lines: int) -> list[str] | None:
    """Break `text` into at most `max_lines` lines no wider than `width` pixels, or None when it
    cannot fit; by the line-breaking rules every screen follows (`feed.screen.line_breaking`)."""
    lines = wrap_cjk(text, width, lambda run: text_width(run, font))
    if len(lines) > max_lines or any(text_width(line, font) > width for line in lines):
        return None
    return lines
