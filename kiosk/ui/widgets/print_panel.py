"""打印 for the record a page shows: the button (only when the kiosk has a printer), what is
happening (正在打印…), and how it ended, in the citizen's words (`kiosk.logic.printing`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.logic.printing import PRINTING_TEXT, PrintResult
from kiosk.ui.kv import load_kv_once
from kiosk.ui.widgets import buttons, text  # noqa: F401 - classes used in the kv rules

if TYPE_CHECKING:
    from kiosk.ui.screens.host import ScreenHost

load_kv_once(__file__)

Starter = Callable[[Callable[[PrintResult], None]], bool]


class PrintPanel(BoxLayout):
    available = BooleanProperty(False)  # a printer is configured and the page shows a record
    busy = BooleanProperty(False)
    status = StringProperty("")
    failed = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._start: Starter | None = None
        self._generation = 0  # a result for a page the citizen has left is not shown

    def show_for(self, host: ScreenHost, kind: str, record_id: str | None) -> None:
        """Offer printing `record_id` (of `kind`), or nothing (None, or no printer)."""
        if record_id is None:
            self.offer(host, None)
        else:
            self.offer(host, lambda done: host.print_record(kind, record_id, done))

    def offer(self, host: ScreenHost, start: Starter | None) -> None:
        """Offer `start` (which begins a print job and calls back with its result), or nothing."""
        self._start = start
        self._generation += 1
        self.available = host.can_print and start is not None
        self.busy, self.status, self.failed = False, "", False

    def press(self) -> None:
        if self._start is None or self.busy:
            return
        generation = self._generation
        started = self._start(lambda result: self._done(result, generation))
        if started:
            self.busy, self.status, self.failed = True, PRINTING_TEXT, False

    def _done(self, result: PrintResult, generation: int) -> None:
        if generation != self._generation:
            return
        self.busy, self.status, self.failed = False, result.message, not result.ok
