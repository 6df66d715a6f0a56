"""config/demo.toml configures both apps on the feed `make demo` builds, every key is explained, and
`hall-kiosk --demo` runs with it (there is no second copy of the demo's settings in code)."""

from __future__ import annotations

from pathlib import Path

import pytest

from display.config import load_display_config
from feed.config import load_config
from feed.dev.demo import DEMO_CENTRE_URL, DEMO_DIR_ENV, demo_config_file, demo_key_paths
from feed.format.signing import load_public_key
from kiosk.cli import build_parser, load_app_config, window_size
from kiosk.config import KioskAppConfig
from kiosk.logic.layout import choose_layout

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
    assert kiosk.kiosk.demo and not kiosk.kiosk.fullscreen
    window = window_size(build_parser().parse_args(["--config", str(DEMO_TOML)]), kiosk)
    assert choose_layout(kiosk.kiosk.layout, window).name == "tablet"
    assert display.display.output == "terminal" and display.display.panel_size == (128, 32)
    assert not display.display.sync  # the kiosk's loop fills the shared store


def test_every_demo_key_is_explained() -> None:
    lines = DEMO_TOML.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if "=" in line and not line.startswith("#"):
            assert lines[number - 1].startswith("#"), f"undocumented key: {line}"


def test_hall_kiosk_demo_runs_with_demo_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert demo_config_file() == DEMO_TOML
    monkeypatch.setenv(DEMO_DIR_ENV, str(tmp_path))
    demo = load_app_config(build_parser().parse_args(["--demo"]))  # builds and syncs the demo feed
    shipped = load_config(DEMO_TOML, KioskAppConfig)
    assert demo.kiosk == shipped.kiosk and demo.device == shipped.device
    assert demo.feed.poll_seconds == shipped.feed.poll_seconds
    assert demo.feed.cache_dir == tmp_path / "cache" and demo.feed.source == str(tmp_path / "feed")
    assert demo.feed.pubkey == demo_key_paths()[1]
    assert demo.centre is None  # no demo centre has registered this kiosk

    (tmp_path / "demo-kiosk.token").write_text("demo-token\n")  # as scripts/demo.sh registers it
    linked = load_app_config(build_parser().parse_args(["--demo"]))
    assert linked.centre is not None and linked.centre.url == DEMO_CENTRE_URL
    assert linked.centre.token_file == tmp_path / "demo-kiosk.token"
