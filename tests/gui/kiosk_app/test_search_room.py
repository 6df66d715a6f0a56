"""The search screen leaves its results room on every screen: a citizen who types a query sees at
least two whole result rows and the pager, and taps one, in every layout, standard and 长辈模式,
and the keys stay at least the theme's touch target."""

from __future__ import annotations

from pathlib import Path

import pytest
from kivy.core.window import Window
from kivy.uix.widget import Widget

from kiosk.config import demo_config
from kiosk.logic.layout import LAYOUTS
from kiosk.ui.screens.search import SearchScreen
from kiosk.ui.widgets.buttons import KButton
from tests.gui.kiosk_app.kiosk_harness import Kiosk, make_kiosk
from tests.gui.kiosk_app.test_walkthrough import start

QUERY = "b"  # several pages of guides in the demo feed

# (layout, window size): each layout at its own size, and smaller windows a kiosk may be given.
SCREENS = [(name, layout.size) for name, layout in LAYOUTS.items()] + [
    ("tablet", (1280, 720)),
    ("landscape", (1600, 900)),
]


def _window_box(widget: Widget) -> tuple[float, float, float, float]:
    x, y = widget.to_window(widget.x, widget.y)
    return x, y, x + widget.width, y + widget.height


def _inside(inner: Widget, outer: Widget) -> bool:
    ix, iy, ir, it = _window_box(inner)
    ox, oy, orr, ot = _window_box(outer)
    return ix >= ox - 0.5 and iy >= oy - 0.5 and ir <= orr + 0.5 and it <= ot + 0.5


def _whole_rows(screen: SearchScreen) -> list[Widget]:
    """The result rows that lie whole inside the list's visible area and inside the screen."""
    listing = screen.ids.listing
    scroller = listing.ids.scroller
    if listing.opacity == 0 or scroller.height <= 0 or not _inside(scroller, screen):
        return []
    return [row for row in listing.ids.rows.children if row.height > 0 and _inside(row, scroller)]


def _assert_keys_touchable(kiosk: Kiosk, screen: SearchScreen, where: str) -> None:
    touch = kiosk.app.style.touch
    keyboard = screen.ids.keyboard
    assert keyboard.opacity > 0 and _inside(keyboard, screen), where
    keys = [key for row in keyboard.children for key in row.children if isinstance(key, KButton)]
    assert keys, where
    for key in keys:
        assert min(key.size) >= touch - 0.5, (where, key.key, key.size, touch)


def _button_starting(kiosk: Kiosk, text: str) -> KButton | None:
    try:
        found = kiosk.find(lambda w: isinstance(w, KButton) and w.text.startswith(text) and not w.disabled)
    except AssertionError:
        return None
    assert isinstance(found, KButton)
    return found


def _fold_if_offered(kiosk: Kiosk) -> None:
    """Too short for the results beside the keys: the citizen taps 收起键盘 on the query bar."""
    button = _button_starting(kiosk, "收起键盘")
    if button is not None:
        assert button.height >= kiosk.app.style.touch - 0.5, button.size
        kiosk.tap(button)
        kiosk.settle(frames=6)


@pytest.mark.parametrize("elderly", [False, True], ids=["standard", "elderly"])
@pytest.mark.parametrize(("layout", "size"), SCREENS, ids=[f"{n}-{w}x{h}" for n, (w, h) in SCREENS])
def test_a_typed_query_shows_two_whole_rows_to_tap(
    cache_copy: Path, layout: str, size: tuple[int, int], elderly: bool
) -> None:
    config = demo_config(cache_copy)
    test_size = Window.size
    Window.size = size
    kiosk = make_kiosk(cache_copy, config.replace(kiosk=config.kiosk.replace(layout=layout)))
    where = f"{layout} {size} {'长辈模式' if elderly else 'standard'}"
    try:
        assert Window.size == size, "the window must take the screen's size"
        start(kiosk)
        if elderly:
            kiosk.tap(kiosk.app.chrome.footer.ids.elderly)
        kiosk.tap(kiosk.button_with("搜索"))
        screen: SearchScreen = kiosk.app.screen("search")
        kiosk.settle(frames=4)
        _assert_keys_touchable(kiosk, screen, where)
        for key in QUERY:
            kiosk.tap(screen.ids.keyboard.key_button(key))
        kiosk.settle(frames=6)
        listing = screen.ids.listing
        assert listing.total >= 3, where
        assert screen.result_text.startswith("找到"), where
        _fold_if_offered(kiosk)
        rows = _whole_rows(screen)
        assert len(rows) >= 2, (where, len(rows), listing.height, listing.page_size)
        pager = kiosk.button_with("下一页")
        assert _inside(pager, screen) and pager.height >= kiosk.app.style.touch - 0.5, where

        if _button_starting(kiosk, "继续输入"):  # one large tap brings the keyboard back
            kiosk.tap(kiosk.button_with("继续输入"))
            kiosk.settle(frames=6)
            _assert_keys_touchable(kiosk, screen, where)
            kiosk.tap(screen.ids.keyboard.key_button("d"))  # "bd": typing goes on
            kiosk.settle(frames=6)
            assert kiosk.app.search.query == "bd", where
            _fold_if_offered(kiosk)
            rows = _whole_rows(screen)
            assert len(rows) >= 2, where

        first = min(rows, key=lambda row: -row.to_window(row.x, row.y)[1])  # the top row on screen
        kiosk.tap(first)
        assert kiosk.screen in ("guide", "item"), where
        assert first.title in kiosk.texts(), where
    finally:
        kiosk.close()
        Window.size = test_size


