"""What a citizen must never reach: Kivy's developer key bindings and modules.

Kivy binds keys of its own: F1 opens the settings panel (`App`), and modules enabled in
`~/.kivy/config.ini` or on the command line add more (inspector on Ctrl+E, screenshot on F12,
rotation and resizing on F11 and Shift+F11 from `keybinding`, the `monitor` overlay, …). The kiosk
has no use for a physical keyboard at all (its keyboard is on the screen), so it turns every module
off and takes every key event before anything else sees it.
"""

from __future__ import annotations

import logging
from typing import Any

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
