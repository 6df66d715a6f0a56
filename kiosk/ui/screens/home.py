"""Home: big tiles for the seven things a citizen comes for, and the hot services below them."""

from __future__ import annotations

from typing import Any

from kivy.properties import StringProperty

from kiosk.logic.navigation import Route
from kiosk.ui.kv import load_kv_once
from kiosk.ui.screens.base import BaseScreen
from kiosk.ui.widgets import buttons, text, tile  # noqa: F401 - classes used in the kv rules
from kiosk.ui.widgets.buttons import KButton

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
    greeting = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.page_title = "首页"

    def enter(self, route: Route) -> None:
        super().enter(route)
        box = self.ids.hot
        box.clear_widgets()
        for summary in self.kiosk.reader.hot_guides(8):
            button = KButton(text=summary.title, key=summary.id, kind="secondary", wrap=True)
            button.bind(on_release=self._open_guide)
            box.add_widget(button)

    def open_tile(self, key: str) -> None:
        if key == "elderly":
            self.kiosk.session.toggle_elderly()
            return
        self.kiosk.navigate(TILE_ROUTES[key])

    def _open_guide(self, button: KButton) -> None:
        self.go("guide", id=button.key)
