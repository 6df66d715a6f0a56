"""The header (hall name, 演示 badge, clock, content status) and footer (返回 / 首页 / 长辈模式)."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.ui.kv import load_kv_once
from kiosk.ui.widgets import badge, buttons  # noqa: F401 - classes used in the kv rules

load_kv_once(__file__)


class StatusBar(BoxLayout):
    hall_name = StringProperty("")
    page_title = StringProperty("")
    clock = StringProperty("")
    status = StringProperty("")  # "" when healthy; else 离线 · 内容更新于 …
    status_level = StringProperty("ok")
    demo = BooleanProperty(False)


class Footer(BoxLayout):
    can_go_back = BooleanProperty(False)
    elderly_mode = BooleanProperty(False)  # not "elderly": Kivy would bind it to on_elderly
    __events__ = ("on_back", "on_home", "on_elderly")

    def on_back(self) -> None:
        pass

    def on_home(self) -> None:
        pass

    def on_elderly(self) -> None:
        pass
