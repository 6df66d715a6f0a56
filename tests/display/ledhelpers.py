"""Helpers the display tests share: the bundled fonts and config sections built in code.

The bundled subsets (not system fonts) so the tests run, and never skip, on a bare machine."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from display.config import DisplaySection
from display.render.fonts import FontSpec, GlyphProbe
from feed import Hall, Headline
from feed.assets import led_font, ui_font
from feed.config import validate

UNIFONT: Path = led_font()
NOTO_CJK: Path = ui_font()
NOTO_SC_FACE = 0  # the subset is a single face, not a collection


def pixel_section(**overrides: Any) -> DisplaySection:
    values: dict[str, Any] = {"font": UNIFONT, "font_kind": "pixel", "panel": "128x32", "fps": 60.0}
    values.update(overrides)
    return validate(values, DisplaySection, origin="test")


def wall_section(**overrides: Any) -> DisplaySection:
    values: dict[str, Any] = {
        "font": NOTO_CJK,
        "font_index": NOTO_SC_FACE,
        "font_kind": "ui",
        "panel": "1920x240",
        "fps": 60.0,
    }
    values.update(overrides)
    return validate(values, DisplaySection, origin="test")


def write_display_config(
    path: Path, *, source: str, cache: str, frames: Path, sync: bool, every: int, timeout: float = 20
) -> Path:
    """A hall-display config file: a 128x32 pixel panel at 30 fps writing every `every`-th frame as a
    PNG into `frames`, the feed key beside the file as hall.pub, device led-test."""
    path.write_text(
        f'[feed]\nsource = "{source}"\ncache_dir = "{cache}"\npubkey = "hall.pub"\n'
        f"timeout_seconds = {timeout}\n\n"
        f'[device]\nid = "led-test"\n\n'
        f'[display]\nsync = {"true" if sync else "false"}\noutput = "png:{frames}?every={every}"\n'
        f'panel = "128x32"\nfps = 30\nfont = "{UNIFONT}"\nfont_kind = "pixel"\ntimezone = "Asia/Shanghai"\n',
        encoding="utf-8",
    )
    return path


def missing_glyphs(spec: FontSpec, text: str) -> list[str]:
    """Characters of `text` the font itself would draw as an empty box (tofu) or not at all."""
    probe = GlyphProbe(spec)
    return [char for char in dict.fromkeys(text) if not probe.has(char)]


class StaticSource:
    """Headlines held in memory; replacing them bumps the version like a new snapshot would."""

    def __init__(self, headlines: Iterable[Headline] = (), hall: Hall | None = None) -> None:
        self._lock = threading.Lock()
        self._headlines = list(headlines)
        self._hall = hall
        self._version = 1

    def replace(self, headlines: Iterable[Headline], hall: Hall | None = None) -> None:
        with self._lock:
            self._headlines = list(headlines)
            self._hall = hall if hall is not None else self._hall
            self._version += 1

    def headlines(self) -> list[Headline]:
        with self._lock:
            return list(self._headlines)

    def hall(self) -> Hall | None:
        with self._lock:
            return self._hall

    def snapshot_version(self) -> int:
        with self._lock:
            return self._version
