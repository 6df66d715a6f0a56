"""Text to pixels: one strip image per (text, font, colours, line height), rendered once and cached.

A strip is exactly as wide as the text advances; the frame composer slides a window over it.
"""

from __future__ import annotations

from dataclasses import dataclass

from cachetools import LRUCache
from PIL import Image, ImageDraw

from display.render.fonts import FontSpec, load_font, vertical_band

RGB = tuple[int, int, int]

# Kinsoku: these never start a line; their opening partners never end one.
NO_LINE_START = frozenset("，。、；：？！）」』】》〉”’…—·,.;:?!)]}%")
NO_LINE_END = frozenset("（「『【《〈“‘([{")


def hex_rgb(color: str) -> RGB:
    value = int(color.lstrip("#"), 16)
    return (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF


def dim(color: RGB, level: float) -> RGB:
    """`color` at brightness `level` (0..1), rounded like the frame-wide brightness table."""
    if level >= 1.0:
        return color
    red, green, blue = color
    return min(255, round(red * level)), min(255, round(green * level)), min(255, round(blue * level))


@dataclass(frozen=True)
class StripKey:
    text: str
    font: FontSpec
    foreground: RGB
    background: RGB
    height: int


def text_width(text: str, font: FontSpec) -> int:
    return round(load_font(font).getlength(text))


def draw_strip(key: StripKey) -> Image.Image:
    """Render `key.text` on one line, vertically centred on the font's band, as an RGB image."""
    font = load_font(key.font)
    width = max(1, text_width(key.text, key.font))
    top, bottom = vertical_band(key.font)
    mask = Image.new("L", (width, key.height), 0)
    draw = ImageDraw.Draw(mask)
    draw.fontmode = "1" if key.font.pixel else "L"
    baseline_shift = (key.height - (bottom - top)) // 2 - top
    draw.text((0, baseline_shift), key.text, font=font, fill=255)
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
    """Break `text` into at most `max_lines` lines no wider than `width`, or None when it cannot fit.

    Chinese breaks between any two characters; Latin words stay whole when they fit a line. A line
    never starts with closing punctuation nor ends with opening punctuation.
    """
    words = _breakable_units(text)
    lines: list[str] = []
    current = ""
    for unit in words:
        candidate = current + unit
        if text_width(candidate.strip(), font) <= width or not current:
            current = candidate
            continue
        head, carried = _kinsoku_split(current, unit)
        lines.append(head.strip())
        current = carried + unit.lstrip()
    if current.strip():
        lines.append(current.strip())
    if len(lines) > max_lines or any(text_width(line, font) > width for line in lines):
        return None
    return lines


def _breakable_units(text: str) -> list[str]:
    """Split into units a line may break between: single CJK characters, or Latin words with spaces."""
    units: list[str] = []
    for char in text:
        latin = char.isascii() and not char.isspace()
        if latin and units and units[-1][-1:].isascii() and not units[-1][-1:].isspace() and units[-1]:
            units[-1] += char
        else:
            units.append(char)
    return units


def _kinsoku_split(line: str, next_unit: str) -> tuple[str, str]:
    """Move the tail of `line` to the next line when the break would violate kinsoku."""
    carried = ""
    while line and len(line) > 1 and (next_unit[:1] in NO_LINE_START or line[-1] in NO_LINE_END):
        carried = line[-1] + carried
        line = line[:-1]
        next_unit = carried
    return line, carried
