"""Touch buttons: big, flat, rounded, with a visible pressed state and no hover effects."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior

from kiosk.ui.kv import load_kv_once
from kiosk.ui.widgets.text import KinsokuLabel

load_kv_once(__file__)


class KButton(ButtonBehavior, KinsokuLabel):
    """A labelled button. `kind`: primary (filled), secondary (outlined), chip (toggle-like)."""

    kind = StringProperty("primary")
    selected = BooleanProperty(False)
    wrap = BooleanProperty(False)  # wrap to the button width (only for buttons sized by their layout)
    key = StringProperty("")  # what the button stands for (a key, a chip code, a route name)
