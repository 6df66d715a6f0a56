"""config/demo.toml configures both apps on the feed `make demo` builds, and every key is explained."""

from __future__ import annotations

from pathlib import Path

from display.config import load_display_config
from feed.config import load_config
from feed.dev.demo import demo_key_paths
from feed.format.signing import load_public_key
from kiosk.config import KioskAppConfig

REPO = Path(__file__).resolve().parents[2]
DEMO_TOML = REPO / "config" / "demo.toml"


def test_demo_config_loads_for_both_apps_with_paths_beside_the_repo() -> None:
    kiosk = load_config(DEMO_TOML, KioskAppConfig)
    display = load_display_config(DEMO_TOML)
    assert display.feed is not None
    assert kiosk.feed == display.feed, "kiosk and display must share one store"
    assert Path(kiosk.feed.source) == REPO / "var" / "demo" / "feed"
    assert kiosk.feed.cache_dir == REPO / "var" / "demo" / "cache"
    assert kiosk.feed.pubkey == demo_key_paths()[1]
    load_public_key(kiosk.feed.pubkey)  # the file it names is a real key
    assert kiosk.kiosk.demo and not kiosk.kiosk.fullscreen and kiosk.kiosk.layout == "tablet"
    assert display.display.output == "terminal" and display.display.panel_size == (128, 32)
    assert not display.display.sync  # the kiosk's loop fills the shared store


def test_every_demo_key_is_explained() -> None:
    lines = DEMO_TOML.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if "=" in line and not line.startswith("#"):
            assert lines[number - 1].startswith("#"), f"undocumented key: {line}"
