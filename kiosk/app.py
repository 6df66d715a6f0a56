"""The kiosk App: wires the store, the logic layer and the screens, and locks the window down.

Everything a citizen does goes through `navigate` (push), `back`, `home`, and the session's reset.
Screens read the store when they are entered, so a new snapshot shows on the next navigation; the
half-second tick drives the clock, the idle countdown and snapshot polling. A new snapshot becomes
what the screens show in one place, `adopt_snapshot`; a screen nobody reads content on (the attract
loop, the staff status screen) is refreshed at once through one rate-limited Clock trigger.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.properties import ObjectProperty
from kivy.uix.floatlayout import FloatLayout

from feed.api import ContentReader
from feed.errors import FeedError
from kiosk import __version__
from kiosk.config import KioskAppConfig
from kiosk.logic.admin import PinGate, TapPatternDetector
from kiosk.logic.idle import IdlePhase, IdleTimer
from kiosk.logic.layout import Layout, choose_layout
from kiosk.logic.navigation import NavigationChange, Navigator, Route
from kiosk.logic.qr import QrPolicy, WithheldLinks
from kiosk.logic.search import SearchState
from kiosk.logic.session import ATTRACT, HOME, CitizenSession
from kiosk.logic.snapshot_watch import SnapshotWatcher
from kiosk.logic.staff_actions import StaffActions
from kiosk.logic.status_text import HALL_TZ, clock_text, status_text
from kiosk.logic.theme import theme_for
from kiosk.ui.fonts import register_ui_font
from kiosk.ui.lockdown import Lockdown
from kiosk.ui.style import Style

if TYPE_CHECKING:
    from feed.outbox import Outbox
    from kiosk.logic.catalog_view import CatalogTree
    from kiosk.ui.widgets.chrome import Chrome

log = logging.getLogger(__name__)

TICK_SECONDS = 0.5
STATUS_EVERY_SECONDS = 5.0
PREBUILD_DELAY_S = 0.05
LIVE_REFRESH_SECONDS = 0.5  # at most one refresh of a live screen per half second, however often pulled

SyncNow = Callable[[], None]


class KioskRoot(FloatLayout):
    """The chrome (header, screens, footer, idle countdown); the attract layer over it while shown."""


class KioskApp(App):
    style = ObjectProperty(None)
    title = "政务服务触摸查询"
    use_kivy_settings = False

    def __init__(
        self,
        config: KioskAppConfig,
        reader: ContentReader,
        outbox: Outbox | None = None,
        *,
        sync_now: SyncNow | None = None,
        deliver_now: Callable[[], None] | None = None,
        font_path: Path | None = None,
        idle_clock: Callable[[], float] = time.monotonic,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.kiosk_config = config
        self.reader = reader
        self.outbox = outbox
        self.deliver_now = deliver_now or (lambda: None)  # wakes the sender after a submission
        self.font_path = font_path
        self.version = __version__
        settings = config.kiosk
        self.qr_policy = QrPolicy(settings.qr_allowed_hosts)
        self.qr_withheld = WithheldLinks()
        self.navigator = Navigator(HOME)
        self.search = SearchState(
            reader.search,
            settings.search_limit,
            version_fn=reader.snapshot_version,
        )
        self.idle = IdleTimer(settings.idle_seconds, settings.idle_warning_seconds, now=idle_clock)
        self._citizen_limits = (settings.idle_seconds, settings.idle_warning_seconds)
        self._staff_limits = (settings.admin_idle_seconds, settings.idle_warning_seconds)
        self.session = CitizenSession(
            self.navigator, self.search, self.idle, elderly_default=settings.elderly_default
        )
        self.snapshots = SnapshotWatcher(reader.snapshot_version)
        self.pin_gate = PinGate(settings.admin_pin_hash)
        taps = TapPatternDetector(settings.admin_tap_pattern, settings.admin_tap_window_seconds)
        self.lockdown = Lockdown(taps, on_pattern=self.open_admin)
        self.layout: Layout | None = None
        self._catalog_tree: CatalogTree | None = None
        self._chrome: Chrome | None = None
        # What the chrome shows, kept while it is not built yet (the first frame has none).
        self._chrome_state: dict[str, Any] = {"demo": config.kiosk.demo}
        self.font_file: Path | None = None
        self.outbox_problem: str | None = None  # why feedback cannot be stored, when it cannot
        self.idle_enabled = True  # the screenshot tour turns the idle timeout off
        self.staff = StaffActions(
            config.feed,
            settings.usb_feed_dirs,
            sync_now=sync_now,
            post=lambda task: Clock.schedule_once(lambda _dt: task(), 0),
            on_done=self._staff_action_done,
        )
        self.frames_drawn = 0
        self._status_age = STATUS_EVERY_SECONDS
        self._screens: dict[str, Any] = {}
        # Pulled whenever the store may hold something new (a poll saw a new version, a staff action
        # ended); calls within the interval collapse into one refresh.
        self.refresh_live_screen = Clock.create_trigger(self._refresh_live_screen, LIVE_REFRESH_SECONDS)

    # ------------------------------------------------------------------ build

    def build(self) -> KioskRoot:
        """Only what the first frame shows: the attract layer. The header, footer, screen stage and
        idle countdown are built right after that frame (or at the first navigation, if sooner)."""
        Clock.max_iteration = 30  # deep layouts (sections of wrapped text) settle in a few passes
        self.font_file = register_ui_font(self.font_path or self._configured_font())
        self.style = Style()
        self._choose_layout()
        self._apply_theme()

        root = KioskRoot()
        self.root_widget = root
        self.attract_layer = self.screen("attract")
        self.attract_layer.clock = clock_text(datetime.now(HALL_TZ))
        self._set_chrome(clock=self.attract_layer.clock)
        self.navigator.add_listener(self._on_navigation)
        self.session.on_reset(self._on_session_reset)
        self.session.on_elderly(lambda _session: self._apply_theme())
        self._hall_name()
        self.navigator.reset_to(ATTRACT)  # its listener shows the attract screen
        return root

    @property
    def chrome(self) -> Chrome:
        """The header, stage, footer and countdown (kiosk.ui.widgets.chrome), built on first use:
        right after the first frame, or at the first navigation if that comes sooner. The attract
        loop covers the whole window as its own layer above it."""
        if self._chrome is None:
            from kiosk.ui.widgets.chrome import Chrome

            chrome = Chrome(**self._chrome_state)
            chrome.bind(
                on_back=lambda *_: self.back(),
                on_home=lambda *_: self.home(),
                on_elderly=lambda *_: self.session.toggle_elderly(),
                on_continue=lambda *_: self.keep_going(),
            )
            self.root_widget.add_widget(chrome, index=len(self.root_widget.children))
            self._chrome = chrome
        return self._chrome

    @property
    def chrome_built(self) -> bool:
        return self._chrome is not None

    def _set_chrome(self, **values: Any) -> None:
        """What the chrome shows (hall name, clock, status, back button …), now or once it is built."""
        self._chrome_state.update(values)
        if self._chrome is not None:
            for name, value in values.items():
                setattr(self._chrome, name, value)

    def on_start(self) -> None:
        Window.bind(on_touch_down=self._on_window_touch, size=self._on_window_size, on_flip=self._count_frame)
        self.lockdown.engage(Window)  # after the app's own bindings: it sees each event first
        self._tick_event = Clock.schedule_interval(self._tick, TICK_SECONDS)
        self._refresh_status()

    def _after_first_frame(self) -> None:
        """Once the attract screen is on the glass: the chrome, then the other screens, one per frame.
        Keyed to the flip, not to a Clock delay: Kivy's first tick runs every timeout already due."""
        Clock.schedule_once(lambda _dt: self.chrome, 0)
        Clock.schedule_once(self._prebuild_one, PREBUILD_DELAY_S)

    def _prebuild_one(self, _dt: float) -> None:
        """Build the remaining screens one per frame, before anyone touches."""
        from kiosk.ui.screens.registry import SCREEN_MODULES

        missing = [name for name in SCREEN_MODULES if name not in self._screens]
        if missing:
            self.screen(missing[0])
            Clock.schedule_once(self._prebuild_one, PREBUILD_DELAY_S)

    def on_stop(self) -> None:
        self.lockdown.release(Window)
        Window.unbind(
            on_touch_down=self._on_window_touch, size=self._on_window_size, on_flip=self._count_frame
        )
        if getattr(self, "_tick_event", None) is not None:
            self._tick_event.cancel()

    def _configured_font(self) -> Path | None:
        font = self.kiosk_config.kiosk.font_path()
        return font if font.exists() else None

    # ------------------------------------------------------------- navigation

    def screen(self, name: str) -> Any:
        """The screen called `name`, built on first use."""
        found = self._screens.get(name)
        if found is None:
            from kiosk.ui.screens.registry import screen_class

            found = self._screens[name] = screen_class(name)(name=name, host=self)
        return found

    @property
    def catalog_tree(self) -> CatalogTree:
        """The catalogue index, built at the first catalogue visit after each new snapshot."""
        if self._catalog_tree is None:
            from kiosk.logic.catalog_view import CatalogTree

            self._catalog_tree = CatalogTree(self.reader.catalog())
        return self._catalog_tree

    @property
    def current_screen(self) -> Any:
        if self.attract_layer.parent is not None:
            return self.attract_layer
        return self.chrome.current_screen

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

    def _on_navigation(self, change: NavigationChange) -> None:
        self._present(change.route)

    def _present(self, route: Route) -> None:
        """Show `route` from the newest snapshot: every path that (re)enters a screen comes here."""
        self.adopt_snapshot()
        self._show(route)

    def adopt_snapshot(self) -> bool:
        """Make the newest polled snapshot the one the screens show, with everything derived from the
        old one (catalogue index, hall name) dropped; True when there was one to adopt. The only place
        a snapshot is adopted (`_present` calls it for every screen it shows)."""
        if not self.snapshots.apply():
            return False
        self._catalog_tree = None
        self._hall_name()
        return True

    def _refresh_live_screen(self, _dt: float) -> None:
        """The trigger's work: a live screen (`BaseScreen.live_update`) takes a new snapshot at once and
        re-reads; any other screen keeps what the citizen is reading until the next navigation."""
        screen = self._screens.get(self.navigator.current.screen)
        if screen is None or not screen.live_update:
            return
        try:
            self.snapshots.poll()
            self._present(self.navigator.current)
        except FeedError as exc:  # the store failed a read (it is replaced meanwhile): next pull
            log.warning("store read failed: %s", exc)

    def _show(self, route: Route) -> None:
        from kiosk.ui.screens.registry import SCREEN_MODULES

        if route.screen not in SCREEN_MODULES:
            return
        screen = self.screen(route.screen)
        try:
            screen.enter(route)
        except FeedError as exc:  # a store read failed (a damaged store is replaced meanwhile)
            log.warning("%s: store read failed: %s", route.screen, exc)
        if screen.chrome:
            self.chrome.show(screen)
            if self.attract_layer.parent is not None:
                self.root_widget.remove_widget(self.attract_layer)
                self.attract_layer.stop_rotation()
        elif self.attract_layer.parent is None:
            self.attract_layer.size_hint = (1, 1)
            self.attract_layer.pos_hint = {"x": 0, "y": 0}
            self.root_widget.add_widget(self.attract_layer)
        self._set_chrome(can_go_back=self.navigator.can_go_back and route != HOME)
        if screen.idle_rule == "suspend":
            self.idle.suspend()
            return
        limits = self._staff_limits if screen.idle_rule == "staff" else self._citizen_limits
        if self.idle.suspended or self.idle.limits != limits:
            self.idle.resume(*limits)

    # ---------------------------------------------------------------- session

    def _on_session_reset(self, _session: CitizenSession) -> None:
        self._hide_countdown()
        for screen in self._screens.values():
            screen.forget()
        self._apply_theme()

    def keep_going(self) -> None:
        self.session.touch()
        self._hide_countdown()

    def _hide_countdown(self) -> None:
        if self._chrome is not None:
            self._chrome.hide_countdown()

    # ------------------------------------------------------------ appearance

    def _choose_layout(self) -> None:
        self.layout = choose_layout(self.kiosk_config.kiosk.layout, (Window.width, Window.height))

    def _apply_theme(self) -> None:
        assert self.layout is not None
        elderly = self.session.elderly
        scale = self.kiosk_config.kiosk.elderly_font_scale if elderly else 1.0
        # A theme change notifies every kv rule bound to the style. A garbage collection in the
        # middle of that frees dropped widgets whose rules may be next in line, and Kivy then calls
        # them through a dead weak proxy (ReferenceError: the soak test crashed the kiosk this way).
        collecting = gc.isenabled()
        gc.disable()
        try:
            self.style.apply(theme_for(elderly, scale), self.layout)
        finally:
            if collecting:
                gc.enable()
        Window.clearcolor = tuple(self.style.background)
        self._set_chrome(elderly_mode=elderly)

    def _on_window_size(self, _window: Any, _size: Any) -> None:
        previous = self.layout
        self._choose_layout()
        if self.layout != previous:
            self._apply_theme()

    def _hall_name(self) -> None:
        hall = self.reader.hall_heading()
        self.hall_title = hall.name if hall is not None else "政务服务中心"
        self._set_chrome(hall_name=hall.short_name if hall is not None else "政务服务中心")

    # ------------------------------------------------------------ staff entry

    def _on_window_touch(self, _window: Any, _touch: Any) -> bool:
        """Any touch the lockdown let through keeps the citizen's session alive."""
        if self.navigator.current == ATTRACT:
            return False  # the attract screen starts the session itself
        self.session.touch()
        if self._chrome is not None and self._chrome.countdown_shown:
            self.keep_going()
            return True
        return False

    def open_settings(self, *_args: Any) -> bool:
        return False  # Kivy's settings panel is for developers, never on a kiosk

    def open_admin(self) -> None:
        if not self.kiosk_config.kiosk.admin_screen:
            return
        self.navigate(Route("admin" if not self.pin_gate.required else "admin_pin"))

    def exit_kiosk(self) -> None:
        """The admin screen's 退出程序 and the operating system's stop request (kiosk.lifecycle)."""
        self.lockdown.allow_exit()
        self.stop()

    # -------------------------------------------------------------- QR codes

    def show_qr(self, widget: Any, url: str | None, caption: str) -> bool:
        decision = widget.show_url(url, self.qr_policy, caption)
        if url and not decision.allowed:
            self.qr_withheld.note(url, decision.reason)
        return bool(decision.allowed)

    # ------------------------------------------------------------------ sync

    def _staff_action_done(self) -> None:
        """立即同步 or 从U盘更新 ended (kiosk.logic.staff_actions): the store may hold a new snapshot."""
        self._refresh_status()
        self.refresh_live_screen()

    # ------------------------------------------------------------------ tick

    def _tick(self, dt: float) -> None:
        clock = clock_text(datetime.now(HALL_TZ))
        self._set_chrome(clock=clock)
        attract = self._screens.get("attract")
        if attract is not None:
            attract.clock = clock
        self._status_age += dt
        try:
            if self._status_age >= STATUS_EVERY_SECONDS:
                self._refresh_status()
            if self.snapshots.poll():
                self.refresh_live_screen()
        except FeedError as exc:  # the store failed a read (it is replaced meanwhile): next tick
            log.warning("store read failed: %s", exc)
            self._show_status("内容存储暂不可读", "offline")
        if not self.idle_enabled:
            return
        state = self.session.tick()
        if state.phase is IdlePhase.WARNING:
            self.chrome.show_countdown(state.countdown)
        elif self._chrome is not None and self._chrome.countdown_shown:
            self._hide_countdown()

    def _refresh_status(self) -> None:
        self._status_age = 0.0
        shown = status_text(self.reader.status(), datetime.now(HALL_TZ))
        self._show_status("" if shown.level == "ok" else shown.text, shown.level)

    def _show_status(self, text: str, level: str) -> None:
        """The content status (离线 · 内容更新于 …; "" when healthy) in the header and on the attract loop."""
        self._set_chrome(status=text, status_level=level)
        attract = self._screens.get("attract")
        if attract is not None:
            attract.status = text

    def _count_frame(self, *_args: Any) -> None:
        self.frames_drawn += 1
        if self.frames_drawn == 1:
            self._after_first_frame()
