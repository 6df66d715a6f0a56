"""A large list row: title (plain feed text), a muted meta line, optional badges, and a chevron.
A row leads somewhere: it carries the route a touch on it opens."""

from __future__ import annotations

from dataclasses import dataclass, field

from kivy.properties import ListProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from kiosk.logic.navigation import Route
from kiosk.ui.kv import load_kv_once
from kiosk.ui.widgets import badge, text  # noqa: F401 - classes used in the kv rules

load_kv_once(__file__)


@dataclass(frozen=True)
class RowData:
    route: Route  # where a touch on the row leads
    title: str
    meta: str = ""
    badges: tuple[str, ...] = field(default_factory=tuple)


class ListRow(ButtonBehavior, BoxLayout):
    route = ObjectProperty(None, allownone=True)
    title = StringProperty("")
    meta = StringProperty("")
    badges = ListProperty([])

    def show(self, row: RowData) -> None:
        self.route, self.title, self.meta, self.badges = row.route, row.title, row.meta, list(row.badges)