def test_a_folded_keyboard_keeps_its_place_through_pages_and_back(cache_copy: Path) -> None:
    """Tablet 长辈模式 from a hot keyword: the citizen folds the keyboard, turns a page, opens a
    result and comes back to the same page, keys still folded and two whole rows on screen."""
    config = demo_config(cache_copy)
    test_size = Window.size
    Window.size = LAYOUTS["tablet"].size
    kiosk = make_kiosk(cache_copy, config.replace(kiosk=config.kiosk.replace(layout="tablet")))
    try:
        start(kiosk)
        kiosk.tap(kiosk.app.chrome.footer.ids.elderly)
        kiosk.tap(kiosk.button_with("搜索"))
        screen: SearchScreen = kiosk.app.screen("search")
        kiosk.tap(kiosk.button_with("不动产"))  # a hot keyword sets the whole query
        kiosk.settle(frames=6)
        assert kiosk.app.search.query == "不动产"
        assert _button_starting(kiosk, "不动产") is None  # the chips gave way to the results
        assert not _whole_rows(screen)  # the results do not fit beside the keys …
        _fold_if_offered(kiosk)  # … so the citizen folds them away
        assert len(_whole_rows(screen)) >= 2
        kiosk.tap(kiosk.button_with("下一页"))
        kiosk.settle(frames=6)
        listing = screen.ids.listing
        page_two = listing.visible_titles()
        assert listing.page == 1 and len(_whole_rows(screen)) >= 2
        kiosk.tap(listing.ids.rows.children[-1])
        assert kiosk.screen in ("guide", "item")
        kiosk.tap(kiosk.app.chrome.footer.ids.back)
        kiosk.settle(frames=6)
        assert kiosk.screen == "search" and listing.page == 1
        assert listing.visible_titles() == page_two and len(_whole_rows(screen)) >= 2
        assert _button_starting(kiosk, "继续输入") is not None
    finally:
        kiosk.close()
        Window.size = test_size


def test_switching_the_theme_on_the_search_screen_refits_it(cache_copy: Path) -> None:
    """长辈模式 turned on over results that fitted beside the keys offers the fold; turned off
    again while folded, the keys come back by themselves (there is room for both)."""
    config = demo_config(cache_copy)
    test_size = Window.size
    Window.size = LAYOUTS["tablet"].size
    kiosk = make_kiosk(cache_copy, config.replace(kiosk=config.kiosk.replace(layout="tablet")))
    try:
        start(kiosk)
        kiosk.tap(kiosk.button_with("搜索"))
        screen: SearchScreen = kiosk.app.screen("search")
        kiosk.tap(screen.ids.keyboard.key_button("b"))
        kiosk.settle(frames=6)
        assert len(_whole_rows(screen)) >= 2 and _button_starting(kiosk, "收起键盘") is None
        kiosk.tap(kiosk.app.chrome.footer.ids.elderly)
        kiosk.settle(frames=6)
        assert _button_starting(kiosk, "收起键盘") is not None
        _fold_if_offered(kiosk)
        assert len(_whole_rows(screen)) >= 2
        kiosk.tap(kiosk.app.chrome.footer.ids.elderly)  # back to the standard theme
        kiosk.settle(frames=6)
        assert _button_starting(kiosk, "继续输入") is None
        _assert_keys_touchable(kiosk, screen, "standard again")
        assert len(_whole_rows(screen)) >= 2
    finally:
        kiosk.close()
        Window.size = test_size


def test_a_window_that_grows_gives_the_keys_back(cache_copy: Path) -> None:
    """A 1280×720 window (folded keys in 长辈模式) resized to 1280×1000: room for both again."""
    config = demo_config(cache_copy)
    test_size = Window.size
    Window.size = (1280, 720)
    kiosk = make_kiosk(cache_copy, config.replace(kiosk=config.kiosk.replace(layout="tablet")))
    try:
        start(kiosk)
        kiosk.tap(kiosk.app.chrome.footer.ids.elderly)
        kiosk.tap(kiosk.button_with("搜索"))
        screen: SearchScreen = kiosk.app.screen("search")
        kiosk.tap(screen.ids.keyboard.key_button("b"))
        kiosk.settle(frames=6)
        _fold_if_offered(kiosk)
        assert screen.keyboard_away and len(_whole_rows(screen)) >= 2
        Window.size = (1280, 1000)
        kiosk.settle(frames=8)
        assert not screen.keyboard_away and _button_starting(kiosk, "继续输入") is None
        _assert_keys_touchable(kiosk, screen, "1280×1000")
        assert len(_whole_rows(screen)) >= 2
    finally:
        kiosk.close()
        Window.size = test_size
