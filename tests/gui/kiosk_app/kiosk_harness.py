"""Drive a KioskApp on the shared test window: frames, real touches, and what is on screen."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.base import EventLoop
from kivy.core.window import Window
from kivy.tests.common import UnitTestTouch
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from feed.outbox import Outbox
from feed.store.reader import StoreReader
from kiosk.app import KioskApp
from kiosk.cli import open_content
from kiosk.config import KioskAppConfig, demo_config

EventLoop.ensure_window()


class FakeMonotonic:
    """The idle timer's clock, moved by the test instead of waiting 45 s."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def walk(widget: Widget) -> Iterator[Widget]:
    yield widget
    for child in widget.children:
        yield from walk(child)


class Kiosk:
    def __init__(
        self, app: KioskApp, reader: StoreReader, outbox: Outbox | None, clock: FakeMonotonic
    ) -> None:
        self.app, self.reader, self.outbox, self.clock = app, reader, outbox, clock

    # ---------------------------------------------------------------- frames

    def frames(self, count: int = 3) -> None:
        for _ in range(count):
            EventLoop.idle()

    def code_on_screen(self, folder: Path) -> str:
        """What the one QR code in the window says, read back from a screenshot by a real decoder
        (zbar), as a citizen's phone would read it."""
        from PIL import Image
        from pyzbar.pyzbar import decode

        self.settle(frames=4)
        shot = Window.screenshot(name=str(folder / "code.png"))
        with Image.open(shot) as image:
            [text] = {symbol.data.decode("utf-8") for symbol in decode(image.convert("L"))}
        return text

    def settle(self, seconds: float = 0.0, frames: int = 4) -> None:
        """Render frames (and let at least `seconds` of real time pass for Clock intervals)."""
        deadline = time.monotonic() + seconds
        self.frames(frames)
        while time.monotonic() < deadline:
            self.frames(1)

    def settle_until(self, condition: Callable[[], bool], timeout: float = 5.0) -> bool:
        """Render frames until `condition()` holds (True) or `timeout` seconds of real time pass
        (False): Clock intervals fire late on a busy machine, so a fixed wait would be a flake."""
        deadline = time.monotonic() + timeout
        self.frames(2)
        while not condition():
            if time.monotonic() >= deadline:
                return False
            self.frames(1)
        self.frames(2)
        return True

    # --------------------------------------------------------------- touches

    def tap_at(self, x: float, y: float) -> None:
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        self.frames(1)
        touch.touch_up()
        self.frames(3)

    def tap(self, widget: Widget) -> None:
        assert widget.get_root_window() is not None, f"{widget} is not on screen"
        assert widget.opacity > 0 and not widget.disabled, f"{widget} cannot be touched"
        x, y = widget.to_window(*widget.center)
        self.tap_at(x, y)

    # ------------------------------------------------------------- the screen

    def texts(self) -> list[str]:
        """Every visible label's text, as drawn (top-level layers included)."""
        found = []
        for widget in walk(Window):
            if isinstance(widget, Label) and widget.text and self._visible(widget):
                found.append(widget.text)
        return found

    def _visible(self, widget: Widget) -> bool:
        node: Any = widget
        while node is not None and node is not Window:
            if node.opacity == 0:
                return False
            node = node.parent
        return True

    def find(self, predicate: Callable[[Widget], bool]) -> Widget:
        for widget in walk(Window):
            if predicate(widget) and self._visible(widget):
                return widget
        raise AssertionError("no such widget on screen")

    def label(self, text: str) -> Widget:
        return self.find(lambda w: isinstance(w, Label) and w.text == text)

    def button_with(self, text: str) -> Widget:
        """The touchable widget showing `text` (a KButton, or the tile / row around a label)."""
        label = self.label(text)
        node: Any = label
        while node is not None and not hasattr(node, "trigger_action"):
            node = node.parent
        assert node is not None, f"{text!r} is not on a button"
        return node

    @property
    def screen(self) -> str:
        return str(self.app.current_screen.name)

    def close(self) -> None:
        app = self.app
        app.dispatch("on_stop")
        if app.root is not None and app.root.parent is not None:
            Window.remove_widget(app.root)
        App._running_app = None
        for touch in list(EventLoop.touches):
            EventLoop.touches.remove(touch)
        self.reader.close()
        if self.outbox is not None:
            self.outbox.close()


def make_kiosk(
    cache_dir: Path,
    config: KioskAppConfig | None = None,
    *,
    frames: int = 6,
    sync_now: Callable[[], None] | None = None,
) -> Kiosk:
    """A kiosk over `cache_dir` with `frames` drawn (0: the window has not drawn anything yet);
    `sync_now` is what its admin screen's 立即同步 runs (hall-kiosk wakes its poller)."""
    config = config or demo_config(cache_dir)  # config/demo.toml: the tablet layout in this window
    reader, outbox, outbox_problem = open_content(config)  # as hall-kiosk opens them
    clock = FakeMonotonic()
    app = KioskApp(config, reader, outbox, outbox_problem=outbox_problem, sync_now=sync_now, idle_clock=clock)
    app._run_prepare()
    harness = Kiosk(app, reader, outbox, clock)
    harness.settle(frames=frames)
    return harness
