"""Background loops that survive every exception and say what went wrong.

A device runs its sync (and sends what its outbox holds) in daemon threads for months. An exception
that escaped such a loop would end the thread silently: the screens would go on showing ageing
content with nothing updating them until a restart. `BackgroundLoop` runs one step at a time; a step
that raises is reported as a one-line reason (logged with its traceback the first time that reason
is seen, so a failure repeating every minute does not flood the log) and the loop goes on after the
wait its owner chooses.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from feed.errors import one_line

log = logging.getLogger(__name__)

FALLBACK_WAIT_SECONDS = 60.0  # when even the error handler failed
# How long a stopping program waits for a loop's thread: a sync stops requesting objects at once (see
# sync_once's `stop`) and a delivery's records are sent again next time, never twice (they go by
# id), so only a commit already under way can take this long; past it the program exits anyway, and
# SQLite rolls that transaction back when the file is next opened.
STOP_WAIT_SECONDS = 1.0
_SEEN_LIMIT = 64  # distinct reasons remembered for the once-only traceback


class BackgroundLoop:
    """Runs `step` until stopped; the feed's Poller and the centre's Uplink are such loops."""

    def __init__(
        self,
        name: str,
        step: Callable[[], float],
        on_error: Callable[[str], float],
        *,
        wait: Callable[[float], bool] | None = None,
    ) -> None:
        """`step()` does one round and returns the seconds to wait before the next; when it raises,
        `on_error(reason)` gets the one-line reason and returns the wait instead. `wait(seconds) ->
        stopped` replaces the real wait in tests; by default it sleeps on the stop event, so `stop()`
        and `poll_now()` interrupt it."""
        self.name = name
        self.step = step
        self.on_error = on_error
        self.stop_event = threading.Event()
        self.last_error: str | None = None
        self._wake = threading.Event()
        self._wait = wait or self._wait_for_wake_or_stop
        self._thread: threading.Thread | None = None
        self._seen: set[str] = set()

    def run_once(self) -> float:
        """One step, never raising: returns the seconds to wait before the next."""
        try:
            delay = self.step()
        except Exception as exc:
            reason = one_line(f"{exc.__class__.__name__}: {exc}")
            self.last_error = reason
            if reason not in self._seen and len(self._seen) < _SEEN_LIMIT:
                self._seen.add(reason)
                log.exception("%s: step failed, going on: %s", self.name, reason)
            else:
                log.error("%s: step failed again, going on: %s", self.name, reason)
            try:
                return self.on_error(reason)
            except Exception:
                log.exception("%s: error handler failed", self.name)
                return FALLBACK_WAIT_SECONDS
        self.last_error = None
        return delay

    def run(self) -> None:
        """Run steps until stopped (in the calling thread)."""
        while not self.stop_event.is_set():
            delay = self.run_once()
            if self.stop_event.is_set() or self._wait(delay):
                break

    def start(self) -> threading.Thread:
        """Run the loop in a daemon thread."""
        self._thread = threading.Thread(target=self.run, name=self.name, daemon=True)
        self._thread.start()
        return self._thread

    def poll_now(self) -> None:
        """Cut the current wait short (e.g. the admin screen's "sync now")."""
        self._wake.set()

    def request_stop(self) -> None:
        """Ask the loop to end after the step under way (safe from a signal handler)."""
        self.stop_event.set()
        self._wake.set()

    def stop(self, join_timeout: float | None = STOP_WAIT_SECONDS) -> None:
        """End the loop and wait up to `join_timeout` seconds for its thread (None: until it ends)."""
        self.request_stop()
        if self._thread is not None:
            self._thread.join(join_timeout)

    def _wait_for_wake_or_stop(self, seconds: float) -> bool:
        self._wake.wait(seconds)
        self._wake.clear()
        return self.stop_event.is_set()
