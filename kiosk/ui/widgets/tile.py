"""Home-screen tile: a large card with a coloured band, a title and a one-line hint."""

from __future__ import annotations

from kivy.properties import ColorProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from kiosk.ui.kv import load_kv_once
from kiosk.ui.widgets import text  # noqa: F401 - classes used in the kv rules

load_kv_once(__file__)


class Tile(ButtonBehavior, BoxLayout):
    title = StringProperty("")
    hint = StringProperty("")
    mark = StringProperty("")  # one character drawn in the band, like a seal
    band = ColorProperty((0.04, 0.29, 0.56, 1))
    key = StringProperty("")
