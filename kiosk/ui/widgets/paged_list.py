"""A paged list of large rows: one page is fetched at a time and scrolls by touch inside itself.

Pages keep memory flat on a 10,000-item category: only `page_size` rows exist at once, and rows
are reused from page to page. A page holds the rows that fit whole in the list's height (a row with
a one-line title and meta line, measured in the current style), at most the layout's `most_rows`:
a citizen sees every row of a page without scrolling, in every layout and in 长辈模式. The page
shown is part of the screen's route, so 返回 from a row comes back to it: 上一页 / 下一页 only ask
for a page (`on_page_request`); the screen replaces its route with that page and shows the list
from there (`set_source(..., page)`). A touched row sends its route (`on_select`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from kivy.clock import Clock
from kivy.properties import ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label

from kiosk.logic.layout import rows_per_page
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
    page_size = NumericProperty(8)  # rows per page: what fits, see _refit
    most_rows = NumericProperty(8)  # the layout's most rows per page (kv: app.style.page_size)
    room = NumericProperty(0)  # px for rows, the pager's bar taken off (kv)
    row_style = ListProperty([])  # what a row's height follows (kv: fonts, line height, row, padding)
    empty_text = StringProperty("暂无内容")
    summary = StringProperty("")

    __events__ = ("on_select", "on_page_request")

    def __init__(self, **kwargs: Any) -> None:
        self._fetch: Fetch = lambda offset, limit: ()
        self._pool: list[ListRow] = []
        self._sourced = False
        self._probe: ListRow | None = None
        self._probe_style: list[Any] = []
        self._refit_soon = Clock.create_trigger(self._refit, 0)
        super().__init__(**kwargs)
        self.bind(room=self._refit_soon, most_rows=self._refit_soon, row_style=self._refit_soon)
        self.bind(width=self._refit_soon)

    def set_source(self, total: int, fetch: Fetch, page: int = 0) -> None:
        """Show page `page` (0 first; clamped to the pages there are) of `total` rows from `fetch`."""
        self._fetch = fetch
        self.total = max(0, total)
        self._sourced = False  # the page is shown once, below
        self._refit()
        self._sourced = True
        self._show_page(page)

    def row_height(self) -> float:
        """Px of a row with a one-line title and meta line in the current style, measured on a row
        that is never shown."""
        if self._probe_style != list(self.row_style):
            # Rows made before a theme switch keep kv values the switch re-evaluated over the row's
            # own (the title's line height): make the probe, and the rows, afresh in the new style.
            self._probe_style = list(self.row_style)
            self._probe = None
            self._pool.clear()
        probe = self._probe
        if probe is None:
            probe = self._probe = ListRow()
            probe.show(RowData(Route("home"), "测", "测"))
        probe.width = self.width  # the labels wrap at the width a shown row has
        probe.do_layout()
        content = probe.ids.content
        content.do_layout()
        for widget in probe.walk(restrict=True):
            if isinstance(widget, Label):
                widget.texture_update()
        content.do_layout()
        return float(probe.height)

    def _refit(self, *_args: object) -> None:
        """Rows per page from the room there is; a change of it or of the style re-shows the page the
        citizen is on."""
        restyled = self._probe_style != list(self.row_style)  # row_height() makes rows afresh
        size = rows_per_page(self.room, self.row_height(), int(self.most_rows))
        pages = max(1, -(-self.total // size))
        if (size, pages) == (self.page_size, self.pages) and not restyled:
            return
        self.page_size, self.pages = size, pages
        if self._sourced:
            self._show_page(int(self.page))

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
