"""Reusable kiosk widgets. Importing this package registers the kv rules of all of them (once) and the
classes the window chrome needs; each screen imports the other widget modules it uses, so a cold
start does not pay for image decoders or keyboards before the first frame."""

from pathlib import Path

from kiosk.ui.kv import load_kv_once
from kiosk.ui.widgets import (  # noqa: F401 - imported to register the widget classes with Factory
    badge,
    buttons,
    countdown,
    status_bar,
    text,
)

load_kv_once(str(Path(__file__).with_name("widgets.py")))
