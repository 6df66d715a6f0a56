"""Kivy calling a kv rule of a widget already freed (a dead weak proxy) is logged, not fatal: the soak
test saw this end the kiosk, and a citizen's session with it, after two minutes of touches."""

from __future__ import annotations

import logging
import weakref

import pytest
from kivy.base import ExceptionManager

from kiosk.lifecycle import StaleBindingHandler


class Freed:
    width = 100


def dead_proxy_error() -> ReferenceError:
    proxy = weakref.proxy(Freed())  # freed at once, as a dropped widget is
    try:
        proxy.width  # noqa: B018 - the access itself is the point
    except ReferenceError as exc:
        return exc
    raise AssertionError("the proxy outlived its widget")


def test_a_dead_proxy_is_logged_and_the_loop_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    handler = StaleBindingHandler()
    with caplog.at_level(logging.WARNING, logger="kiosk.lifecycle"):
        assert handler.handle_exception(dead_proxy_error()) == ExceptionManager.PASS
    assert caplog.records[0].getMessage() == "a freed widget's kv rule was called; going on"
    assert caplog.records[0].exc_info is not None


@pytest.mark.parametrize("error", [ValueError("bug"), KeyError("x"), RuntimeError("y")])
def test_any_other_exception_still_ends_the_app(error: Exception) -> None:
    assert StaleBindingHandler().handle_exception(error) == ExceptionManager.RAISE
