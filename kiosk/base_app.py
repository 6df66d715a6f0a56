"""The first of the kiosk App's three layers (base → config → app, the way krux-installer layers its
App): the window and what is on it.

For the first frame only the attract layer; right after that frame the chrome (header, stage,
footer, idle countdown: kiosk.ui.widgets.chrome), then the other screens one per frame, each built
once (kiosk.ui.screens.registry) and handed the App as its `ScreenHost`. This layer puts a screen on
the glass, keeps what the chrome and the attract loop show while they are not built yet, counts
frames, and holds the lockdown (kiosk.ui.lockdown) from start to stop. It knows nothing of the
content, the config or the citizen: those belong to the layers above (kiosk.config_app, kiosk.app).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.uix.floatlayout import FloatLayout

from kiosk.ui.lockdown import Lockdown

if TYPE_CHECKING:
    from kiosk.ui.screens.base import BaseScreen
    from kiosk.ui.widgets.chrome import Chrome

PREBUILD_DELAY_S = 0.05


class KioskRoot(FloatLayout):
    """The chrome; the attract layer over it while shown (it covers the whole window)."""


class BaseKioskApp(App):
    title = "政务服务触摸查询"
    use_kivy_settings = False

    def __init__(self, *, lockdown: Lockdown, demo: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lockdown = lockdown
        self.frames_drawn = 0
        self._screens: dict[str, BaseScreen] = {}
        self._chrome: Chrome | None = None
        # What the chrome shows, kept while it is not built yet (the first frame has none).
        self._chrome_state: dict[str, Any] = {"demo": demo}

    def build(self) -> KioskRoot:
        """Only what the first frame shows: the attract layer."""
        Clock.max_iteration = 30  # deep layouts (sections of wrapped text) settle in a few passes
        self.root_widget = KioskRoot()
        self.attract_layer: Any = self.screen("attract")
        return self.root_widget

    def on_start(self) -> None:
        Window.bind(on_flip=self._count_frame)
        self.lockdown.engage(Window)  # after every other binding: it sees each event first

    def on_stop(self) -> None:
        self.lockdown.release(Window)
        Window.unbind(on_flip=self._count_frame)

    def open_settings(self, *_args: Any) -> bool:
        return False  # Kivy's settings panel is for developers, never on a kiosk

    def exit_kiosk(self) -> None:
        """The admin screen's 退出程序 and the operating system's stop request (kiosk.lifecycle)."""
        self.lockdown.allow_exit()
        self.stop()

    # ---------------------------------------------------------------- screens

    def screen(self, name: str) -> BaseScreen:
        """The screen called `name`, built on first use."""
        found = self._screens.get(name)
        if found is None:
            from kiosk.ui.screens.registry import screen_class

            found = self._screens[name] = screen_class(name)(name=name, host=self)
        return found

    @property
    def built_screens(self) -> frozenset[str]:
        return frozenset(self._screens)

    @property
    def current_screen(self) -> BaseScreen:
        """The screen on the glass."""
        if self.attract_layer.parent is not None:
            return self.attract_layer  # type: ignore[no-any-return]
        return self.chrome.current_screen  # type: ignore[no-any-return]

    def put_on_glass(self, screen: BaseScreen) -> None:
        """Show `screen` (already entered): on the chrome's stage, or as the attract layer over it."""
        if screen.chrome:
            self.chrome.show(screen)
            if self.attract_layer.parent is not None:
                self.root_widget.remove_widget(self.attract_layer)
                self.attract_layer.stop_rotation()
        elif self.attract_layer.parent is None:
            self.attract_layer.size_hint = (1, 1)
            self.attract_layer.pos_hint = {"x": 0, "y": 0}
            self.root_widget.add_widget(self.attract_layer)

    # ----------------------------------------------------------------- chrome

    @property
    def chrome(self) -> Chrome:
        """The header, stage, footer and countdown, built on first use: right after the first frame,
        or at the first navigation if that comes sooner."""
        if self._chrome is None:
            from kiosk.ui.widgets.chrome import Chrome

            chrome = Chrome(**self._chrome_state)
            self.root_widget.add_widget(chrome, index=len(self.root_widget.children))
            self._chrome = chrome
            self.bind_chrome(chrome)
        return self._chrome

    @property
    def chrome_built(self) -> bool:
        return self._chrome is not None

    def bind_chrome(self, chrome: Chrome) -> None:
        """Called once, when the chrome exists: the app layer binds its buttons here."""

    def set_chrome(self, **values: Any) -> None:
        """What the chrome shows (Chrome's properties: hall name, back button …), now or once built."""
        self._chrome_state.update(values)
        if self._chrome is not None:
            for name, value in values.items():
                setattr(self._chrome, name, value)

    def show_clock(self, text: str) -> None:
        """The clock in the header and on the attract loop."""
        self.set_chrome(clock=text)
        self.attract_layer.clock = text

    def show_status(self, text: str, level: str) -> None:
        """The content status (离线 · 内容更新于 …; "" when healthy) in the header and on the attract loop."""
        self.set_chrome(status=text, status_level=level)
        self.attract_layer.status = text

    # ----------------------------------------------------------------- frames

    def _count_frame(self, *_args: Any) -> None:
        self.frames_drawn += 1
        if self.frames_drawn == 1:
            self._after_first_frame()

    def _after_first_frame(self) -> None:
        """Once the attract screen is on the glass: the chrome, then the other screens, one per frame.
        Keyed to the flip, not to a Clock delay: Kivy's first tick runs every timeout already due."""
        Clock.schedule_once(lambda _dt: self.chrome, 0)
        Clock.schedule_once(self._prebuild_one, PREBUILD_DELAY_S)

    def _prebuild_one(self, _dt: float) -> None:
        """Build the remaining screens one per frame, before anyone touches."""
        from kiosk.ui.screens.registry import SCREEN_MODULES

        missing = [name for name in SCREEN_MODULES if name not in self._screens]
        if missing:
            self.screen(missing[0])
            Clock.schedule_once(self._prebuild_one, PREBUILD_DELAY_S)
