"""A paged list of large rows: one page is fetched at a time and scrolls by touch inside itself.

Pages keep memory flat on a 10,000-item category: only `page_size` rows exist at once, and rows
are reused from page to page. The page shown is part of the screen's route, so 返回 from a row
comes back to it: 上一页 / 下一页 only ask for a page (`on_page_request`); the screen replaces its
route with that page and shows the list from there (`set_source(..., page)`). A touched row sends
its route (`on_select`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from kivy.properties import NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.logic.navigation import Route
from kiosk.ui.kv import load_kv_once
from kiosk.ui.widgets import buttons, text  # noqa: F401 - classes used in the kv rules
from kiosk.ui.widgets.list_row import ListRow, RowData

load_kv_once(__file__)

Fetch = Callable[[int, int], Sequence[RowData]]


class PagedList(BoxLayout):
    page = NumericProperty(0)
    pages = NumericProperty(1)
    total = NumericProperty(0)
    page_size = NumericProperty(8)
    empty_text = StringProperty("暂无内容")
    summary = StringProperty("")

    __events__ = ("on_select", "on_page_request")

    def __init__(self, **kwargs: Any) -> None:
        self._fetch: Fetch = lambda offset, limit: ()
        self._pool: list[ListRow] = []
        super().__init__(**kwargs)

    def set_source(self, total: int, fetch: Fetch, page: int = 0) -> None:
        """Show page `page` (0 first; clamped to the pages there are) of `total` rows from `fetch`."""
        self._fetch = fetch
        self.total = max(0, total)
        self.pages = max(1, -(-self.total // max(1, int(self.page_size))))
        self._show_page(page)

    def _show_page(self, page: int) -> None:
        self.page = min(max(0, page), self.pages - 1)
        size = int(self.page_size)
        rows = list(self._fetch(self.page * size, size)) if self.total else []
        box = self.ids.rows
        box.clear_widgets()
        while len(self._pool) < len(rows):
            row = ListRow()
            row.bind(on_release=self._row_released)
            self._pool.append(row)
        for widget, data in zip(self._pool, rows, strict=False):
            widget.show(data)
            box.add_widget(widget)
        self.ids.scroller.scroll_y = 1
        self.ids.empty.opacity = 0 if rows else 1
        self.summary = f"第 {self.page + 1}/{self.pages} 页　共 {self.total} 条" if self.total else ""

    def next_page(self) -> None:
        if self.page + 1 < self.pages:
            self.dispatch("on_page_request", self.page + 1)

    def previous_page(self) -> None:
        if self.page > 0:
            self.dispatch("on_page_request", self.page - 1)

    def visible_titles(self) -> list[str]:
        return [row.title for row in reversed(self.ids.rows.children)]

    def _row_released(self, row: ListRow) -> None:
        self.dispatch("on_select", row.route)

    def on_select(self, route: Route) -> None:
        pass

    def on_page_request(self, page: int) -> None:  # not on_page: Kivy binds that to `page`
        pass
