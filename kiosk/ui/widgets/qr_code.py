"""A QR code for a feed URL, drawn only when the QR policy allows it, with equal whole-pixel modules.

The code is rendered at one pixel per module and drawn scaled by a whole number, at a whole-pixel
position, with nearest-neighbour sampling: every module is exactly the same number of screen
pixels (a fractional scale made some modules a pixel wider than others).
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from kivy.core.image import Image as CoreImage
from kivy.graphics import Color, Rectangle
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from feed import QUIET_ZONE_MODULES
from kiosk.logic.qr import QrDecision, QrPolicy, qr_png
from kiosk.ui.kv import load_kv_once
from kiosk.ui.widgets import text  # noqa: F401 - classes used in the kv rules

load_kv_once(__file__)


class QrSymbol(Widget):
    """Draws a one-pixel-per-module code texture at the largest whole scale that fits the widget."""

    module_px = NumericProperty(0)  # screen pixels per module as drawn (0: nothing drawn)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._texture: Any = None
        with self.canvas:
            Color(1, 1, 1, 1)
            self._rect = Rectangle(size=(0, 0))
        self.bind(pos=self._place, size=self._place)

    @property
    def texture(self) -> Any:
        return self._texture

    @texture.setter
    def texture(self, value: Any) -> None:
        self._texture = value
        self._place()

    def window_box(self) -> tuple[int, int, int]:
        """(left, bottom, side) of the drawn code, in window pixels."""
        x, y = self.to_window(*self._rect.pos)
        return round(x), round(y), int(self._rect.size[0])

    def _place(self, *_: object) -> None:
        texture = self._texture
        if texture is None or texture.width == 0:
            self._rect.texture, self._rect.size, self.module_px = None, (0, 0), 0
            return
        modules = texture.width
        scale = int(min(self.width, self.height) // modules)
        side = modules * scale
        self._rect.texture = texture
        self._rect.size = (side, side)
        self._rect.pos = (round(self.center_x - side / 2), round(self.center_y - side / 2))
        self.module_px = scale


PHONE_PAGE_CAPTION = "扫码在手机上查看"


class QrCode(BoxLayout):
    caption = StringProperty("")
    url = StringProperty("")  # the URL currently encoded ("" when none is shown)
    shown = BooleanProperty(False)
    code_size = NumericProperty(0)  # px of the code itself; 0: the layout's standard size

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.decision: QrDecision | None = None

    def show_url(
        self, url: str | None, policy: QrPolicy, caption: str = "", page: tuple[str, str] | None = None
    ) -> QrDecision:
        """Encode `url` if the policy allows it in the layout's smallest code space; for a record
        (`page` = (kind, id)) its phone page instead when the policy offers that; otherwise hide.
        Returns the policy's decision."""
        from kiosk.ui.style import current_style

        space = current_style().qr_min
        if page is None:
            decision = policy.decide(url, space)
        else:
            decision = policy.decide_record(url, page[0], page[1], space)
            caption = PHONE_PAGE_CAPTION if decision.phone_page else caption
        self.decision = decision
        if decision.allowed:
            png = qr_png(decision.url, box_size=1, border=QUIET_ZONE_MODULES)
            texture = CoreImage(BytesIO(png), ext="png", nocache=True).texture
            texture.mag_filter = "nearest"  # modules stay sharp squares when scaled up
            texture.min_filter = "nearest"
            self.ids.image.texture = texture
            self.url, self.caption, self.shown = decision.url, caption, True
        else:
            self.ids.image.texture = None
            self.url, self.caption, self.shown = "", "", False
        return decision
