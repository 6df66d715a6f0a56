"""Which characters the bundled fonts draw, and the per-character fallback both apps share.

Each bundled font has a `.cmap` file beside it (written by scripts/make_font_subsets.py, checked
against the font by tests/test_fonts.py): the code points it maps, one per line as hexadecimal,
ranges as `4E00-9FEF`. Reading it takes about a millisecond, where parsing the font's cmap table with
fontTools would cost a kiosk ~130 ms before its first frame.

A screen draws a text with its own font first and takes each character that font lacks from the
next font that has it (`font_runs`). A character no bundled font has is drawn as MISSING_MARK (〓,
the mark Chinese typesetting uses for a character the type case lacks) instead of an empty box, and
the publisher's check (`feed/publish/showable.py`) warns about it before publication.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from feed.assets import led_font, ui_font

MISSING_MARK = "\u3013"  # 〓 GETA MARK, in GB2312 (A1FE) and so in every bundled font


class GlyphSource(Protocol):
    """Anything that says whether a font draws a character (a `Coverage`, or the LED's probe)."""

    def has(self, char: str) -> bool: ...


@dataclass(frozen=True)
class Coverage:
    """The code points one font maps, as sorted, disjoint, inclusive ranges."""

    name: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def has(self, char: str) -> bool:
        code = ord(char)
        index = bisect.bisect_right(self.starts, code) - 1
        return index >= 0 and code <= self.ends[index]

    def lacking(self, text: str) -> str:
        """The distinct characters of `text` this font lacks (whitespace never counts), in order."""
        seen: dict[str, None] = {}
        for char in text:
            if char not in seen and not char.isspace() and not self.has(char):
                seen[char] = None
        return "".join(seen)

    @property
    def size(self) -> int:
        return sum(end - start + 1 for start, end in zip(self.starts, self.ends, strict=True))


def cmap_file(font: Path) -> Path:
    return font.with_name(font.name + ".cmap")


def parse_cmap(name: str, text: str) -> Coverage:
    """Parse a `.cmap` listing; raises ValueError naming the bad line."""
    starts: list[int] = []
    ends: list[int] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        first, _, last = line.partition("-")
        try:
            start, end = int(first, 16), int(last or first, 16)
        except ValueError:
            raise ValueError(f"{name}: line {number}: {line!r} is not a code point or range") from None
        if end < start or (ends and start <= ends[-1]):
            raise ValueError(f"{name}: line {number}: {line!r} is not after the previous range")
        starts.append(start)
        ends.append(end)
    return Coverage(name, tuple(starts), tuple(ends))


@lru_cache(maxsize=8)
def coverage_of(font: Path) -> Coverage | None:
    """The coverage listed beside `font`, or None when there is no readable listing (a system or
    configured font): callers then draw everything with that font, as before."""
    try:
        return parse_cmap(font.name, cmap_file(font).read_text(encoding="ascii"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def ui_coverage() -> Coverage | None:
    return coverage_of(ui_font())


def led_coverage() -> Coverage | None:
    return coverage_of(led_font())


def font_runs(text: str, fonts: Sequence[GlyphSource | None]) -> list[tuple[int | None, str]]:
    """Split `text` into runs of (index into `fonts` of the first font that has each character,
    characters). Index None: no font has them; draw MISSING_MARK per character. Whitespace and line
    breaks join the run before them. A font of None (unknown coverage) is taken to have everything.

    `font_runs("王喆", [ui])` → `[(0, "王喆")]`; with a UI font that lacked 喆 and a fallback that has
    it, `[(0, "王"), (1, "喆")]`.
    """
    runs: list[tuple[int | None, str]] = []
    current: int | None = 0
    start = 0
    for position, char in enumerate(text):
        if char.isspace():
            continue
        index: int | None = None
        for number, font in enumerate(fonts):
            if font is None or font.has(char):
                index = number
                break
        if index != current:
            if position > start:
                runs.append((current, text[start:position]))
            current, start = index, position
    if len(text) > start:
        runs.append((current, text[start:]))
    return runs


def needs_fallback(text: str, primary: Coverage | None) -> bool:
    """Whether any character of `text` is missing from `primary` (a quick test before `font_runs`)."""
    if primary is None or text.isascii():
        return False
    return any(not char.isspace() and not primary.has(char) for char in text)
