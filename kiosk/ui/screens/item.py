"""Item detail: title, publisher and dates, the body wrapped with kinsoku rules, images and
attachments from the offline store, a QR code to the original page, and 评价 (a rating of the item
counted for its publisher)."""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from feed import ItemView, item_view
from kiosk.logic.navigation import Route
from kiosk.logic.speech import item_parts
from kiosk.ui.kv import load_kv_once
from kiosk.ui.screens.base import BaseScreen
from kiosk.ui.widgets import print_panel, qr_code, read_button, text  # noqa: F401 - classes used in the kv rules
from kiosk.ui.widgets.buttons import KButton
from kiosk.ui.widgets.picture import PicturePreview
from kiosk.ui.widgets.qr_code import QrCode
from kiosk.ui.widgets.text import KLabel

load_kv_once(__file__)

IMAGE_KINDS = ("image/png", "image/jpeg", "image/gif", "image/webp")


class ItemScreen(BaseScreen):
    title_text = StringProperty("")
    meta_text = StringProperty("")
    summary = StringProperty("")
    missing = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.page_title = "公开信息"
        self.view: ItemView | None = None
        self._publisher = ""

    def enter(self, route: Route) -> None:
        super().enter(route)
        app = self.host
        item = app.reader.item(str(route.param("id", "")))
        self.ids.scroller.scroll_y = 1
        self.view = item_view(item) if item is not None else None
        self._publisher = item.publisher if item is not None else ""  # 公开主体, for a rating
        self.missing = self.view is None
        view = self.view
        self.ids.print_panel.show_for(app, "item", view.id if view is not None else None)
        self.ids.read_button.offer(app, (lambda v=view: item_parts(v)) if view is not None else None)
        if view is None:
            self.title_text, self.meta_text, self.summary = "该信息已撤下或暂不可用", "", ""
            self.ids.body.source = ""
            self.ids.images.clear_widgets()
            self.ids.attachments.clear_widgets()
            app.show_qr(self.ids.qr, None, "")
            return
        self.title_text = view.title
        self.meta_text = "\n".join(f"{label}：{value}" for label, value in view.meta)
        self.summary = view.summary
        # BodyText lays out at most TEXT_LIMIT_CHARS; the rest is on the phone via the QR code.
        self.ids.body.source = "\n\n".join(view.paragraphs)
        self._show_images(view)
        self._show_attachments(view)
        app.show_qr(self.ids.qr, view.original_url, "扫码查看原文", ("item", view.id))
        self._place_side_panel()

    def _place_side_panel(self) -> None:
        """Wide screens keep the QR code and 评价 in a column beside the text; narrow ones put the code
        above the body and 评价 beside 朗读."""
        side = self.host.style.side_panel
        self._move(self.ids.qr, self.ids.side if side else self.ids.inline_qr)
        self._move(self.ids.rate, self.ids.side_rate if side else self.ids.inline_rate, index=1)

    @staticmethod
    def _move(widget: Widget, target: Widget, index: int = 0) -> None:
        if widget.parent is not target:
            if widget.parent is not None:
                widget.parent.remove_widget(widget)
            target.add_widget(widget, index=index)

    def _show_images(self, view: ItemView) -> None:
        box = self.ids.images
        box.clear_widgets()
        for index, image in enumerate(view.images):
            path = self.host.reader.blob_path(image.sha256)
            if path is None or image.media_type not in IMAGE_KINDS:
                box.add_widget(KLabel(text=f"［图片暂不可用］{image.caption}", role="small", muted=True))
                continue
            preview = PicturePreview(
                source=str(path), caption=image.caption, max_height=self.host.style.qr * 2.4
            )
            preview.bind(on_release=lambda _w, i=index: self.open_image(i))
            box.add_widget(preview)

    def open_image(self, index: int) -> None:
        """Full screen, to scroll a long image and zoom."""
        if self.view is not None:
            self.go("image", item=self.view.id, index=index)

    def rate(self) -> None:
        """好差评 of this item, counted for its 公开主体."""
        if self.view is not None:
            self.open_rating("item", self.view.id, self.view.title, self._publisher)  # 公开主体

    def on_leave(self, *_args: Any) -> None:
        self.host.stop_reading()  # leaving the page ends its reading

    def open_form(self, sha256: str, name: str) -> None:
        """An attached PDF on the screen, a page at a time."""
        self.go("form", sha256=sha256, name=name)

    def _show_attachments(self, view: ItemView) -> None:
        box = self.ids.attachments
        box.clear_widgets()
        for attachment in view.attachments:
            row = BoxLayout(orientation="horizontal", size_hint_y=None, spacing=self.host.style.spacing)
            where = []
            stored = attachment.sha256 and self.host.reader.blob_path(attachment.sha256) is not None
            viewable = stored and attachment.media_type == "application/pdf"
            if viewable:
                where.append("点击“查看”在本机阅读" + ("、打印" if self.host.can_print else ""))
            elif stored:
                where.append("可到公开专区窗口打印")
            qr = QrCode()
            if self.host.show_qr(qr, attachment.url, "扫码下载"):
                where.append("扫码下载")
            label = KLabel(
                text=f"附件：{attachment.name}\n" + ("，".join(where) or "请到窗口咨询"), role="body"
            )
            row.add_widget(label)
            if viewable and attachment.sha256:
                view_button = KButton(
                    text="查看", kind="secondary", size_hint=(None, None), width=self.host.style.touch * 2
                )
                view_button.height = self.host.style.touch
                view_button.bind(
                    on_release=lambda _b, sha=attachment.sha256, name=attachment.name: self.open_form(
                        sha, name
                    )
                )
                row.add_widget(view_button)
            row.add_widget(qr)
            row.bind(minimum_height=row.setter("height"))
            row.height = max(qr.height, self.host.style.row)
            label.bind(height=lambda _l, h, r=row, q=qr: setattr(r, "height", max(h, q.height)))
            box.add_widget(row)
