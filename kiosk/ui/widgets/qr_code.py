"""A QR code for a feed URL, drawn only when the QR policy allows the URL's host."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from kivy.core.image import Image as CoreImage
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.logic.qr import QrDecision, QrPolicy, qr_png
from kiosk.ui.kv import load_kv_once
from kiosk.ui.widgets import text  # noqa: F401 - classes used in the kv rules

load_kv_once(__file__)


class QrCode(BoxLayout):
    caption = StringProperty("")
    url = StringProperty("")  # the URL currently encoded ("" when none is shown)
    shown = BooleanProperty(False)
    code_size = NumericProperty(0)  # px of the code itself; 0: the layout's standard size

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.decision: QrDecision | None = None

    def show_url(self, url: str | None, policy: QrPolicy, caption: str = "") -> QrDecision:
        """Encode `url` if the policy allows it; otherwise hide. Returns the policy's decision."""
        decision = policy.decide(url)
        self.decision = decision
        if decision.allowed and url:
            png = qr_png(url, box_size=8, border=4)
            image = CoreImage(BytesIO(png), ext="png", nocache=True)
            texture = image.texture
            texture.mag_filter = "nearest"  # keep modules crisp when scaled up
            texture.min_filter = "nearest"
            self.ids.image.texture = texture
            self.url, self.caption, self.shown = url, caption, True
        else:
            self.ids.image.texture = None
            self.url, self.caption, self.shown = "", "", False
        return decision
