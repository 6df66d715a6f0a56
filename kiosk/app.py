"""The third of the kiosk App's three layers (base → config → app): the citizen and the content.

Everything a citizen does goes through `navigate` (push), `replace`, `back`, `home`, and the
session's reset; every screen change comes to `_present`, which adopts a new snapshot if one is
waiting (`adopt_snapshot`, the one place that happens) and enters the screen, so a new snapshot
shows at the next navigation, never under a citizen who is reading. A screen where nobody reads
content (`BaseScreen.live_update`: the attract loop, the staff status screen) is refreshed at once,
through one rate-limited Clock trigger. The half-second tick drives the clock, the content status,
snapshot polling and the idle countdown. Screens see this App only as a `ScreenHost`
(kiosk.ui.screens.host).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kivy.clock import Clock
from kivy.core.window import Window

from feed import ContentReader, FeedError, Guide
from kiosk import __version__
from kiosk.base_app import KioskRoot
from kiosk.config import KioskAppConfig
from kiosk.config_app import ConfigKioskApp
from kiosk.logic.admin import PinGate, TapPatternDetector
from kiosk.logic.idle import IdlePhase, IdleTimer
from kiosk.logic.navigation import NavigationChange, Navigator, Route
from kiosk.logic.printing import PrintResult, print_service
from kiosk.logic.qr import QrPolicy, WithheldLinks
from kiosk.logic.search import SearchState
from kiosk.logic.session import ATTRACT, HOME, CitizenSession
from kiosk.logic.snapshot_watch import SnapshotWatcher
from kiosk.logic.speech import read_aloud_for
from kiosk.logic.staff_actions import StaffActions
from kiosk.logic.status_text import HALL_TZ, UNNAMED_HALL, clock_text, status_text
from kiosk.ui.lockdown import Lockdown

if TYPE_CHECKING:
    from feed import Outbox
    from kiosk.logic.catalog_view import CatalogTree
    from kiosk.ui.widgets.chrome import Chrome
    from kiosk.ui.widgets.qr_code import QrCode

log = logging.getLogger(__name__)

TICK_SECONDS = 0.5
STATUS_EVERY_SECONDS = 5.0
LIVE_REFRESH_SECONDS = 0.5  # at most one refresh of a live screen per half second, however often pulled


class KioskApp(ConfigKioskApp):
    def __init__(
        self,
        config: KioskAppConfig,
        reader: ContentReader,
        outbox: Outbox | None = None,
        *,
        outbox_problem: str | None = None,
        sync_now: Callable[[], None] | None = None,
        deliver_now: Callable[[], None] | None = None,
        font_path: Path | None = None,
        idle_clock: Callable[[], float] = time.monotonic,
        **kwargs: Any,
    ) -> None:
        """`outbox` is None, and `outbox_problem` says why, when feedback cannot be stored here;
        `sync_now` wakes the feed's poller (立即同步); `deliver_now` wakes the delivery to the centre
        after a submission; `idle_clock` is the idle timer's clock (monotonic seconds)."""
        settings = config.kiosk
        taps = TapPatternDetector(settings.admin_tap_pattern, settings.admin_tap_window_seconds)
        lockdown = Lockdown(taps, on_pattern=self.open_admin)
        super().__init__(config, font_path=font_path, lockdown=lockdown, **kwargs)
        self.reader = reader
        self.outbox = outbox
        self.outbox_problem = outbox_problem
        self.deliver_now = deliver_now or (lambda: None)
        self.version = __version__
        self.qr_policy = QrPolicy(settings.qr_allowed_hosts, settings.phone_site_base)
        self.qr_withheld = WithheldLinks()
        self.printing = print_service(config.printer, config.feed.cache_dir) if config.printer else None
        self.speech = read_aloud_for(config.speech, self._reading_state) if config.speech else None
        self._reading_listener: Callable[[bool], None] = lambda _on: None
        self.pin_gate = PinGate(settings.admin_pin_hash)
        self.navigator = Navigator(HOME)
        self.search = SearchState(reader.search, settings.search_limit, version_fn=reader.snapshot_version)
        self.idle = IdleTimer(settings.idle_seconds, settings.idle_warning_seconds, now=idle_clock)
        self._idle_limits = {
            "citizen": (settings.idle_seconds, settings.idle_warning_seconds),
            "staff": (settings.admin_idle_seconds, settings.idle_warning_seconds),
        }
        self.idle_enabled = True  # the screenshot tour turns the idle timeout off
        self.session = CitizenSession(
            self.navigator, self.search, self.idle, elderly_default=settings.elderly_default
        )
        self.snapshots = SnapshotWatcher(reader.snapshot_version)
        self._catalog_tree: CatalogTree | None = None
        self.staff = StaffActions(
            config.feed,
            settings.usb_feed_dirs,
            sync_now=sync_now,
            post=lambda task: Clock.schedule_once(lambda _dt: task(), 0),
            on_done=self._staff_action_done,
        )
        self._status_age = STATUS_EVERY_SECONDS
        self._tick_event: Any = None
        # Pulled whenever the store may hold something new (a poll saw a new version, a staff action
        # ended); calls within the interval collapse into one refresh.
        self.refresh_live_screen = Clock.create_trigger(self._refresh_live_screen, LIVE_REFRESH_SECONDS)

    def build(self) -> KioskRoot:
        root = super().build()
        self.show_clock(clock_text(datetime.now(HALL_TZ)))
        self.navigator.add_listener(self._on_navigation)
        self.session.on_reset(self._on_session_reset)
        self.session.on_elderly(lambda session: self.apply_theme(session.elderly))
        self._show_hall_name()
        self.navigator.reset_to(ATTRACT)  # its listener shows the attract screen
        return root

    def bind_chrome(self, chrome: Chrome) -> None:
        chrome.footer.bind(
            on_back=lambda *_: self.back(),
            on_home=lambda *_: self.home(),
            on_elderly=lambda *_: self.session.toggle_elderly(),
        )
        chrome.countdown.bind(on_continue=lambda *_: self.keep_going())

    def on_start(self) -> None:
        Window.bind(on_touch_down=self._on_window_touch)  # before the lockdown's binding (base layer)
        super().on_start()
        self._tick_event = Clock.schedule_interval(self._tick, TICK_SECONDS)
        self._refresh_status()

    def on_stop(self) -> None:
        super().on_stop()
        Window.unbind(on_touch_down=self._on_window_touch)
        if self._tick_event is not None:
            self._tick_event.cancel()

    # ------------------------------------------------------------- navigation

    def navigate(self, route: Route) -> None:
        self.navigator.push(route)

    def replace(self, route: Route) -> None:
        self.navigator.replace(route)

    def back(self) -> None:
        self.navigator.back()

    def home(self) -> None:
        if self.navigator.current == HOME:
            self._present(HOME)  # re-read (e.g. a new snapshot) without growing the history
        self.navigator.home()

    def start_session(self) -> None:
        self.session.start()

    def open_admin(self) -> None:
        """The staff tap pattern was tapped (kiosk.ui.lockdown)."""
        if self.kiosk_config.kiosk.admin_screen:
            self.navigate(Route("admin" if not self.pin_gate.required else "admin_pin"))

    def _on_navigation(self, change: NavigationChange) -> None:
        self._present(change.route, reenter=change.action != "back")

    def _present(self, route: Route, *, reenter: bool = True) -> None:
        """Show `route` from the newest snapshot: every path that (re)enters a screen comes here.
        For 返回 (`reenter` False) a screen that still shows `route` of the snapshot shown is put
        back as the citizen left it: scrolled where they were, nothing read again."""
        from kiosk.ui.screens.registry import SCREEN_MODULES

        adopted = self.adopt_snapshot()
        if route.screen not in SCREEN_MODULES:
            return
        screen = self.screen(route.screen)
        if reenter or adopted or screen.route != route:
            try:
                screen.enter(route)
            except FeedError as exc:  # a store read failed (a damaged store is replaced meanwhile)
                log.warning("%s: store read failed: %s", route.screen, exc)
                screen.route = None  # read it again next time
        self.put_on_glass(screen)
        self.set_chrome(can_go_back=self.navigator.can_go_back and route != HOME)
        if screen.idle_rule == "suspend":
            self.idle.suspend()
            return
        limits = self._idle_limits[screen.idle_rule]
        if self.idle.suspended or self.idle.limits != limits:
            self.idle.resume(*limits)

    # --------------------------------------------------------------- content

    def adopt_snapshot(self) -> bool:
        """Make the newest polled snapshot the one the screens show, with everything derived from the
        old one (catalogue index, hall name) dropped; True when there was one to adopt. The only place
        a snapshot is adopted (`_present` calls it for every screen it shows)."""
        if not self.snapshots.apply():
            return False
        self._catalog_tree = None
        self._show_hall_name()
        return True

    def _refresh_live_screen(self, _dt: float) -> None:
        """The trigger's work: a live screen (`BaseScreen.live_update`) takes a new snapshot at once and
        re-reads; any other screen keeps what the citizen is reading until the next navigation."""
        name = self.navigator.current.screen
        if name not in self.built_screens or not self.screen(name).live_update:
            return
        try:
            self.snapshots.poll()
            self._present(self.navigator.current)
        except FeedError as exc:  # the store failed a read (it is replaced meanwhile): next pull
            log.warning("store read failed: %s", exc)

    @property
    def catalog_tree(self) -> CatalogTree:
        """The catalogue index, built at the first catalogue visit after each new snapshot."""
        if self._catalog_tree is None:
            from kiosk.logic.catalog_view import CatalogTree

            self._catalog_tree = CatalogTree(self.reader.catalog())
        return self._catalog_tree

    def _show_hall_name(self) -> None:
        hall = self.reader.hall_heading()
        self.set_chrome(hall_name=hall.short_name if hall is not None else UNNAMED_HALL)

    # ---------------------------------------------------------------- printing

    @property
    def can_print(self) -> bool:
        return self.printing is not None

    def print_record(self, kind: str, record_id: str, on_result: Callable[[PrintResult], None]) -> bool:
        """Render the record's A4 printout and print it, on a thread of its own (the layout takes a
        fraction of a second per page, CUPS a few more); `on_result` runs on the UI thread."""
        record = self.reader.guide(record_id) if kind == "guide" else self.reader.item(record_id)
        if record is None:
            return False
        own_link = record.guide_url if isinstance(record, Guide) else record.original_url
        code = self.qr_policy.decide_record(own_link, kind, record_id)
        heading = self.reader.hall_heading()
        hall = heading.name if heading is not None else UNNAMED_HALL
        today = datetime.now(HALL_TZ).date()

        def printout() -> tuple[bytes, int]:
            from feed import render_pdf

            rendered = render_pdf(record, hall_name=hall, url=code.url or None, printed_on=today)
            return rendered.pdf, rendered.pages

        return self._print_off_thread(record.title, printout, on_result)

    def print_document(
        self, pdf: bytes, pages: int, title: str, on_result: Callable[[PrintResult], None]
    ) -> bool:
        """Print a PDF as it is (an attached form), like `print_record`."""
        return self._print_off_thread(title, lambda: (pdf, pages), on_result)

    def _print_off_thread(
        self, title: str, printout: Callable[[], tuple[bytes, int]], on_result: Callable[[PrintResult], None]
    ) -> bool:
        service = self.printing
        if service is None:
            return False

        def work() -> None:
            try:
                pdf, pages = printout()
                result = service.print_pdf(pdf, pages, title)
            except Exception:  # a device never crashes: the citizen is told, the log keeps the cause
                log.exception("printing %r failed", title)
                result = service.result("failed")
            Clock.schedule_once(lambda _dt: on_result(result))

        threading.Thread(target=work, name="print", daemon=True).start()
        return True

    # ---------------------------------------------------------------- reading aloud

    @property
    def can_read_aloud(self) -> bool:
        return self.speech is not None

    def read_aloud(self, parts: list[str], on_state: Callable[[bool], None]) -> None:
        if self.speech is None:
            return
        self.speech.stop()  # the previous listener hears its reading end first
        self._reading_listener = on_state
        self.speech.start(parts)

    def stop_reading(self) -> None:
        if self.speech is not None:
            self.speech.stop()

    def _reading_state(self, on: bool) -> None:
        listener = self._reading_listener  # the reading's own, even if another starts meanwhile
        Clock.schedule_once(lambda _dt: listener(on))

    def show_qr(
        self, widget: QrCode, url: str | None, caption: str, page: tuple[str, str] | None = None
    ) -> bool:
        decision = widget.show_url(url, self.qr_policy, caption, page)
        refused = decision.replaced or decision
        if url and not refused.allowed:
            self.qr_withheld.note(url, refused.reason)
        return decision.allowed

    # ---------------------------------------------------------------- session

    def _on_session_reset(self, session: CitizenSession) -> None:
        self.stop_reading()  # the next citizen does not hear the last one's page
        self._hide_countdown()
        for name in self.built_screens:
            self.screen(name).end_session()
        self.apply_theme(session.elderly)

    def _on_window_touch(self, _window: Any, _touch: Any) -> bool:
        """Any touch the lockdown let through keeps the citizen's session alive."""
        if self.navigator.current == ATTRACT:
            return False  # the attract screen starts the session itself
        self.session.touch()
        if self.chrome_built and self.chrome.countdown_shown:
            self.keep_going()
            return True
        return False

    def keep_going(self) -> None:
        self.session.touch()
        self._hide_countdown()

    def _hide_countdown(self) -> None:
        if self.chrome_built:
            self.chrome.hide_countdown()

    # ------------------------------------------------------------------- tick

    def _tick(self, dt: float) -> None:
        self.show_clock(clock_text(datetime.now(HALL_TZ)))
        self._status_age += dt
        try:
            if self._status_age >= STATUS_EVERY_SECONDS:
                self._refresh_status()
            if self.snapshots.poll():
                self.refresh_live_screen()
        except FeedError as exc:  # the store failed a read (it is replaced meanwhile): next tick
            log.warning("store read failed: %s", exc)
            self.show_status("内容存储暂不可读", "offline")
        if not self.idle_enabled:
            return
        state = self.session.tick()
        if state.phase is IdlePhase.WARNING:
            self.chrome.show_countdown(state.countdown)
        elif self.chrome_built and self.chrome.countdown_shown:
            self._hide_countdown()

    def _refresh_status(self) -> None:
        self._status_age = 0.0
        shown = status_text(self.reader.status(), datetime.now(HALL_TZ))
        self.show_status("" if shown.level == "ok" else shown.text, shown.level)

    def _staff_action_done(self) -> None:
        """立即同步 or 从U盘更新 ended (kiosk.logic.staff_actions): the store may hold a new snapshot."""
        self._refresh_status()
        self.refresh_live_screen()
