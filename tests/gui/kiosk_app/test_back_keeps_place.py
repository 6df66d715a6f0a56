"""返回 puts the screen back as the citizen left it: scrolled where they were reading."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui.kiosk_app.kiosk_harness import Kiosk, make_kiosk
from tests.gui.kiosk_app.test_new_snapshot import NEW_SHORT_NAME, renamed_feed, syncer
from tests.gui.kiosk_app.test_walkthrough import start


def open_guide(kiosk: Kiosk) -> object:
    start(kiosk)
    kiosk.tap(kiosk.button_with("办事指南"))
    kiosk.tap(kiosk.app.screen("guides").ids.listing.ids.rows.children[-1])
    screen = kiosk.app.screen("guide")
    screen.finish_building()
    kiosk.settle(frames=6)
    return screen


def test_back_from_rating_a_guide_returns_to_where_the_citizen_was_reading(kiosk: Kiosk) -> None:
    screen = open_guide(kiosk)
    scroller = screen.ids.scroller  # type: ignore[attr-defined]
    assert scroller.children[0].height > scroller.height * 1.5, "the guide must be long enough to scroll"
    scroller.scroll_y = 0.4
    kiosk.settle(frames=2)
    kiosk.tap(kiosk.button_with("评价此事项"))
    assert kiosk.screen == "feedback"
    kiosk.tap(kiosk.app.chrome.footer.ids.back)
    assert kiosk.screen == "guide"
    assert scroller.scroll_y == pytest.approx(0.4, abs=0.01)


def test_back_after_a_new_snapshot_reads_the_screen_again(cache_copy: Path, tmp_path: Path) -> None:
    """New content shows at the next navigation, 返回 included: then the guide is read again."""
    sync = syncer(renamed_feed(tmp_path, cache_copy), cache_copy)
    kiosk = make_kiosk(cache_copy)
    try:
        screen = open_guide(kiosk)
        scroller = screen.ids.scroller  # type: ignore[attr-defined]
        scroller.scroll_y = 0.4
        kiosk.settle(frames=2)
        kiosk.tap(kiosk.button_with("评价此事项"))
        sync()
        kiosk.settle(seconds=1.0)  # the tick polls the store
        kiosk.tap(kiosk.app.chrome.footer.ids.back)
        assert kiosk.screen == "guide" and scroller.scroll_y == 1  # read again, from the top
        assert kiosk.app.chrome.header.hall_name == NEW_SHORT_NAME
    finally:
        kiosk.close()
