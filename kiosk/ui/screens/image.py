"""Full-screen image viewer: a long image (一图读懂) scrolls, any image zooms in steps.

Opened from an item's image (route `image` with the item's id and the image's index); the footer's
back button returns to the item. Buttons rather than pinch gestures: they are found without being
explained, and work for a citizen using one finger.
"""

from __future__ import annotations

from typing import Any

from kivy.properties import NumericProperty, StringProperty

from kiosk.logic.navigation import Route
from kiosk.ui.kv import load_kv_once
from kiosk.ui.screens.base import BaseScreen
from kiosk.ui.widgets import buttons, picture, text  # noqa: F401 - classes used in the kv rules

load_kv_once(__file__)

ZOOMS = (1.0, 1.5, 2.0, 3.0)  # relative to the viewer's width; the last is picture.MAX_ZOOM


class ImageScreen(BaseScreen):
    caption = StringProperty("")
    zoom = NumericProperty(1.0)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.page_title = "查看图片"

    def enter(self, route: Route) -> None:
        super().enter(route)
        app = self.host
        item = app.reader.item(str(route.param("item", "")))
        index = int(route.param("index", 0))
        image = item.images[index] if item is not None and 0 <= index < len(item.images) else None
        path = app.reader.blob_path(image.blob.sha256) if image is not None else None
        self.caption = image.caption if image is not None else "该图片已撤下或暂不可用"
        self.zoom = ZOOMS[0]
        self.ids.picture.source = str(path) if path is not None else ""
        self.ids.scroller.scroll_x, self.ids.scroller.scroll_y = 0, 1

    def zoom_in(self) -> None:
        self._zoom_to(next((z for z in ZOOMS if z > self.zoom), ZOOMS[-1]))

    def zoom_out(self) -> None:
        self._zoom_to(next((z for z in reversed(ZOOMS) if z < self.zoom), ZOOMS[0]))

    def _zoom_to(self, zoom: float) -> None:
        """Zoom about the middle of what is in view."""
        scroller = self.ids.scroller
        middle_x, middle_y = scroller.scroll_x, scroller.scroll_y
        self.zoom = zoom
        scroller.scroll_x, scroller.scroll_y = middle_x, middle_y

    def forget(self) -> None:
        self.ids.picture.source = ""
