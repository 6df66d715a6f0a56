"""How the operating system runs the kiosk: a citizen cannot close it, the system can.

Once the first frame is on the glass the kiosk tells systemd it is ready; from then on Kivy's frame
loop pings the watchdog, so a kiosk whose loop hangs is restarted. SIGTERM and SIGINT (systemctl
stop, a reboot, Ctrl+C at a terminal) are checked at the same point of the loop and end the app
there: never in the middle of writing a citizen's feedback, and the caller then stops the feed's
poller (a download stops at once; a commit already running completes or is rolled back).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from kivy.base import ExceptionHandler, ExceptionManager
from kivy.clock import Clock

from feed import ServiceNotifier, StopRequest

if TYPE_CHECKING:
    from kiosk.base_app import BaseKioskApp

log = logging.getLogger(__name__)

SERVICE_TICK_SECONDS = 0.1  # how soon a stop request is acted on


class StaleBindingHandler(ExceptionHandler):  # type: ignore[misc]
    """Keeps the kiosk running when Kivy calls a kv rule of a widget already freed.

    Kivy unbinds a widget's kv rules when the widget is freed, but a rule already in line in the
    middle of a notification is still called, through a dead weak proxy: ReferenceError. It says
    nothing about the kiosk's state (the widget is gone), so it is logged, with its traceback, and
    the loop goes on; before this, the soak test saw it end the app (and the citizen's session).
    Any other exception still ends the app, and systemd starts it again.
    """

    def handle_exception(self, exception: BaseException) -> Any:
        if isinstance(exception, ReferenceError):
            log.warning("a freed widget's kv rule was called; going on", exc_info=exception)
            return ExceptionManager.PASS
        return ExceptionManager.RAISE


class KioskLifecycle:
    def __init__(self, app: BaseKioskApp, stop: StopRequest, notifier: ServiceNotifier) -> None:
        self.app = app
        self.stop = stop
        self.notifier = notifier
        self._event: Any = None

    def start(self) -> None:
        """Schedule the check on Kivy's clock and install the stale-binding handler (call before
        `app.run()`)."""
        self._event = Clock.schedule_interval(self._tick, SERVICE_TICK_SECONDS)
        ExceptionManager.add_handler(StaleBindingHandler())

    def _tick(self, _dt: float) -> bool:
        if self.stop.requested:
            log.info("stopping on %s", self.stop.signal_name)
            self.notifier.stopping()
            self.app.exit_kiosk()
            return False
        if self.app.frames_drawn > 0:
            self.notifier.frame()
        return True
