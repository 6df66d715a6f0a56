"""The long-running sync loop the CLI and both apps run (the apps in a background thread).

After a success it waits the configured interval (with a little jitter); after a failure it backs off
exponentially with full jitter and never comes back sooner than the source's Retry-After. A stop
event ends the loop promptly, even in the middle of a long wait. Nothing ends it otherwise: whatever a
poll raises is reported as a failed sync and backed off from (feed.runtime.loop).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable

from feed.net.backoff import Cadence
from feed.runtime.loop import BackgroundLoop
from feed.runtime.progress import Progress
from feed.sync.engine import SyncResult, sync_once
from feed.sync.settings import SyncSettings

log = logging.getLogger(__name__)


class Poller(BackgroundLoop):
    def __init__(
        self,
        settings: SyncSettings,
        *,
        on_result: Callable[[SyncResult], None] | None = None,
        progress: Progress | None = None,
        wait: Callable[[float], bool] | None = None,
        rand: Callable[[], float] = random.random,
    ) -> None:
        """Sync with `settings` every `settings.poll_seconds` (backing off after failures), calling
        `on_result` after each attempt. `wait(seconds) -> stopped` replaces the real wait in tests;
        by default it sleeps on the stop event, so `stop()` and `poll_now()` interrupt it."""
        super().__init__("feed-poller", self.poll_once, self._crashed, wait=wait)
        self.settings = settings
        self.on_result = on_result
        self.progress = progress
        self.cadence = Cadence(settings.poll_seconds, cap=1800.0, rand=rand)
        self.last_result: SyncResult | None = None
        self.last_delay: float | None = None
        if settings.allow_unsigned:
            log.warning(
                "%s: allow_unsigned is on: a feed without signatures is accepted (for tests and demos only)",
                settings.source,
            )

    def poll_once(self) -> float:
        """Run one sync, report it, and return how long to wait before the next."""
        result = sync_once(self.settings, stop=self.stop_event, progress=self.progress)
        _log_result(result)
        delay = self.cadence.succeeded() if result.ok else self.cadence.failed(result.retry_after)
        self._report(result, delay)
        return delay

    def _crashed(self, reason: str) -> float:
        """What escaped a poll (a bug, or a failure nothing else caught) counts as a failed sync."""
        delay = self.cadence.failed()
        self._report(SyncResult("failed", None, reason), delay)
        return delay

    def _report(self, result: SyncResult, delay: float) -> None:
        self.last_result, self.last_delay = result, delay
        if self.on_result is not None:
            try:
                self.on_result(result)
            except Exception:  # a listener's bug must not stop the feed
                log.exception("sync result listener failed")


def _log_result(result: SyncResult) -> None:
    """Updates and failures are worth a line in the journal; a poll with nothing new is not."""
    if result.outcome == "updated":
        log.info("sync: %s", result.summary())
    elif result.outcome == "failed":
        log.warning("sync failed, keeping the held snapshot: %s", result.reason)
    else:
        log.debug("sync: %s", result.summary())
