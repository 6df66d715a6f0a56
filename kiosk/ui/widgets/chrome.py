"""The chrome around every screen but the attract loop: the header (hall name, 演示, page title,
clock, content status), the stage holding the current screen, the footer (返回, 首页, 长辈模式), and
the idle countdown floating over them. One widget with one set of properties, so whoever shows a
screen sets what the chrome says in one place, and the parts follow through their kv bindings."""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout

from kiosk.ui.kv import load_kv_once
from kiosk.ui.widgets import countdown, status_bar  # noqa: F401 - classes used in the kv rules
from kiosk.ui.widgets.countdown import CountdownOverlay
from kiosk.ui.widgets.status_bar import Footer, StatusBar

load_kv_once(__file__)


class Stage(FloatLayout):
    """Holds exactly one screen at a time. Switching is instant (no transition): a touch must show
    its result on the next frame, and a ScreenManager keeps the old screen's canvas for a while."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.current_screen: Any = None

    def show(self, screen: Any) -> None:
        if screen is self.current_screen:
            return
        if self.current_screen is not None:
            self.remove_widget(self.current_screen)
            self.current_screen.dispatch("on_leave")
        screen.size_hint = (1, 1)
        screen.pos_hint = {"x": 0, "y": 0}
        self.add_widget(screen)
        self.current_screen = screen


class Chrome(FloatLayout):
    """Header, stage and footer in a column of one fixed geometry (resizing it per screen left stale
    layouts); the countdown on top. The buttons are the parts' events: the footer's `on_back`,
    `on_home`, `on_elderly` and the countdown's `on_continue`."""

    hall_name = StringProperty("")  # the hall's short name
    page_title = StringProperty("")
    clock = StringProperty("")
    status = StringProperty("")  # "" when healthy; else 离线 · 内容更新于 …
    status_level = StringProperty("ok")
    demo = BooleanProperty(False)
    can_go_back = BooleanProperty(False)
    elderly_mode = BooleanProperty(False)  # not "elderly": Kivy would bind it to the footer's on_elderly

    @property
    def header(self) -> StatusBar:
        header: StatusBar = self.ids.header
        return header

    @property
    def footer(self) -> Footer:
        footer: Footer = self.ids.footer
        return footer

    @property
    def countdown(self) -> CountdownOverlay:
        overlay: CountdownOverlay = self.ids.countdown
        return overlay

    @property
    def current_screen(self) -> Any:
        return self.ids.stage.current_screen

    def show(self, screen: Any) -> None:
        """Put `screen` on the stage, its title in the header."""
        self.ids.stage.show(screen)
        self.page_title = screen.page_title

    @property
    def countdown_shown(self) -> bool:
        return bool(self.countdown.opacity > 0)

    def show_countdown(self, seconds: int) -> None:
        overlay = self.countdown
        overlay.seconds = seconds
        overlay.opacity = 1
        overlay.disabled = False

    def hide_countdown(self) -> None:
        overlay = self.countdown
        overlay.opacity = 0
        overlay.disabled = True
