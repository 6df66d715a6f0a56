"""A citizen's paths through the kiosk, with real touches on a real window over the demo store."""

from __future__ import annotations

from pathlib import Path

from kivy.core.window import Window
from kivy.uix.scrollview import ScrollView

from kiosk.config import demo_config
from tests.gui.kiosk_app.kiosk_harness import Kiosk, make_kiosk, walk


def start(kiosk: Kiosk) -> None:
    assert kiosk.screen == "attract"
    assert "请触摸屏幕开始查询" in kiosk.texts()
    kiosk.tap_at(Window.width / 2, Window.height / 2)
    assert kiosk.screen == "home"


def test_home_to_guide_detail_and_back(kiosk: Kiosk) -> None:
    start(kiosk)
    kiosk.tap(kiosk.button_with("办事指南"))
    assert kiosk.screen == "guides"
    listing = kiosk.app.screen("guides").ids.listing
    hot_titles = [g.title for g in kiosk.reader.guides(hot_only=True, limit=200)]
    shown = listing.visible_titles()
    assert shown and shown == hot_titles[: len(shown)]

    first_row = listing.ids.rows.children[-1]
    kiosk.tap(first_row)
    assert kiosk.screen == "guide"
    guide = next(g for g in kiosk.reader.guides(hot_only=True, limit=200) if g.title == shown[0])
    full = kiosk.reader.guide(guide.id)
    assert full is not None
    texts = kiosk.texts()
    assert full.title in texts
    screen = kiosk.app.screen("guide")
    assert "申请材料" in screen.section_titles() and "办理流程" in screen.section_titles()
    # its own page on the portal, or else its page on the hall's phone site (config/demo.toml)
    phone_page = f"https://zwfw.qinghe.example/feed/m/g/{full.id}.html"
    assert screen.ids.guide_qr.url == (full.guide_url or phone_page)

    kiosk.tap(kiosk.app.chrome.footer.ids.back)
    assert kiosk.screen == "guides"
    assert listing.visible_titles() == shown
    kiosk.tap(kiosk.app.chrome.footer.ids.home)
    assert kiosk.screen == "home"


def test_pinyin_query_typed_on_the_keyboard(kiosk: Kiosk) -> None:
    start(kiosk)
    kiosk.tap(kiosk.button_with("搜索"))
    assert kiosk.screen == "search"
    keyboard = kiosk.app.screen("search").ids.keyboard
    for key in "bdc":
        kiosk.tap(keyboard.key_button(key))
    kiosk.settle(frames=4)
    assert kiosk.app.screen("search").ids.query_label.text.startswith("BDC")
    titles = kiosk.app.screen("search").ids.listing.visible_titles()
    assert titles, "no results on screen"
    assert titles[0].startswith("不动产")
    assert all(title in kiosk.texts() for title in titles)

    kiosk.tap(keyboard.key_button("backspace"))
    kiosk.tap(keyboard.key_button("backspace"))
    kiosk.tap(keyboard.key_button("backspace"))
    assert kiosk.app.search.query == ""
    assert kiosk.app.screen("search").ids.listing.visible_titles() == []


def test_rating_is_committed_before_the_reference_shows(kiosk: Kiosk) -> None:
    start(kiosk)
    kiosk.tap(kiosk.button_with("好差评 / 意见建议"))
    assert kiosk.screen == "feedback"
    screen = kiosk.app.screen("feedback")
    level_two = next(b for b in screen.ids.levels.children if b.key == "2")
    kiosk.tap(level_two)
    assert level_two.selected
    kiosk.tap(screen.ids.submit)
    assert screen.ids.problem.text, "a bad review without a reason must be refused"
    assert kiosk.outbox.depth() == 0

    chip = screen.ids.chips.children[-1]
    kiosk.tap(chip)
    assert chip.selected or any(c.selected for c in screen.ids.chips.children)
    for digit in "13800138000":
        kiosk.tap(screen.ids.digits.key_button(digit))
    assert screen.ids.phone.text == "138 0013 8000"
    kiosk.tap(screen.ids.submit)

    assert screen.done
    pending = kiosk.outbox.pending()
    assert len(pending) == 1
    assert pending[0].kind == "rating" and pending[0].payload["phone"] == "13800138000"
    assert screen.ids.reference.text == f"受理编号：{pending[0].reference}"
    assert screen.ids.reference.text in kiosk.texts()


