"""The `window` output driver in a real Kivy window (under Xvfb): what it shows is the rendered frame."""

from __future__ import annotations

import os

import pytest
from PIL import Image

from display.config import DisplaySection, WindowOutput
from display.drivers.window import WindowDriver
from display.render.setup import build_renderer
from feed.assets import led_font

UNIFONT = led_font()

pytestmark = pytest.mark.gui


@pytest.mark.skipif(
    not os.environ.get("DISPLAY"), reason="needs a display (run under scripts/with-display.sh)"
)
def test_window_driver_shows_the_rendered_frame_scaled_with_square_pixels() -> None:
    section = DisplaySection(panel="128x32", font=UNIFONT, font_kind="pixel")
    renderer = build_renderer(section)
    program = renderer.text_program("欢迎来到大厅", (255, 176, 0), dwell=8.0)
    frame = program.frame(0.0).copy()
    assert not program.scrolls and frame.getbbox() is not None

    driver = WindowDriver(WindowOutput(x=10, y=20, width=512, height=128))  # 4x scale
    driver.open(128, 32, 30.0)
    try:
        for _ in range(3):  # a few turns of the event loop, as the player would
            driver.send(frame)
        shot = driver.screenshot()
    finally:
        driver.close()
    assert driver.frames_shown == 3
    assert shot.size == (512, 128)
    # Every panel pixel is a 4x4 block of the same colour in the window (nearest filtering).
    expected = frame.resize((512, 128), Image.Resampling.NEAREST)
    mismatches = sum(
        1
        for a, b in zip(shot.getdata(), expected.getdata(), strict=True)
        if max(abs(x - y) for x, y in zip(a, b, strict=True)) > 8
    )
    assert mismatches == 0
