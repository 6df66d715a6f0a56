"""An attached form (空白表格、示例样表, a PDF attachment) on the screen: a page at a time, 上一页 /
下一页, 放大 / 缩小 (长辈模式 opens it enlarged), and 打印 when the kiosk has a printer.

Opened with route `form` (`sha256` of the blob, `name` to show); the footer's 返回 goes back to the
page it was opened from. A damaged, missing or too large file shows a message instead of a page.
"""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.graphics.texture import Texture
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk.logic.forms import FormDocument, FormError, open_form
from kiosk.logic.navigation import Route
from kiosk.ui.kv import load_kv_once
from kiosk.ui.screens.base import BaseScreen
from kiosk.ui.widgets import buttons, print_panel, text  # noqa: F401 - classes used in the kv rules

load_kv_once(__file__)

ZOOMS = (1.0, 1.5, 2.0, 3.0)  # relative to the viewer's width
ELDERLY_ZOOM = 1.5


class FormScreen(BaseScreen):
    name_text = StringProperty("")
    problem = StringProperty("")
    page = NumericProperty(0)
    pages = NumericProperty(0)
    zoom = NumericProperty(1.0)
    shown = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.page_title = "查看表格"
        self.document: FormDocument | None = None
        # Rendered on the next frame, once the viewer has its size (and again when it changes)
        self.request_render = Clock.create_trigger(lambda _dt: self._render())

    def enter(self, route: Route) -> None:
        super().enter(route)
        self._close()
        self.name_text = str(route.param("name", "表格"))
        self.page, self.pages, self.problem = 0, 0, ""
        self.zoom = ELDERLY_ZOOM if self.host.session.elderly else ZOOMS[0]
        path = self.host.reader.blob_path(str(route.param("sha256", "")))
        try:
            if path is None:
                raise FormError("该表格暂不可用，请到服务窗口领取。")
            self.document = open_form(path)
        except FormError as exc:
            self.problem = str(exc)
            self.ids.print_panel.offer(self.host, None)
            self._show_nothing()
            return
        document = self.document
        self.pages = document.pages
        self.ids.print_panel.offer(
            self.host,
            lambda done: self.host.print_document(document.data, document.pages, self.name_text, done),
        )
        self.show_page()

    def show_page(self) -> None:
        """Show the current page at the current zoom (rendered on the next frame)."""
        self.request_render()

    def _render(self) -> None:
        """Render the current page at the current zoom (PDFium, on this thread: tens of ms)."""
        if self.document is None:
            return
        width = max(200, int(self.ids.scroller.width * self.zoom))
        try:
            image = self.document.render(int(self.page), width)
        except FormError as exc:
            self.problem = str(exc)
            self._show_nothing()
            return
        # Straight into a texture: no PNG round trip (that alone took longer than the render)
        texture = Texture.create(size=image.size, colorfmt="rgb")
        texture.blit_buffer(image.tobytes(), colorfmt="rgb", bufferfmt="ubyte")
        texture.flip_vertical()  # PIL's rows run top-down, OpenGL's bottom-up
        view = self.ids.page_image
        view.texture = texture
        view.width = self.ids.scroller.width * self.zoom
        view.height = view.width * texture.height / max(1, texture.width)
        self.ids.scroller.scroll_x, self.ids.scroller.scroll_y = 0, 1
        self.problem, self.shown = "", True

    def next_page(self) -> None:
        if self.page + 1 < self.pages:
            self.page += 1
            self.show_page()

    def previous_page(self) -> None:
        if self.page > 0:
            self.page -= 1
            self.show_page()

    def zoom_in(self) -> None:
        self.zoom = next((z for z in ZOOMS if z > self.zoom), ZOOMS[-1])
        self.show_page()

    def zoom_out(self) -> None:
        self.zoom = next((z for z in reversed(ZOOMS) if z < self.zoom), ZOOMS[0])
        self.show_page()

    def _show_nothing(self) -> None:
        self.ids.page_image.texture = None
        self.ids.page_image.height = 0
        self.shown = False

    def _close(self) -> None:
        if self.document is not None:
            self.document.close()
            self.document = None

    def forget(self) -> None:
        self._close()
        self._show_nothing()
