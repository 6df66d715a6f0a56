"""Kiosk GUI tests (run in their own pytest process: `pytest tests/gui/kiosk_app`).

One window for the whole process (Kivy allows one); each test gets a fresh `KioskApp` attached to
it over a real store synced from the demo feed, and drives it with real touches on the window.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.kivy_env import configure_test_window, use_quiet_kivy

use_quiet_kivy(default_config=True)
configure_test_window()

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
