"""The display loop: schedule → render → send, paced on absolute monotonic deadlines.

Once a second (on the frame clock) the player asks the source whether a new snapshot landed. New
content is used from the next slot on, except that an emergency that became due cuts the current
slot at once, and an emergency that expired (or was withdrawn) ends at once. A receiver that fails
does not stop the loop: the failure is logged once, pacing goes on, and sending resumes by itself.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from PIL import Image

from display.config import DisplaySection
from display.drivers.base import OutputDriver
from display.pacing import FramePacer
from display.proof import PlayRecorder, PlayTally
from display.render.frames import Program, Renderer
from display.render.setup import SlotLook
from display.schedule import Scheduler, Slot, emergency_due, local_time
from display.source import HeadlineSource
from feed import Hall, Headline, is_due

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
# Drivers that hold the last picture still get it again now and then, so a receiver that restarted
# (or timed out of realtime mode, as WLED does) shows the screen again without waiting for a change.
REPEAT_SECONDS = 1.0


def system_now() -> datetime:
    return datetime.now().astimezone()


@dataclass
class PlayerStats:
    ticks: int = 0
    frames_sent: int = 0
    send_errors: int = 0
    slots: list[tuple[float, Slot]] = field(default_factory=list)  # (monotonic start, slot)

    @property
    def skipped(self) -> int:
        return self.ticks - self.frames_sent


@dataclass
class _Current:
    slot: Slot
    program: Program
    started: float  # monotonic deadline of its first frame
    started_wall: datetime


class Player:
    def __init__(
        self,
        source: HeadlineSource,
        section: DisplaySection,
        renderer: Renderer,
        driver: OutputDriver,
        *,
        recorder: PlayRecorder | None = None,
        now: Callable[[], datetime] = system_now,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        every_frame: bool | None = None,
        output_open: bool = False,
        stop: threading.Event | None = None,
        heartbeat: Callable[[], None] | None = None,
    ) -> None:
        """`output_open`: the caller has opened the driver already (to report a bad output early).
        `stop`: when set, the loop ends after the current frame (the slot shown so far is recorded).
        `heartbeat`: called once per frame (the service manager's readiness and watchdog)."""
        self.source = source
        self.output_open = output_open
        self.section = section
        self.renderer = renderer
        self.driver = driver
        self.look = SlotLook(section, renderer)
        self.tally = recorder if isinstance(recorder, PlayTally) else PlayTally(durable=recorder)
        self.now = now
        self.clock = clock
        self.sleep = sleep
        self.zone = section.zone()
        self.scheduler = Scheduler(quiet=section.quiet_hours, zone=self.zone)
        self.every_frame = every_frame if every_frame is not None else driver.every_frame
        self.stop = stop
        self.heartbeat = heartbeat
        self.stats = PlayerStats()
        self._headlines: list[Headline] = []
        self._hall: Hall | None = None
        self._version: int | None = None
        self._receiver_ok = True
        self._wall_anchor: tuple[float, datetime] = (0.0, now())
        # (headline id or None for the fallback, its text): replaced whole, so other threads
        # (the heartbeat) read it without a lock.
        self.on_screen: tuple[str | None, str] | None = None

    # -- content -----------------------------------------------------------------------------

    def _refresh_content(self) -> bool:
        """Re-read the source when its snapshot version moved; True when it did."""
        try:
            version = self.source.snapshot_version()
            if version == self._version:
                return False
            self._headlines = self.source.headlines()
            self._hall = self.source.hall()
            self._version = version
            return True
        except Exception as exc:  # a locked or damaged store must not stop the screen
            log.warning("content source unreadable, keeping the last headlines: %s", exc)
            return False

    # -- time --------------------------------------------------------------------------------

    def _wall(self, deadline: float) -> datetime:
        """Wall-clock time of a frame deadline: anchored once a second, advanced by the frame clock."""
        mono, wall = self._wall_anchor
        return wall + timedelta(seconds=deadline - mono)

    # -- slots -------------------------------------------------------------------------------

    def _begin(self, deadline: float) -> _Current:
        wall = self._wall(deadline)
        slot = self.scheduler.next(self._headlines, wall)
        program = self.look.program(slot, local_time(wall, self.zone), self._hall)
        if slot.emergency and slot.headline is not None and slot.headline.valid_until is not None:
            program.duration = min(program.duration, (slot.headline.valid_until - wall).total_seconds())
        self.stats.slots.append((deadline, slot))
        if slot.headline is not None:
            self.on_screen = (slot.headline.id, slot.headline.text)
        else:
            self.on_screen = (None, f"[{slot.kind}]")  # the fallback, the dim clock, a dark screen
        return _Current(slot, program, deadline, wall)

    def _finish(self, current: _Current, deadline: float) -> None:
        headline = current.slot.headline
        shown = deadline - current.started
        if headline is not None and shown > 0:
            self.tally.record_play(headline.id, current.started_wall, round(shown, 3))

    def _must_cut(self, current: _Current, wall: datetime) -> bool:
        headline = current.slot.headline
        local = local_time(wall, self.zone)
        if headline is not None and headline.emergency:
            still = any(h.id == headline.id for h in self._headlines) and is_due(headline, local)
            return not still
        if current.slot.kind == "fallback":
            # The hall name only fills time while nothing is due: a headline that became due (a first
            # sync landed, a validity window opened) takes over at once.
            return any(is_due(h, local) for h in self._headlines)
        return emergency_due(self._headlines, wall, self.zone)

    # -- output ------------------------------------------------------------------------------

    def _send(self, frame: Image.Image) -> None:
        try:
            self.driver.send(frame)
        except OSError as exc:
            self.stats.send_errors += 1
            if self._receiver_ok:
                log.warning(
                    "%s: receiver not answering (%s); still pacing, will resume", self.driver.name, exc
                )
                self._receiver_ok = False
            return
        self.stats.frames_sent += 1
        if not self._receiver_ok:
            log.warning("%s: receiver is back, sending again", self.driver.name)
            self._receiver_ok = True

    # -- loop --------------------------------------------------------------------------------

    def run(self, *, frames: int | None = None, duration: float | None = None) -> PlayerStats:
        """Play until `frames` ticks or `duration` seconds have passed (forever when both are None)."""
        layout = self.renderer.layout
        if not self.output_open:
            self.driver.open(layout.width, layout.height, self.section.fps)
        pacer = FramePacer(self.section.fps, clock=self.clock, sleep=self.sleep)
        self._wall_anchor = (self.clock(), self.now())
        self._refresh_content()
        end_at = pacer.start + duration if duration is not None else None
        next_poll = pacer.start + POLL_SECONDS
        canvas = Image.new("RGB", (layout.width, layout.height))
        deadline = pacer.start
        current = self._begin(deadline)
        clock_text = ""
        last_key: tuple[object, ...] | None = None
        last_sent = float("-inf")
        try:
            while (frames is None or self.stats.ticks < frames) and (end_at is None or deadline < end_at):
                if self.stop is not None and self.stop.is_set():
                    break
                if deadline >= next_poll:
                    next_poll = deadline + POLL_SECONDS
                    self._wall_anchor = (self.clock(), self.now())
                    self._refresh_content()
                    if self._must_cut(current, self._wall(deadline)):
                        self._finish(current, deadline)
                        current = self._begin(deadline)
                elapsed = deadline - current.started
                if elapsed >= current.program.duration:
                    self._finish(current, deadline)
                    current = self._begin(deadline)
                    elapsed = 0.0
                local = local_time(self._wall(deadline), self.zone)
                if layout.clock_box is not None and current.slot.kind in ("headline", "fallback"):
                    text = self.look.clock_text(local)
                    if text != clock_text or current.program.clock is None:
                        clock_text = text
                        current.program.clock = self.look.clock_image(current.program.level, local)
                # Brightness is baked into each program's colours; a change applies from the next slot.
                key = (len(self.stats.slots), current.program.key(elapsed), clock_text)
                due_to_repeat = deadline - last_sent >= REPEAT_SECONDS
                if self.every_frame or key != last_key or due_to_repeat:
                    frame = current.program.frame(elapsed, canvas)
                    pacer.wait(deadline)
                    self._send(frame)
                    last_key, last_sent = key, deadline
                else:
                    pacer.wait(deadline)
                self.stats.ticks += 1
                if self.heartbeat is not None:
                    self.heartbeat()
                deadline = pacer.next_deadline()
            self._finish(current, min(deadline, end_at) if end_at is not None else deadline)
        finally:
            self.driver.close()
        return self.stats
