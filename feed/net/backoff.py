"""When to poll next: the configured interval after success, exponential backoff with full jitter
after failure, and never sooner than a server's Retry-After."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

# A hostile or misconfigured server must not be able to park a hall's screens for days.
MAX_RETRY_AFTER_SECONDS = 6 * 3600.0


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if absent or bad."""
    if value is None:
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():  # str.isdigit alone admits "²" and other digits int() refuses
        return min(float(int(text[:12])), MAX_RETRY_AFTER_SECONDS)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT; a naive result means the zone was missing
        when = when.replace(tzinfo=UTC)
    delta = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(delta, 0.0), MAX_RETRY_AFTER_SECONDS)


class Backoff:
    """Full-jitter exponential backoff: after the n-th failure in a row, wait U(0, min(cap, base·2ⁿ)).

    Full jitter spreads thousands of kiosks that lost the same server, so they do not return in step.
    A floor keeps a zero draw from turning into a tight retry loop.
    """

    def __init__(
        self,
        *,
        base: float = 5.0,
        cap: float = 1800.0,
        floor: float = 1.0,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.base = base
        self.cap = cap
        self.floor = floor
        self.failures = 0
        self._rand = rand

    def reset(self) -> None:
        self.failures = 0

    def next_delay(self, retry_after: float | None = None) -> float:
        """Record one more failure and return how long to wait before the next attempt."""
        ceiling = min(self.cap, self.base * (2.0 ** min(self.failures, 30)))
        self.failures += 1
        delay = max(self.floor, self._rand() * ceiling)
        if retry_after is not None:
            delay = max(delay, min(retry_after, MAX_RETRY_AFTER_SECONDS))
        return delay


def poll_delay(interval: float, rand: Callable[[], float] = random.random) -> float:
    """The regular interval with ±10 % jitter, so a fleet started together drifts apart."""
    return interval * (0.9 + 0.2 * rand())


class Cadence:
    """The waits of a loop that repeats one round (a sync, a delivery), in seconds: `interval` with
    jitter after a success; after failures in a row, full-jitter backoff from min(5 s, interval) up
    to max(`cap`, interval), never sooner than a Retry-After."""

    def __init__(self, interval: float, *, cap: float, rand: Callable[[], float] = random.random) -> None:
        self.interval = interval
        self.backoff = Backoff(base=min(5.0, interval), cap=max(cap, interval), rand=rand)
        self._rand = rand

    def succeeded(self, *, more: bool = False) -> float:
        """The wait after a round that worked (the failure count starts again); none when it left
        `more` to do at once."""
        self.backoff.reset()
        return 0.0 if more else poll_delay(self.interval, self._rand)

    def failed(self, retry_after: float | None = None) -> float:
        """The wait after a round that failed; `retry_after` is the server's, in seconds."""
        return self.backoff.next_delay(retry_after)
