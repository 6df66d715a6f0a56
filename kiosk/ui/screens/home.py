"""Home: big tiles for the seven things a citizen comes for, the hot services below them, and on a
tall screen the latest featured disclosures under those."""

from __future__ import annotations

from typing import Any

from kivy.properties import NumericProperty

from feed import date_text
from kiosk.logic.navigation import Route
from kiosk.ui.kv import load_kv_once
from kiosk.ui.screens.base import BaseScreen
from kiosk.ui.widgets import buttons, text, tile  # noqa: F401 - classes used in the kv rules
from kiosk.ui.widgets.buttons import KButton
from kiosk.ui.widgets.list_row import ListRow, RowData

load_kv_once(__file__)

TILE_ROUTES: dict[str, Route] = {
    "party": Route("catalogue", {"domain": "party"}),
    "government": Route("catalogue", {"domain": "government"}),
    "guides": Route("guides", {"mode": "hot"}),
    "notice": Route("catalogue", {"domain": "notice"}),
    "search": Route("search"),
    "feedback": Route("feedback", {"kind": "rating"}),
}


class HomeScreen(BaseScreen):
    latest_count = NumericProperty(0)  # rows in the 最新公开 panel (tall layouts); 0 hides it

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.page_title = "首页"

    def enter(self, route: Route) -> None:
        super().enter(route)
        box = self.ids.hot
        box.clear_widgets()
        for summary in self.host.reader.hot_guides(8):
            # Two lines at most: a long title ends in "…" instead of spilling over the tiles.
            button = KButton(text=summary.title, key=summary.id, kind="secondary", wrap=True, max_lines=2)
            button.bind(on_release=self._open_guide)
            box.add_widget(button)
        self._show_latest(int(self.host.style.home_latest))

    def _show_latest(self, count: int) -> None:
        box = self.ids.latest
        box.clear_widgets()
        items = self.host.reader.featured_items(count) if count > 0 else []
        for summary in items:
            row = ListRow()
            meta = f"{summary.publisher}　{date_text(summary.published)}"
            row.show(RowData(Route("item", {"id": summary.id}), summary.title, meta))
            row.bind(on_release=lambda touched: self.open(touched.route))
            box.add_widget(row)
        self.latest_count = len(items)

    def open_tile(self, key: str) -> None:
        if key == "elderly":
            self.host.session.toggle_elderly()
            return
        self.host.navigate(TILE_ROUTES[key])

    def _open_guide(self, button: KButton) -> None:
        self.go("guide", id=button.key)
