"""朗读 / 停止 for the page on the screen: reads its title and then its sections aloud
(`kiosk.logic.speech`), shows 停止 while it reads, and is larger in 长辈模式."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kivy.properties import BooleanProperty

from kiosk.ui.kv import load_kv_once
from kiosk.ui.widgets.buttons import KButton

if TYPE_CHECKING:
    from kiosk.ui.screens.host import ScreenHost

load_kv_once(__file__)


class ReadButton(KButton):
    available = BooleanProperty(False)  # a voice is configured and the page has something to read
    reading = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._host: ScreenHost | None = None
        self._parts: Callable[[], list[str]] | None = None
        self._generation = 0

    def offer(self, host: ScreenHost, parts: Callable[[], list[str]] | None) -> None:
        """Read what `parts()` gives when touched (None: nothing to read); stops any reading."""
        self._host = host
        self._parts = parts
        self._generation += 1
        self.available = host.can_read_aloud and parts is not None
        host.stop_reading()
        self.reading = False

    def on_release(self) -> None:
        if self._host is None or self._parts is None:
            return
        if self.reading:
            self._host.stop_reading()
            return
        generation = self._generation
        self._host.read_aloud(self._parts(), lambda on: self._state(on, generation))

    def _state(self, on: bool, generation: int) -> None:
        if generation == self._generation:
            self.reading = on
