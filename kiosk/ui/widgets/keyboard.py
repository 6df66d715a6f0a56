"""On-screen keyboards: letters and digits for pinyin search, and a digit pad for phone numbers."""

from __future__ import annotations

from typing import Any

from kivy.uix.boxlayout import BoxLayout

from kiosk.logic.search import KEYS
from kiosk.ui.kv import load_kv_once
from kiosk.ui.widgets.buttons import KButton

load_kv_once(__file__)

BACKSPACE = "backspace"
CLEAR = "clear"
QWERTY_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")
PHONE_ROWS = ("123", "456", "789")


class _Keys(BoxLayout):
    """Rows of keys; every key dispatches `on_key(key)`."""

    __events__ = ("on_key",)

    def _row(self) -> BoxLayout:
        row = BoxLayout(orientation="horizontal", spacing=self.spacing)
        self.add_widget(row)
        return row

    def _add_key(self, row: BoxLayout, key: str, label: str, width: float = 1.0) -> KButton:
        button = KButton(text=label, key=key, kind="key", size_hint_x=width)
        button.bind(on_release=lambda b: self.dispatch("on_key", b.key))
        row.add_widget(button)
        return button

    def key_button(self, key: str) -> KButton:
        for row in self.children:
            for child in row.children:
                if isinstance(child, KButton) and child.key == key:
                    return child
        raise KeyError(key)

    def on_key(self, key: str) -> None:
        pass


class LetterKeyboard(_Keys):
    """Digits and a–z in QWERTY rows, with 删除 and 清空 on the last row."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("orientation", "vertical")
        super().__init__(**kwargs)
        for index, keys in enumerate(QWERTY_ROWS):
            row = self._row()
            for key in keys:
                assert key in KEYS
                self._add_key(row, key, key.upper())
            if index == len(QWERTY_ROWS) - 1:
                self._add_key(row, BACKSPACE, "删除", 1.5)
                self._add_key(row, CLEAR, "清空", 1.5)
            elif len(keys) < 10:
                row.add_widget(BoxLayout(size_hint_x=10 - len(keys)))


class DigitPad(_Keys):
    """0–9 in phone order with 清空 and 删除."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("orientation", "vertical")
        super().__init__(**kwargs)
        for keys in PHONE_ROWS:
            row = self._row()
            for key in keys:
                self._add_key(row, key, key)
        row = self._row()
        self._add_key(row, CLEAR, "清空")
        self._add_key(row, "0", "0")
        self._add_key(row, BACKSPACE, "删除")
