"""Colours as the feed and the configs write them ("#rrggbb"), turned into what a screen draws with."""

from __future__ import annotations

import re

from feed.format.patterns import HEX_COLOUR_PATTERN

Rgb = tuple[int, int, int]

_HEX_COLOUR = re.compile(HEX_COLOUR_PATTERN)


def parse_hex(color: str) -> Rgb:
    """'#1a2b3c' → (26, 43, 60), each channel 0..255; ValueError for anything but '#rrggbb'."""
    if not _HEX_COLOUR.match(color):
        raise ValueError(f"not a #rrggbb colour: {color!r}")
    value = int(color[1:], 16)
    return (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF
