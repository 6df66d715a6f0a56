"""What a citizen must never reach: a way out of the app, Kivy's developer key bindings and modules,
and gestures of three or more fingers; and the one way in for staff, the corner tap pattern.

Kivy binds keys of its own: F1 opens the settings panel (`App`), and modules enabled in
`~/.kivy/config.ini` or on the command line add more (inspector on Ctrl+E, screenshot on F12,
rotation and resizing on F11 and Shift+F11 from `keybinding`, the `monitor` overlay, …). The kiosk
has no use for a physical keyboard at all (its keyboard is on the screen), so it turns every module
off and takes every key event before anything else sees it. The window manager's close request is
refused until the app itself decides to exit (the admin screen's 退出程序, or SIGTERM).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kivy.base import EventLoop

from kiosk.logic.admin import TapPatternDetector

log = logging.getLogger(__name__)

KEY_EVENTS = ("on_key_down", "on_key_up", "on_keyboard")


def disable_kivy_modules() -> list[str]:
    """Stop every active Kivy module on every window and forget the configured ones; returns the
    names of those that were active. (`kiosk.cli` also clears them before the window exists, so in
    production none starts at all.)"""
    from kivy.config import Config
    from kivy.modules import Modules

    for name, _value in Config.items("modules"):
        Config.remove_option("modules", name)
    stopped = []
    for name, module in Modules.mods.items():
        if not module.get("activated"):
            continue
        stopped.append(name)
        for window in list(Modules.wins):
            try:
                Modules.deactivate_module(name, window)
            except Exception as exc:  # some modules' stop() is broken (monitor's); go on with the rest
                log.warning("cannot stop the Kivy module %s: %s", name, exc)
    return stopped


def _swallow(*_args: Any, **_kwargs: Any) -> bool:
    return True  # handled: Kivy stops dispatching it


def swallow_keys(window: Any) -> None:
    """Take every key event first (Kivy calls the handler bound last first) and stop it there."""
    for event in KEY_EVENTS:
        window.fbind(event, _swallow)


def release_keys(window: Any) -> None:
    for event in KEY_EVENTS:
        window.funbind(event, _swallow)


class Lockdown:
    """Holds the window from `engage` (the app's start) to `release` (its stop).

    Meanwhile every key is swallowed and every Kivy module stopped, the window manager's close is
    refused until `allow_exit`, touches while three or more fingers are down do nothing, and the
    staff tap pattern (`TapPatternDetector`) calls `on_pattern` instead of reaching the screen.
    """

    def __init__(self, taps: TapPatternDetector, on_pattern: Callable[[], None]) -> None:
        self._taps = taps
        self._on_pattern = on_pattern
        self._exit_allowed = False

    @property
    def exit_allowed(self) -> bool:
        return self._exit_allowed

    def allow_exit(self) -> None:
        """The app is about to stop on purpose: let the window close."""
        self._exit_allowed = True

    def engage(self, window: Any) -> None:
        """Bind to `window` after the app's own handlers, so the lockdown sees each event first."""
        disable_kivy_modules()
        window.fbind("on_touch_down", self._on_touch_down)
        window.fbind("on_request_close", self._on_request_close)
        swallow_keys(window)  # bound last: before App's F1 binding too

    def release(self, window: Any) -> None:
        release_keys(window)
        window.funbind("on_touch_down", self._on_touch_down)
        window.funbind("on_request_close", self._on_request_close)

    def _on_touch_down(self, window: Any, touch: Any) -> bool:
        if len(EventLoop.touches) > 2:
            return True  # no gestures of three or more fingers
        if self._taps.tap(touch.x, touch.y, (window.width, window.height)):
            self._on_pattern()
            return True
        return False

    def _on_request_close(self, *_args: Any, **_kwargs: Any) -> bool:
        return not self._exit_allowed  # True keeps the window open
