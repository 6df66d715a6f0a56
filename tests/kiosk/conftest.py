"""Shared fixtures of the kiosk logic tests (pure Python: nothing here may import Kivy)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import ImageFont

from feed.assets import ui_font

_SYSTEM_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


@pytest.fixture(scope="session")
def font_measure() -> Callable[[str], float]:
    """Widths from a real CJK font drawn by FreeType (the bundled subset, or Debian's Noto CJK)."""
    if ui_font().exists():
        font = ImageFont.truetype(str(ui_font()), 24)
    elif _SYSTEM_CJK.exists():
        font = ImageFont.truetype(str(_SYSTEM_CJK), 24, index=2)  # index 2: Noto Sans CJK SC
    else:
        pytest.skip("no CJK font installed (run `make fonts` or install fonts-noto-cjk)")
    return font.getlength
