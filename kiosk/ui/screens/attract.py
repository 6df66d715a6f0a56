"""The attract loop: hall name, clock and rotating featured items; a touch anywhere starts."""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.properties import NumericProperty, StringProperty

from feed import ItemSummary, date_text
from kiosk.logic.navigation import Route
from kiosk.logic.status_text import UNNAMED_HALL
from kiosk.ui.kv import load_kv_once
from kiosk.ui.screens.base import BaseScreen
from kiosk.ui.widgets import text  # noqa: F401 - classes used in the kv rules

load_kv_once(__file__)


class AttractScreen(BaseScreen):
    chrome = False
    idle_rule = "suspend"  # nobody is there
    live_update = True
    hall_name = StringProperty("")
    clock = StringProperty("")
    status = StringProperty("")
    hours = StringProperty("")
    featured_title = StringProperty("")
    featured_meta = StringProperty("")
    featured_index = NumericProperty(0)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._featured: list[ItemSummary] = []
        self._rotation: Any = None

    def enter(self, route: Route) -> None:
        super().enter(route)
        reader = self.host.reader
        hall = reader.hall_heading()
        self.hall_name = hall.name if hall is not None else UNNAMED_HALL
        self.hours = hall.hours[0] if hall is not None and hall.hours else ""
        self._featured = reader.featured_items(10)
        self.featured_index = 0
        self._show_featured()
        if self._rotation is None:
            seconds = self.host.kiosk_config.kiosk.attract_rotate_seconds
            self._rotation = Clock.schedule_interval(self._rotate, seconds)

    def stop_rotation(self) -> None:
        if self._rotation is not None:
            self._rotation.cancel()
            self._rotation = None

    def _rotate(self, _dt: float) -> None:
        if self._featured:
            self.featured_index = (self.featured_index + 1) % len(self._featured)
            self._show_featured()

    def _show_featured(self) -> None:
        if not self._featured:
            self.featured_title, self.featured_meta = "", ""
            return
        item = self._featured[self.featured_index]
        self.featured_title = item.title
        self.featured_meta = f"{item.publisher}　{date_text(item.published)}"

    def on_touch_down(self, touch: Any) -> bool:
        self.host.start_session()
        return True
