"""The background loop both apps run (and `hall-feed send`): deliveries on one timer, heartbeats on
another, on a `feed.runtime.loop.BackgroundLoop`, so no error ends it and each is said.

Before each delivery round the outbox is kept bounded: finished hours of proof of play are rolled up,
delivered rows past the retention are pruned, and the disk budget is enforced. After a failed round
the next one waits with exponential backoff and full jitter, never sooner than the centre's
Retry-After; `wake()` (a citizen just submitted) starts a round at once unless the centre asked to
wait.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from feed.api import SyncStatus
from feed.config import CentreLinkConfig
from feed.net.backoff import Cadence, poll_delay
from feed.outbox import Outbox
from feed.runtime.loop import STOP_WAIT_SECONDS, BackgroundLoop
from feed.uplink.heartbeat import build_heartbeat
from feed.uplink.http import centre_client, post_json
from feed.uplink.sender import Delivery, Sender
from feed.uplink.token import read_token
from feed.uplink.wire import DeviceRole, HeadlineOnScreen, Heartbeat, HeartbeatAck

log = logging.getLogger(__name__)

HEARTBEATS_PATH = "v1/heartbeats"
MAX_HEARTBEAT_ANSWER_BYTES = 16 * 1024
MIB = 1024 * 1024


class Uplink(BackgroundLoop):
    def __init__(
        self,
        link: CentreLinkConfig,
        cache_dir: Path,
        *,
        device_id: str,
        role: DeviceRole,
        sync_status: Callable[[], SyncStatus | None],
        headline: Callable[[], HeadlineOnScreen | None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        rand: Callable[[], float] = random.random,
    ) -> None:
        super().__init__("uplink", self._step, self._after_error)
        self.link = link
        self.cache_dir = cache_dir
        self.device_id = device_id
        self.role = role
        self.sync_status = sync_status
        self.headline = headline
        self._clock = clock
        self._now = now
        self._rand = rand
        self._started = clock()
        self._cadence = Cadence(link.send_seconds, cap=900.0, rand=rand)
        self._client = centre_client(link.url, link.timeout_seconds)
        self._outbox: Outbox | None = None
        self._sender: Sender | None = None
        self._next_send = self._next_beat = self._started
        self._not_before = 0.0  # the centre's Retry-After, on this loop's clock
        self._send_now = False
        self.last_delivery: Delivery | None = None
        self.last_heartbeat_error: str | None = None

    # ---------------------------------------------------------------------------- one round

    def _open_sender(self) -> Sender:
        if self._sender is None:
            self._outbox = Outbox.open(self.cache_dir, device_id=self.device_id)
            self._sender = Sender(
                self._outbox, self.link, device_id=self.device_id, role=self.role, client=self._client
            )
        return self._sender

    def deliver(self) -> Delivery:
        """One round: keep the outbox bounded, then send until done or a failure."""
        try:
            sender = self._open_sender()
            outbox = sender.outbox
            outbox.roll_up_plays()
            outbox.prune(timedelta(days=self.link.retention_days))
            dropped = outbox.enforce_budget(int(self.link.max_outbox_mb * MIB))
            if dropped:
                log.warning(
                    "outbox over its %g MiB budget: dropped %d proof-of-play or delivered rows",
                    self.link.max_outbox_mb,
                    dropped,
                )
            delivery = sender.deliver()
        except Exception as exc:  # a full or read-only disk, a damaged outbox: report, retry later
            log.warning("delivery round failed: %s", exc)
            self._forget_outbox()
            delivery = Delivery(error=f"outbox: {exc}")
        self.last_delivery = delivery
        if delivery.error:
            log.warning("delivery to the centre: %s", delivery.error)
        elif delivery.sent or delivery.rejected:
            log.info("delivered %d record(s) to the centre (%d set aside)", delivery.sent, delivery.rejected)
        return delivery

    def heartbeat(self) -> HeartbeatAck | None:
        """Send one heartbeat; None (and `last_heartbeat_error` set) when it did not get through."""
        try:
            beat = self._collect()
            token = read_token(self.link.token_file)
            answer = post_json(
                self._client,
                self.link.url + HEARTBEATS_PATH,
                beat.model_dump_json().encode(),
                token=token,
                timeout=self.link.timeout_seconds,
                max_bytes=MAX_HEARTBEAT_ANSWER_BYTES,
            )
            if answer.status != 200:
                raise RuntimeError(f"the centre answered {answer.status}: {answer.detail()}")
            ack = HeartbeatAck.model_validate_json(answer.body)
        except Exception as exc:
            self.last_heartbeat_error = str(exc) or type(exc).__name__
            log.warning("heartbeat: %s", self.last_heartbeat_error)
            return None
        self.last_heartbeat_error = None
        return ack

    def _collect(self) -> Heartbeat:
        sender = self._open_sender()
        try:
            sync = self.sync_status()
        except Exception as exc:  # the store may be unreadable; the heartbeat still goes
            log.warning("heartbeat without the store's state: %s", exc)
            sync = None
        return build_heartbeat(
            device_id=self.device_id,
            role=self.role,
            now=self._now(),
            interval_seconds=self.link.heartbeat_seconds,
            uptime_seconds=self._clock() - self._started,
            cache_dir=self.cache_dir,
            sync=sync,
            outbox=sender.outbox.stats(self.device_id, claim_unowned=self.role == "kiosk"),
            headline=self.headline() if self.headline is not None else None,
        )

    def _forget_outbox(self) -> None:
        if self._outbox is not None:
            try:
                self._outbox.close()
            except Exception:  # already broken; a fresh one opens next round
                log.debug("closing a failed outbox", exc_info=True)
        self._outbox = None
        self._sender = None

    # ---------------------------------------------------------------------------- the loop

    def _step(self) -> float:
        """Whatever is due (a delivery, a heartbeat); returns the seconds until the next is."""
        now = self._clock()
        if (self._send_now or now >= self._next_send) and now >= self._not_before:
            self._send_now = False
            delivery = self.deliver()
            if delivery.ok:
                wait = self._cadence.succeeded(more=delivery.more)
            else:
                wait = self._cadence.failed(delivery.retry_after)
                if delivery.retry_after is not None:
                    self._not_before = now + wait
            self._next_send = now + wait
        if now >= self._next_beat:
            self.heartbeat()
            self._next_beat = now + poll_delay(self.link.heartbeat_seconds, self._rand)
        return max(0.0, min(max(self._next_send, self._not_before), self._next_beat) - self._clock())

    def _after_error(self, _reason: str) -> float:
        return min(self.link.send_seconds, 30.0)  # a bug in a round: try again soon, not in a spin

    def wake(self) -> None:
        """Start a delivery round now (e.g. right after a citizen submitted); the centre's
        Retry-After still holds."""
        self._send_now = True
        self.poll_now()

    def stop(self, join_timeout: float | None = STOP_WAIT_SECONDS) -> None:
        """End the loop and release the outbox and connections."""
        super().stop(join_timeout)
        self._forget_outbox()
        self._client.close()
