"""Kiosk GUI tests (run in their own pytest process: `pytest tests/gui/kiosk_app`).

One window for the whole process (Kivy allows one); each test gets a fresh `KioskApp` attached to
it over a real store synced from the demo feed, and drives it with real touches on the window.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_KIVY_HOME = tempfile.mkdtemp(prefix="kivy-home-")
os.environ["KIVY_NO_ARGS"] = "1"
os.environ["KIVY_NO_CONSOLELOG"] = "1"
os.environ["KIVY_NO_FILELOG"] = "1"
os.environ["KIVY_LOG_MODE"] = "PYTHON"
os.environ["KIVY_HOME"] = _KIVY_HOME
os.environ["KIVY_USE_DEFAULTCONFIG"] = "1"

from kivy.config import Config  # noqa: E402 - after the environment above

Config.set("graphics", "width", "1280")
Config.set("graphics", "height", "800")
Config.set("kivy", "exit_on_escape", "0")
for option, _value in Config.items("input"):
    Config.remove_option("input", option)  # only the touches the tests make

from tests.gui.kiosk_app.kiosk_harness import Kiosk, make_kiosk  # noqa: E402


@pytest.fixture(scope="session")
def demo_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo feed, built, signed and synced into a real SQLite cache by the real sync engine."""
    from feed.dev.demo import prepare_demo_cache

    return prepare_demo_cache(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def cache_copy(demo_cache: Path, tmp_path: Path) -> Path:
    """A private copy of the demo cache (so outbox writes and blob deletions stay in one test)."""
    target = tmp_path / "cache"
    shutil.copytree(demo_cache, target)
    return target


@pytest.fixture
def kiosk(cache_copy: Path) -> Iterator[Kiosk]:
    harness = make_kiosk(cache_copy)
    try:
        yield harness
    finally:
        harness.close()


def pytest_collection_modifyitems(items: list[Any]) -> None:
    for item in items:
        item.add_marker(pytest.mark.gui)
