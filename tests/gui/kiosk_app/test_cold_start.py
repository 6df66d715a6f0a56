"""Cold start: the first frame already shows the attract screen; everything else is built after it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from kivy.base import EventLoop
from kivy.core.window import Window

from kiosk.ui.screens.registry import SCREEN_MODULES
from tests.gui.kiosk_app.kiosk_harness import Kiosk, make_kiosk


@pytest.fixture
def unsettled(cache_copy: Path) -> Iterator[Kiosk]:
    """A kiosk whose window has not drawn a frame yet."""
    harness = make_kiosk(cache_copy, frames=0)
    try:
        yield harness
    finally:
        harness.close()


def test_first_frame_shows_hall_name_and_clock(unsettled: Kiosk) -> None:
    app = unsettled.app
    assert app.frames_drawn == 0
    EventLoop.idle()
    assert app.frames_drawn == 1
    attract = app.screen("attract")
    hall = unsettled.reader.hall()
    assert hall is not None
    for label, text in ((attract.ids.hall_label, hall.name), (attract.ids.clock_label, None)):
        assert label.text and (text is None or label.text == text)
        assert label.texture is not None and label.texture_size[0] > 0
        x, y = label.to_window(label.x, label.y)
        assert 0 <= x <= Window.width - label.width and 0 <= y <= Window.height - label.height
    assert not app.chrome_built, "the header and footer belong after the first frame"
    assert app.built_screens == {"attract"}


def test_chrome_and_screens_are_built_after_the_first_frame(unsettled: Kiosk) -> None:
    app = unsettled.app
    deadline = time.monotonic() + 20  # one screen per frame, 50 ms apart; slow under load
    while len(app.built_screens) < len(SCREEN_MODULES) and time.monotonic() < deadline:
        unsettled.frames(1)
    assert app.chrome_built
    hall = unsettled.reader.hall()
    assert hall is not None
    assert app.chrome.header.hall_name == (hall.short_name or hall.name)
    assert app.chrome.header.clock == app.screen("attract").clock
    assert app.built_screens == set(SCREEN_MODULES)
    assert unsettled.screen == "attract"


def test_a_touch_before_the_chrome_exists_still_opens_home(unsettled: Kiosk) -> None:
    EventLoop.idle()
    assert not unsettled.app.chrome_built
    unsettled.tap_at(Window.width / 2, Window.height / 2)
    assert unsettled.screen == "home"
    assert unsettled.app.chrome.header.page_title
    assert unsettled.app.chrome.footer.ids.home.get_root_window() is not None
