"""Search: an A–Z / 0–9 keyboard (pinyin initials or full pinyin), hot keywords, live results.

The results always get room for two whole rows and the pager. Hot keywords show only before a
query. Where the screen is still too short for the results beside the keyboard (a tablet in
长辈模式, a small window), 收起键盘 on the query bar (and a large button in the results' place)
folds the keyboard away; 继续输入, in the same place on the bar, brings it back. Nothing folds by
itself: a key tapped must never land on a result that moved under the finger.
"""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from feed import SearchHit
from kiosk.logic.navigation import Route
from kiosk.logic.search import keyboard_crowds_results
from kiosk.ui.kv import load_kv_once
from kiosk.ui.screens.base import BaseScreen
from kiosk.ui.widgets import keyboard, paged_list  # noqa: F401 - classes used in the kv rules
from kiosk.ui.widgets.buttons import KButton
from kiosk.ui.widgets.keyboard import BACKSPACE, CLEAR
from kiosk.ui.widgets.list_row import RowData

load_kv_once(__file__)

KIND_TEXT = {"guide": "办事指南", "item": "公开信息"}


def hit_row(hit: SearchHit) -> RowData:
    """A result row; it opens the hit's own screen (the `guide` or the `item` screen)."""
    return RowData(Route(hit.kind, {"id": hit.id}), hit.title, KIND_TEXT.get(hit.kind, ""))


class SearchScreen(BaseScreen):
    query = StringProperty("")
    result_text = StringProperty("")
    show_chips = BooleanProperty(True)  # hot keywords: only before a query
    keyboard_px = NumericProperty(0)  # the keyboard's height, keys at the touch target (kv)
    keyboard_folded = BooleanProperty(False)  # the citizen folded the keyboard to read results
    fold_offered = BooleanProperty(False)  # too short for both: 收起键盘 instead of the results
    keyboard_away = BooleanProperty(False)  # the keyboard is folded: the results, and 继续输入
    fold_text = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.page_title = "搜索"
        self._redraw = Clock.create_trigger(self._show_results, 0)
        self._listening = False
        self._chips_built = False
        self._refit = Clock.create_trigger(self._fit, 0)
        self.bind(height=self._refit, keyboard_px=self._refit, keyboard_folded=self._refit)
        self.ids.head.bind(height=self._refit)
        self.ids.listing.bind(row_style=self._refit, room=self._refit)

    def enter(self, route: Route) -> None:
        super().enter(route)
        search = self.host.search
        if not self._listening:
            search.add_listener(lambda _state: self._redraw())
            self._listening = True
        if not self._chips_built:
            for word in self.host.kiosk_config.kiosk.hot_keywords:
                chip = KButton(text=word, key=word, kind="chip", size_hint_x=None)
                chip.bind(texture_size=lambda b, s: setattr(b, "width", s[0] + self.host.style.padding * 2))
                chip.bind(on_release=lambda b: self.host.search.set_query(b.key))
                self.ids.hot.add_widget(chip)
            self._chips_built = True
        search.refresh()
        self._show_results()

    def press(self, key: str) -> None:
        search = self.host.search
        if key == BACKSPACE:
            search.backspace()
        elif key == CLEAR:
            search.clear()
        else:
            search.type_key(key)

    def _show_results(self, *_: object) -> None:
        search = self.host.search
        page = int(self.route.param("page", 0)) if self.route is not None else 0
        if page and search.query != self.query:  # a new query starts on its first page
            self.host.replace(Route("search"))
            return
        self.query = search.query
        rows = [hit_row(hit) for hit in search.results]
        listing = self.ids.listing
        listing.empty_text = (
            "没有找到相关内容，换个关键词试试"
            if self.query
            else "请用下方键盘输入拼音首字母，例如 bdc 查找“不动产”"
        )
        listing.set_source(len(rows), lambda offset, limit: rows[offset : offset + limit], page)
        self.result_text = f"找到 {len(rows)} 条" if self.query else ""
        self.show_chips = not self.query
        self.fold_text = f"收起键盘，查看 {len(rows)} 条结果"
        self._fit()

    def fold_keyboard(self, folded: bool) -> None:
        """收起键盘 (True) to read the results, 继续输入 (False) to type on."""
        self.keyboard_folded = folded

    def _fit(self, *_: object) -> None:
        """Decide what shares the height under the query bar: the results with the keyboard where
        both fit, else the keyboard with the fold button, or the results with 继续输入."""
        body, listing = self.ids.body, self.ids.listing
        room = body.height - body.padding[1] - body.padding[3] - body.spacing * 2 - self.ids.head.height
        pager = listing.height - listing.room  # the pager bar the list keeps for itself
        crowded = bool(self.host.search.results) and keyboard_crowds_results(
            room, self.keyboard_px, 2 * listing.row_height() + pager
        )
        if not crowded:  # the keys are back by themselves: a later result must not fold them away
            self.keyboard_folded = False
        self.fold_offered = crowded and not self.keyboard_folded
        self.keyboard_away = crowded and self.keyboard_folded

    def forget(self) -> None:
        self.query = ""
        self.result_text = ""
        self.keyboard_folded = False
