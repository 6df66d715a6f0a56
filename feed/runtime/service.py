"""Living under a service manager: stop requests from SIGTERM/SIGINT, and systemd's notifications.

`StopRequest.install()` turns SIGTERM and SIGINT into a flag the program's loop checks at a safe
point (between frames), so `systemctl stop` ends it within a frame or two and never in the middle of
a write; a second signal while the program is stopping is ignored.

`ServiceNotifier` speaks sd_notify(3): a datagram of `KEY=value` lines to the Unix socket named by
`NOTIFY_SOCKET` (a leading `@` means Linux's abstract namespace). Call `frame()` from the program's
frame loop: the first call sends `READY=1`, later calls send `WATCHDOG=1` at a quarter of
`WATCHDOG_USEC`, paced on the monotonic clock (a wall-clock step at NTP sync must not starve the
watchdog). Outside systemd (no `NOTIFY_SOCKET`) every call does nothing.

These are the few lines of the protocol rather than a library: the small pure-Python ones pace
pings on the wall clock or are unmaintained, and systemd's own binding needs a C build against
libsystemd. `WATCHDOG_PID` is not checked: under `cage` the kiosk is a child of the unit's main
process, and its unit sets `NotifyAccess=all` so that its pings count.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Mapping
from types import FrameType

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
PINGS_PER_WATCHDOG_PERIOD = 4  # sd_watchdog_enabled(3) asks for at least two


class StopRequest:
    """Set by SIGTERM or SIGINT (once `install()`ed) or by `request()`; polled by the main loop."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.signal_name: str | None = None

    def install(self) -> None:
        """Handle SIGTERM and SIGINT in this (main) thread from now on.

        SDL, under Kivy, turns SIGTERM into a window-close request (which the kiosk refuses) unless
        told to leave signals alone; Python's default SIGINT raises KeyboardInterrupt wherever the
        main thread happens to be, e.g. halfway through writing a citizen's feedback.
        """
        os.environ["SDL_NO_SIGNAL_HANDLERS"] = "1"
        for signum in STOP_SIGNALS:
            signal.signal(signum, self._on_signal)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        # Only set a flag: the handler may run between any two bytecodes of the main thread.
        if not self._event.is_set():
            self.signal_name = signal.Signals(signum).name
            self._event.set()

    def request(self, reason: str = "requested") -> None:
        if not self._event.is_set():
            self.signal_name = reason
            self._event.set()

    @property
    def requested(self) -> bool:
        return self._event.is_set()

    @property
    def event(self) -> threading.Event:
        """The flag itself, for a thread that waits on it (e.g. the feed's poller)."""
        return self._event


class ServiceNotifier:
    """sd_notify(3) for one process: READY, STATUS, STOPPING and watchdog pings."""

    def __init__(
        self,
        environ: Mapping[str, str] | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        env = os.environ if environ is None else environ
        address = env.get("NOTIFY_SOCKET", "")
        self.address: str | None = ("\0" + address[1:] if address.startswith("@") else address) or None
        usec = env.get("WATCHDOG_USEC", "")
        self.watchdog_seconds: float | None = int(usec) / 1e6 if usec.isdigit() and int(usec) > 0 else None
        self._clock = clock
        self._ready = False
        self._last_ping: float | None = None
        self._failed = False
        self._socket: socket.socket | None = None

    def send(self, *lines: str) -> bool:
        """Send `KEY=value` lines in one datagram; False when there is no manager or it is away."""
        if self.address is None:
            return False
        try:
            if self._socket is None:
                self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            self._socket.sendto("".join(line + "\n" for line in lines).encode("utf-8"), self.address)
        except OSError as exc:
            if not self._failed:  # say it once; the manager may come back (daemon-reexec)
                log.warning("cannot notify the service manager at %r: %s", self.address, exc)
                self._failed = True
            return False
        self._failed = False
        return True

    def ready(self, status: str | None = None) -> None:
        self._ready = True
        self.send("READY=1", *([f"STATUS={status}"] if status else []))

    def status(self, text: str) -> None:
        self.send(f"STATUS={text}")

    def stopping(self, status: str | None = None) -> None:
        self.send("STOPPING=1", *([f"STATUS={status}"] if status else []))

    def ping(self) -> bool:
        """Send WATCHDOG=1 if a quarter of the watchdog period has passed since the last; True if sent."""
        if self.watchdog_seconds is None or self.address is None:
            return False
        now = self._clock()
        every = self.watchdog_seconds / PINGS_PER_WATCHDOG_PERIOD
        if self._last_ping is not None and now - self._last_ping < every:
            return False
        self._last_ping = now
        return self.send("WATCHDOG=1")

    def frame(self) -> None:
        """Call once per frame of the main loop: READY=1 the first time, then watchdog pings."""
        if not self._ready:
            self.ready()
            self._last_ping = self._clock()  # READY counts as the first sign of life
            return
        self.ping()

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
