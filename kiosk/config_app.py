"""The second of the kiosk App's three layers (base → config → app): the `[kiosk]` config made visible.

The UI font (the configured one, or the bundled subset), the layout chosen from the window's size
(or fixed by `layout`), and the theme, standard or 长辈模式 scaled by `elderly_font_scale`, poured into
the `Style` every kv rule binds to. A resized window picks its layout again. The app layer
(kiosk.app) says when 长辈模式 changes.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

from kivy.core.window import Window
from kivy.properties import ObjectProperty

from kiosk.base_app import BaseKioskApp, KioskRoot
from kiosk.config import KioskAppConfig
from kiosk.logic.layout import Layout, choose_layout
from kiosk.logic.theme import theme_for
from kiosk.ui.fonts import register_ui_font
from kiosk.ui.style import Style


class ConfigKioskApp(BaseKioskApp):
    style = ObjectProperty(None)

    def __init__(self, config: KioskAppConfig, *, font_path: Path | None = None, **kwargs: Any) -> None:
        super().__init__(demo=config.kiosk.demo, **kwargs)
        self.kiosk_config = config
        self.font_path = font_path  # overrides the configured font (benchmarks, tests)
        self.font_file: Path | None = None  # the font registered with Kivy
        self.layout: Layout | None = None
        self._elderly = config.kiosk.elderly_default

    def build(self) -> KioskRoot:
        self.font_file = register_ui_font(self.font_path or self._configured_font())
        self.style = Style()
        self._choose_layout()
        self.apply_theme(self._elderly)
        return super().build()

    def on_start(self) -> None:
        Window.bind(size=self._on_window_size)
        super().on_start()

    def on_stop(self) -> None:
        super().on_stop()
        Window.unbind(size=self._on_window_size)

    def apply_theme(self, elderly: bool) -> None:
        """Standard or 长辈模式 for the current layout: every kv rule bound to the style follows."""
        assert self.layout is not None
        self._elderly = elderly
        scale = self.kiosk_config.kiosk.elderly_font_scale if elderly else 1.0
        # A theme change notifies every kv rule bound to the style. A garbage collection in the
        # middle of that frees dropped widgets whose rules may be next in line, and Kivy then calls
        # them through a dead weak proxy (ReferenceError: the soak test crashed the kiosk this way).
        collecting = gc.isenabled()
        gc.disable()
        try:
            self.style.apply(theme_for(elderly, scale), self.layout)
        finally:
            if collecting:
                gc.enable()
        Window.clearcolor = tuple(self.style.background)
        self.set_chrome(elderly_mode=elderly)

    def _configured_font(self) -> Path | None:
        font = self.kiosk_config.kiosk.font_path()
        return font if font.exists() else None

    def _choose_layout(self) -> None:
        self.layout = choose_layout(self.kiosk_config.kiosk.layout, (Window.width, Window.height))

    def _on_window_size(self, _window: Any, _size: Any) -> None:
        previous = self.layout
        self._choose_layout()
        if self.layout != previous:
            self.apply_theme(self._elderly)
