"""The App offers every screen what `ScreenHost` lists (mypy checks the screens' side)."""

from __future__ import annotations

from kiosk.ui.screens.host import ScreenHost
from tests.gui.kiosk_app.kiosk_harness import Kiosk


def test_the_app_is_a_screen_host(kiosk: Kiosk) -> None:
    assert isinstance(kiosk.app, ScreenHost)
    assert all(screen.host is kiosk.app for screen in (kiosk.app.screen("home"), kiosk.app.attract_layer))