def test_idle_timeout_counts_down_then_forgets_the_citizen(kiosk: Kiosk) -> None:
    start(kiosk)
    kiosk.tap(kiosk.button_with("长辈模式"))
    assert kiosk.app.session.elderly
    kiosk.tap(kiosk.app.chrome.footer.ids.home)
    kiosk.tap(kiosk.button_with("搜索"))
    kiosk.tap(kiosk.app.screen("search").ids.keyboard.key_button("s"))
    assert kiosk.app.search.query == "s"

    settings = kiosk.app.kiosk_config.kiosk
    kiosk.clock.now += settings.idle_seconds - settings.idle_warning_seconds + 1
    assert kiosk.settle_until(lambda: kiosk.app.chrome.countdown.opacity == 1)
    assert "您还在使用吗？" in kiosk.texts()
    seconds = int(kiosk.app.chrome.countdown.ids.seconds_label.text)
    assert 0 < seconds <= settings.idle_warning_seconds

    kiosk.clock.now += settings.idle_warning_seconds
    assert kiosk.settle_until(lambda: kiosk.screen == "attract")
    assert kiosk.app.chrome.countdown.opacity == 0
    assert not kiosk.app.session.elderly
    assert kiosk.app.search.query == ""
    assert not kiosk.app.style.elderly


def test_a_touch_during_the_countdown_keeps_the_session(kiosk: Kiosk) -> None:
    start(kiosk)
    settings = kiosk.app.kiosk_config.kiosk
    kiosk.clock.now += settings.idle_seconds - settings.idle_warning_seconds + 1
    assert kiosk.settle_until(lambda: kiosk.app.chrome.countdown.opacity == 1)
    kiosk.tap_at(Window.width / 2, Window.height / 4)
    assert kiosk.app.chrome.countdown.opacity == 0
    kiosk.clock.now += settings.idle_warning_seconds
    kiosk.settle(seconds=1.2)  # more than two idle ticks: the session would have ended by now
    assert kiosk.screen == "home"


def test_citizen_cannot_leave_but_staff_can_reach_status(kiosk: Kiosk) -> None:
    start(kiosk)
    assert Window.dispatch("on_keyboard", 27, 41, None, []) is True  # Escape swallowed
    assert Window.dispatch("on_keyboard", 285, 0, None, ["alt"]) is True  # Alt+F4 swallowed
    assert Window.dispatch("on_request_close") is True  # the window manager's close is refused
    assert kiosk.screen == "home"

    # The demo pattern: top-left, top-right, top-left, bottom-right (no PIN in demo mode).
    w, h = Window.width, Window.height
    for x, y in ((5, h - 5), (w - 5, h - 5), (5, h - 5), (w - 5, 5)):
        kiosk.tap_at(x, y)
    assert kiosk.screen == "admin"
    texts = kiosk.texts()
    assert "demo-kiosk" in texts
    assert any(str(kiosk.reader.status().sequence) in t for t in texts)


def test_wrapped_titles_keep_punctuation_with_their_words(kiosk: Kiosk) -> None:
    """Hot-service buttons narrower than their titles: the drawn lines obey kinsoku rules."""
    from feed.screen.line_breaking import CLOSING_PUNCTUATION, OPENING_PUNCTUATION
    from kiosk.ui.widgets.text import KinsokuLabel

    start(kiosk)
    buttons = list(kiosk.app.screen("home").ids.hot.children)
    assert buttons
    drawn = {
        button.text: button._label.text.split("\n") for button in buttons if isinstance(button, KinsokuLabel)
    }
    wrapped = {title: lines for title, lines in drawn.items() if len(lines) > 1}
    assert wrapped, "the demo has hot-service titles longer than a tablet button"
    for title, lines in wrapped.items():
        assert "".join(lines) == title  # nothing lost or added but the breaks
        assert not any(line[0] in CLOSING_PUNCTUATION for line in lines[1:]), lines
        assert not any(line[-1] in OPENING_PUNCTUATION for line in lines[:-1]), lines


def test_tall_home_lists_the_latest_disclosures_and_opens_one(cache_copy: Path) -> None:
    config = demo_config(cache_copy)
    config = config.replace(kiosk=config.kiosk.replace(layout="portrait"))
    kiosk = make_kiosk(cache_copy, config)
    try:
        start(kiosk)
        home = kiosk.app.screen("home")
        featured = kiosk.reader.featured_items(3)
        rows = list(reversed(home.ids.latest.children))
        assert featured and [row.title for row in rows] == [item.title for item in featured]
        assert "最新公开" in kiosk.texts()
        scroller = next(w for w in walk(home) if isinstance(w, ScrollView))
        scroller.scroll_y = 0  # the window here is 1280×800, shorter than a portrait kiosk
        kiosk.settle(frames=4)
        kiosk.tap(rows[0])
        assert kiosk.screen == "item"
        assert featured[0].title in kiosk.texts()

        kiosk.tap(kiosk.app.chrome.footer.ids.home)
        kiosk.tap(kiosk.button_with("长辈模式"))
        assert home.ids.latest_panel.height == 0 and "最新公开" not in kiosk.texts()
    finally:
        kiosk.close()


def test_wide_home_keeps_to_tiles_and_hot_services(kiosk: Kiosk) -> None:
    start(kiosk)
    assert kiosk.app.screen("home").latest_count == 0
    assert "最新公开" not in kiosk.texts() and "热门服务" in kiosk.texts()
