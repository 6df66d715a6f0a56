"""Guide detail: badges, the eight sections, and QR codes for the guide page and online handling."""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.properties import BooleanProperty, StringProperty

from feed import GuideSection, GuideView, guide_view
from kiosk.logic.navigation import Route
from kiosk.logic.speech import guide_parts
from kiosk.ui.kv import load_kv_once
from kiosk.ui.screens.base import BaseScreen
from kiosk.ui.widgets import buttons, print_panel, qr_code, read_button, section_view, text  # noqa: F401 - classes used in the kv rules
from kiosk.ui.widgets.badge import Badge
from kiosk.ui.widgets.buttons import KButton
from kiosk.ui.widgets.section_view import SectionView

load_kv_once(__file__)

SECTION_DELAY_S = 0.012  # just past one frame at 60 Hz


class GuideScreen(BaseScreen):
    title_text = StringProperty("")
    subtitle = StringProperty("")
    summary = StringProperty("")
    updated = StringProperty("")
    missing = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.page_title = "办事指南"
        self.view: GuideView | None = None
        self._pending: list[GuideSection] = []
        # Sections are built one per frame after the first: the touch shows the guide's title,
        # badges and QR codes on the very next frame, and the sections follow within a few frames.
        self._build_next = Clock.create_trigger(self._add_section, SECTION_DELAY_S)

    def enter(self, route: Route) -> None:
        super().enter(route)
        app = self.host
        guide = app.reader.guide(str(route.param("id", "")))
        self.view = view = guide_view(guide) if guide is not None else None
        self.missing = view is None
        self.ids.print_panel.show_for(app, "guide", view.id if view is not None else None)
        self.ids.read_button.offer(app, (lambda v=view: guide_parts(v)) if view is not None else None)
        self.ids.scroller.scroll_y = 1
        badges, sections = self.ids.badges, self.ids.sections
        badges.clear_widgets()
        sections.clear_widgets()
        self._pending = []
        if view is None:
            self.ids.forms.clear_widgets()
            self.title_text, self.subtitle, self.summary, self.updated = "该事项已调整或暂不可用", "", "", ""
            app.show_qr(self.ids.guide_qr, None, "")
            app.show_qr(self.ids.online_qr, None, "")
            return
        self.title_text = view.title
        self.subtitle = f"{view.department}　·　服务对象：{view.audience_text}"
        self.summary = view.summary
        self.updated = view.updated_text
        for badge in view.badges:
            badges.add_widget(Badge(text=badge.text, tone=badge.tone))
        self._show_forms(view)
        self._pending = list(view.sections)
        self._build_next.cancel()
        self._build_next()
        app.show_qr(self.ids.guide_qr, view.guide_url, "扫码查看指南", ("guide", view.id))
        app.show_qr(self.ids.online_qr, view.online_url, "扫码网上办理")
        self._place_side_panel()

    def _add_section(self, _dt: float = 0) -> None:
        if not self._pending:
            return
        widget = SectionView()
        widget.show(self._pending.pop(0))
        self.ids.sections.add_widget(widget)
        if self._pending:
            self._build_next()

    def finish_building(self) -> None:
        """Build every remaining section now (tests and tours that inspect the whole guide)."""
        while self._pending:
            self._add_section()

    def _place_side_panel(self) -> None:
        target = self.ids.side if self.host.style.side_panel else self.ids.inline_codes
        for qr in (self.ids.guide_qr, self.ids.online_qr):
            if qr.parent is not target:
                if qr.parent is not None:
                    qr.parent.remove_widget(qr)
                target.add_widget(qr)

    def _show_forms(self, view: GuideView) -> None:
        box = self.ids.forms
        box.clear_widgets()
        for form in view.forms:
            if self.host.reader.blob_path(form.sha256) is None:
                continue
            button = KButton(text=f"查看{form.label}", kind="secondary", size_hint=(None, None))
            button.height = self.host.style.touch
            button.bind(
                texture_size=lambda b, size: setattr(b, "width", size[0] + self.host.style.padding * 2)
            )
            button.bind(on_release=lambda _b, f=form: self.go("form", sha256=f.sha256, name=f.label))
            box.add_widget(button)

    def on_leave(self, *_args: Any) -> None:
        self.host.stop_reading()  # leaving the page ends its reading

    def rate(self) -> None:
        if self.view is not None:
            self.open_rating("guide", self.view.id, self.view.title, self.view.department)  # 实施主体

    def section_titles(self) -> list[str]:
        self.finish_building()
        return [child.title for child in reversed(self.ids.sections.children)]
