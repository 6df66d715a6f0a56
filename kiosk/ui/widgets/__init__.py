"""Reusable kiosk widgets. Importing this package registers their classes and kv rules (once)."""

from pathlib import Path

from kiosk.ui.kv import load_kv_once
from kiosk.ui.widgets import (  # noqa: F401 - imported to register the widget classes with Factory
    badge,
    buttons,
    countdown,
    keyboard,
    list_row,
    paged_list,
    qr_code,
    section_view,
    status_bar,
    text,
    tile,
)

load_kv_once(str(Path(__file__).with_name("widgets.py")))
