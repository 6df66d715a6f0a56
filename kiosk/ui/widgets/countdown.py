"""The idle warning: a calm full-screen veil with the seconds left and a button to keep going."""

from __future__ import annotations

from kivy.properties import NumericProperty
from kivy.uix.floatlayout import FloatLayout

from kiosk.ui.kv import load_kv_once
from kiosk.ui.widgets import buttons, text  # noqa: F401 - classes used in the kv rules

load_kv_once(__file__)


class CountdownOverlay(FloatLayout):
    seconds = NumericProperty(0)
    __events__ = ("on_continue",)

    def on_continue(self) -> None:
        pass

    def on_touch_down(self, touch: object) -> bool:
        # Any touch while the veil is up counts as "I am still here".
        if self.opacity > 0:
            self.dispatch("on_continue")
            return True
        return False
