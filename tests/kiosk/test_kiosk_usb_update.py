"""Finding a feed on a mounted stick (no window needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from feed.config import validate
from feed.errors import ConfigError
from kiosk.config import KioskAppConfig
from kiosk.logic.usb_update import DEFAULT_USB_FEED_DIRS, find_usb_feeds


def make_feed(path: Path) -> Path:
    path.mkdir(parents=True)
    (path / "manifest.json").write_text("{}")
    return path


def test_feeds_are_found_under_the_patterns_in_order(tmp_path: Path) -> None:
    second = make_feed(tmp_path / "media" / "B" / "hall-feed")
    first = make_feed(tmp_path / "media" / "A" / "hall-feed")
    (tmp_path / "media" / "C" / "hall-feed").mkdir(parents=True)  # no manifest: not a feed
    make_feed(tmp_path / "media" / "D" / "other")
    patterns = [f"{tmp_path}/media/*/hall-feed", f"{tmp_path}/media/A/hall-feed"]
    assert find_usb_feeds(patterns) == [first, second]
    assert find_usb_feeds([f"{tmp_path}/nothing/*"]) == []


def test_default_patterns_and_relative_ones_refused() -> None:
    assert DEFAULT_USB_FEED_DIRS == ("/media/hall-feed", "/media/*/hall-feed", "/media/*/*/hall-feed")
    data = {
        "feed": {"source": "https://zwfw.qinghe.example/feed/", "cache_dir": "/tmp/cache"},
        "kiosk": {"fullscreen": False, "usb_feed_dirs": ["media/*/hall-feed"]},
    }
    with pytest.raises(ConfigError, match=r"usb_feed_dirs: 'media/\*/hall-feed' must be an absolute"):
        validate(data, KioskAppConfig, origin="kiosk.toml")
