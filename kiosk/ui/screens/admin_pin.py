"""Staff only: the PIN pad in front of the status screen (skipped when no `admin_pin_hash` is set,
as in demo mode); wrong PINs lock it for a while (kiosk.logic.admin.PinGate)."""

from __future__ import annotations

from typing import Any

from kivy.properties import StringProperty

from kiosk.logic.admin import PIN_MAX_DIGITS
from kiosk.logic.navigation import Route
from kiosk.ui.kv import load_kv_once
from kiosk.ui.screens.base import BaseScreen
from kiosk.ui.widgets import buttons, keyboard, text  # noqa: F401 - classes used in the kv rules
from kiosk.ui.widgets.keyboard import BACKSPACE, CLEAR

load_kv_once(__file__)


class AdminPinScreen(BaseScreen):
    idle_rule = "staff"  # the pad must not stay open after staff walk away
    masked = StringProperty("")
    message = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.page_title = "管理员验证"
        self._pin = ""

    def enter(self, route: Route) -> None:
        super().enter(route)
        self._pin, self.masked, self.message = "", "", "请输入管理密码"

    def press(self, key: str) -> None:
        if key == BACKSPACE:
            self._pin = self._pin[:-1]
        elif key == CLEAR:
            self._pin = ""
        elif len(self._pin) < PIN_MAX_DIGITS:
            self._pin += key
        self.masked = "●" * len(self._pin)

    def confirm(self) -> None:
        result = self.host.pin_gate.check(self._pin)
        self._pin, self.masked = "", ""
        if result.outcome == "ok":
            self.host.replace(Route("admin"))
        elif result.outcome == "locked":
            self.message = f"错误次数过多，请 {int(result.retry_after_s) + 1} 秒后再试"
        else:
            self.message = "密码错误"

    def forget(self) -> None:
        self._pin, self.masked = "", ""
