"""No way out for a citizen: real key presses from the X server reach no Kivy default binding, and
the staff screens close themselves when staff walk away."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kivy.config import Config
from kivy.core.window import Window
from kivy.modules import Modules
from kivy.uix.settings import Settings

from kiosk.config import demo_config
from kiosk.logic.admin import hash_pin
from tests.gui.kiosk_app.kiosk_harness import Kiosk, make_kiosk, walk
from tests.gui.kiosk_app.test_walkthrough import start

XDOTOOL = shutil.which("xdotool")
# Kivy's own bindings: F1 settings (App), Ctrl+E inspector, F12 screenshot and F11 / Shift+F11 rotate
# and resize (keybinding), F8 / F7 / F6 record and replay input (recorder), Escape and Alt+F4 close,
# Ctrl+Q and Ctrl+W quit on some platforms.
KEYS = ("F1", "ctrl+e", "F12", "F11", "shift+F11", "F8", "F7", "F6", "Escape", "alt+F4", "ctrl+q", "ctrl+w")
MODULES = ("inspector", "keybinding", "recorder", "console", "showborder")


def press(*keys: str) -> None:
    """Key presses as the X server delivers them from a real keyboard (XTEST), to the focused window."""
    assert XDOTOOL is not None
    env = dict(os.environ)
    # No window manager runs under Xvfb: give the kiosk's window the keyboard focus explicitly.
    focus = [XDOTOOL, "search", "--limit", "1", "--pid", str(os.getpid()), "windowfocus"]
    subprocess.run(focus, check=True, env=env, timeout=10)
    for key in keys:
        subprocess.run([XDOTOOL, "key", "--delay", "30", key], check=True, env=env, timeout=10)


def deliver_window_events(kiosk: Kiosk, seconds: float = 0.3) -> None:
    """Let SDL hand the X server's events to the window, frame by frame, as Kivy's own loop does
    (the harness draws frames without polling SDL)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        Window.mainloop()
        kiosk.frames(1)


class KeyProbe:
    """Bound after the kiosk's own handler, so it sees each key first and lets it go on."""

    def __init__(self) -> None:
        self.keys: list[int] = []

    def __call__(self, _window: Any, key: int, *_args: Any) -> None:
        self.keys.append(key)


@pytest.fixture
def hostile_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Modules enabled as `~/.kivy/config.ini` or `-m` on the command line would (files land in cwd)."""
    monkeypatch.chdir(tmp_path)
    for name in MODULES:
        Config.set("modules", name, "")
    Modules.update()
    assert all(Modules.mods[name]["activated"] for name in MODULES)
    try:
        yield
    finally:
        for name in MODULES:
            if Config.has_option("modules", name):
                Config.remove_option("modules", name)
        Modules.update()


@pytest.mark.skipif(XDOTOOL is None, reason="real key events need xdotool (apt-get install xdotool)")
def test_no_kivy_key_binding_reaches_a_citizen(
    cache_copy: Path, hostile_modules: None, tmp_path: Path
) -> None:
    kiosk = make_kiosk(cache_copy)
    probe = KeyProbe()
    Window.bind(on_key_down=probe)
    try:
        start(kiosk)
        size, rotation = tuple(Window.size), Window.rotation
        for key in KEYS:
            press(key)
            deliver_window_events(kiosk)
        assert 282 in probe.keys and 293 in probe.keys, "the key presses did not reach the window"
        assert not any(isinstance(widget, Settings) for widget in walk(Window))
        assert [child for child in Window.children if child is not kiosk.app.root] == []
        assert not any(Modules.mods[name]["activated"] for name in MODULES)
        assert (tuple(Window.size), Window.rotation) == (size, rotation)
        assert list(tmp_path.glob("*.png")) == [] and list(tmp_path.glob("*.kvi")) == []
        assert kiosk.screen == "home" and not kiosk.app.lockdown.exit_allowed
    finally:
        Window.unbind(on_key_down=probe)
        kiosk.close()


def open_admin(kiosk: Kiosk) -> None:
    w, h = Window.width, Window.height
    for x, y in ((5, h - 5), (w - 5, h - 5), (5, h - 5), (w - 5, 5)):
        kiosk.tap_at(x, y)


def test_the_admin_screen_times_out_after_its_own_delay(kiosk: Kiosk) -> None:
    start(kiosk)
    open_admin(kiosk)
    assert kiosk.screen == "admin"
    settings = kiosk.app.kiosk_config.kiosk
    assert settings.admin_idle_seconds > settings.idle_seconds
    kiosk.clock.now += settings.idle_seconds + 1  # a citizen's timeout is not a staff member's
    kiosk.settle(seconds=1.2)
    assert kiosk.screen == "admin"
    kiosk.clock.now += settings.admin_idle_seconds - settings.idle_seconds
    assert kiosk.settle_until(lambda: kiosk.screen == "attract", timeout=5), kiosk.screen
    # The next citizen gets the citizen's timeout again.
    kiosk.tap_at(Window.width / 2, Window.height / 2)
    assert kiosk.settle_until(lambda: kiosk.screen == "home")
    kiosk.clock.now += settings.idle_seconds + 1
    assert kiosk.settle_until(lambda: kiosk.screen == "attract", timeout=5), kiosk.screen


def test_the_pin_pad_times_out_too(cache_copy: Path) -> None:
    config = demo_config(cache_copy)
    config = config.replace(kiosk=config.kiosk.replace(admin_pin_hash=hash_pin("2468", iterations=10_000)))
    kiosk = make_kiosk(cache_copy, config)
    try:
        start(kiosk)
        open_admin(kiosk)
        assert kiosk.screen == "admin_pin"
        kiosk.clock.now += config.kiosk.admin_idle_seconds + 1
        assert kiosk.settle_until(lambda: kiosk.screen == "attract", timeout=5), kiosk.screen
    finally:
        kiosk.close()


def test_without_an_admin_screen_the_corner_taps_open_nothing(cache_copy: Path) -> None:
    config = demo_config(cache_copy)
    config = config.replace(kiosk=config.kiosk.replace(admin_screen=False))
    kiosk = make_kiosk(cache_copy, config)
    try:
        start(kiosk)
        open_admin(kiosk)
        assert kiosk.screen == "home"
    finally:
        kiosk.close()
