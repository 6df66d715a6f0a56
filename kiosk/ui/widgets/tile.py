"""Home-screen tile: a large card with a coloured band, a title and a one-line hint.

The hint is dropped when the title needs two lines or the hint itself would wrap: a narrow tile
then shows its title whole instead of text spilling over the card's edge."""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.properties import BooleanProperty, ColorProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from kiosk.ui.kv import load_kv_once
from kiosk.ui.widgets import text  # noqa: F401 - classes used in the kv rules
from kiosk.ui.widgets.text import measurer

load_kv_once(__file__)


class Tile(ButtonBehavior, BoxLayout):
    title = StringProperty("")
    hint = StringProperty("")
    mark = StringProperty("")  # one character drawn in the band, like a seal
    band = ColorProperty((0.04, 0.29, 0.56, 1))
    key = StringProperty("")
    hint_fits = BooleanProperty(True)

    def __init__(self, **kwargs: Any) -> None:
        self._check_fit = Clock.create_trigger(self._update_hint_fits, 0)
        super().__init__(**kwargs)
        self.bind(size=self._check_fit, title=self._check_fit, hint=self._check_fit)

    def _update_hint_fits(self, *_: object) -> None:
        words = self.ids.get("words")
        title_label, hint_label = self.ids.get("title_label"), self.ids.get("hint_label")
        if words is None or title_label is None or hint_label is None or words.width <= 1:
            return
        title_width = measurer(title_label.font_name, title_label.font_size, True)(self.title)
        hint_width = measurer(hint_label.font_name, hint_label.font_size)(self.hint)
        self.hint_fits = max(title_width, hint_width) <= words.width - 4
