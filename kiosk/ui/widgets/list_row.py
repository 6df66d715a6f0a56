"""A large list row: title (plain feed text), a muted meta line, optional badges, and a chevron."""

from __future__ import annotations

from dataclasses import dataclass, field

from kivy.properties import ListProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from kiosk.ui.kv import load_kv_once
from kiosk.ui.widgets import badge, text  # noqa: F401 - classes used in the kv rules

load_kv_once(__file__)


@dataclass(frozen=True)
class RowData:
    key: str
    title: str
    meta: str = ""
    badges: tuple[str, ...] = field(default_factory=tuple)


class ListRow(ButtonBehavior, BoxLayout):
    key = StringProperty("")
    title = StringProperty("")
    meta = StringProperty("")
    badges = ListProperty([])

    def show(self, row: RowData) -> None:
        self.key, self.title, self.meta, self.badges = row.key, row.title, row.meta, list(row.badges)
