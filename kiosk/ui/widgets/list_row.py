"""A large list row: title (plain feed text), a muted meta line, optional badges, and a chevron."""

from __future__ import annotations

from dataclasses import dataclass, field

from kivy.properties import ListProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout


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
