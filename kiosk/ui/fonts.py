"""The UI font and its fallback. Kivy's text provider has no font fallback of its own: a single face
covers Latin and CJK, and the labels (kiosk/ui/widgets/text.py) draw the few characters it lacks from
the fallback face (the bundled Unifont) through markup, per character."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from kivy.core.text import LabelBase

from feed import led_font, ui_font

if TYPE_CHECKING:
    from feed import Coverage

FONT_NAME = "KioskSans"
FALLBACK_FONT_NAME = "KioskFallback"
_chain: tuple[Coverage | None, Coverage | None] = (None, None)

# Single-face OpenType files that cover Simplified Chinese; used when the bundled subset is missing
# (a developer checkout before `make fonts`). SDL2_ttf renders nothing from the .ttc collections.
_SYSTEM_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/opentype/noto/NotoSansSC-Regular.otf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
_SYSTEM_COLLECTION = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
_SC_FACE_INDEX = 2  # Noto Sans CJK SC inside the collection


def _extracted_from_collection(cache_dir: Path) -> Path | None:
    """Pull the SC face out of the system collection once, when fontTools is installed."""
    target = cache_dir / "NotoSansCJKsc-Regular.otf"
    if target.exists():
        return target
    if not _SYSTEM_COLLECTION.exists():
        return None
    try:
        from fontTools.ttLib import TTCollection
    except ImportError:
        return None
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    TTCollection(str(_SYSTEM_COLLECTION)).fonts[_SC_FACE_INDEX].save(str(partial))
    partial.replace(target)
    return target


def find_ui_font(cache_dir: Path | None = None) -> Path:
    """The bundled subset if present, else a system CJK face; raises when there is none."""
    bundled = ui_font()
    if bundled.exists():
        return bundled
    for candidate in _SYSTEM_CANDIDATES:
        if Path(candidate).exists():
            return Path(candidate)
    home = Path(os.environ.get("KIVY_HOME", Path.home() / ".kivy"))
    extracted = _extracted_from_collection(cache_dir or home / "fonts")
    if extracted is not None:
        return extracted
    raise FileNotFoundError(f"no CJK UI font: expected {bundled}")


def register_ui_font(path: Path | None = None) -> Path:
    """Register the UI font under FONT_NAME and make it Kivy's default, and the fallback font under
    FALLBACK_FONT_NAME; returns the UI font file used."""
    global _chain  # noqa: PLW0603 - the one font chain of the process, set with the fonts
    from feed import coverage_of

    font = path or find_ui_font()
    LabelBase.register(FONT_NAME, str(font))
    LabelBase.register("Roboto", str(font))  # widgets that never set font_name still render CJK
    fallback = led_font()
    if fallback.exists():
        LabelBase.register(FALLBACK_FONT_NAME, str(fallback))
        _chain = (coverage_of(font), coverage_of(fallback))
    else:
        _chain = (None, None)  # nothing to fall back to: draw everything with the UI font
    return font


def font_chain() -> tuple[Coverage | None, Coverage | None]:
    """Coverage of the UI font and of the fallback font (None: unknown, e.g. a system font; such a
    font is asked for every character)."""
    return _chain
