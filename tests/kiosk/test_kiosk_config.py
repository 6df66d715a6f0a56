"""The kiosk TOML: the shipped example loads, bad values give FILE: [section] key: message."""

from __future__ import annotations

from pathlib import Path

import pytest

from feed.assets import ui_font
from feed.config import load_config
from feed.errors import ConfigError
from kiosk.cli import build_parser, window_size
from kiosk.config import KioskAppConfig, demo_config
from kiosk.logic.admin import hash_pin
from kiosk.logic.layout import choose_layout
from kiosk.logic.qr import QrPolicy

REPO = Path(__file__).resolve().parents[2]

MINIMAL = """
[feed]
source = "https://zwfw.qinghe.example/feed/"
cache_dir = "cache"
"""
PIN = hash_pin("2468", iterations=10_000)
WITH_PIN = f'admin_pin_hash = "{PIN}"\n'


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_example_is_valid_and_documented() -> None:
    path = REPO / "config" / "kiosk.toml"
    config = load_config(path, KioskAppConfig)
    assert config.feed.source.startswith("https://zwfw.qinghe.example/")
    assert config.feed.cache_dir == Path("/var/lib/hall-kiosk/cache")
    assert config.kiosk.admin_pin_hash is not None
    assert QrPolicy(config.kiosk.qr_allowed_hosts).allows("https://zwfw.qinghe.example/guide/1")
    # Every key set in the file carries a comment just above it.
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if "=" in line and not line.startswith("#"):
            assert lines[number - 1].startswith("#"), f"undocumented key: {line}"


def test_defaults_and_relative_paths(tmp_path: Path) -> None:
    text = MINIMAL + '\n[kiosk]\nfont = "fonts/Full.otf"\n' + WITH_PIN
    config = load_config(_write(tmp_path, text), KioskAppConfig)
    assert config.feed.cache_dir == tmp_path / "cache"
    assert config.kiosk.font == tmp_path / "fonts" / "Full.otf"
    assert config.kiosk.font_path() == tmp_path / "fonts" / "Full.otf"
    assert config.kiosk.idle_seconds == 90 and config.kiosk.idle_warning_seconds == 15
    assert config.kiosk.layout == "auto" and config.kiosk.fullscreen
    assert config.device.id == "kiosk-1"
    assert config.kiosk.admin_idle_seconds == 180 and config.kiosk.admin_screen


def test_fullscreen_without_a_pin_is_refused_with_how_to_make_one(tmp_path: Path) -> None:
    path = _write(tmp_path, MINIMAL)
    with pytest.raises(ConfigError) as caught:
        load_config(path, KioskAppConfig)
    assert str(caught.value) == (
        f"{path}: [kiosk] admin_pin_hash: required when fullscreen = true: make one with"
        " `hall-kiosk --hash-pin` (type the PIN, 4-12 digits) and paste the line it prints here;"
        " or set admin_screen = false for a kiosk without an admin screen"
    )


@pytest.mark.parametrize("setting", ["admin_screen = false", "fullscreen = false"])
def test_no_pin_is_needed_without_an_admin_screen_or_off_fullscreen(tmp_path: Path, setting: str) -> None:
    config = load_config(_write(tmp_path, MINIMAL + f"\n[kiosk]\n{setting}\n"), KioskAppConfig)
    assert config.kiosk.admin_pin_hash is None


def test_a_fullscreen_kiosk_refuses_unsigned_feeds_and_says_what_to_set(tmp_path: Path) -> None:
    text = MINIMAL + "allow_unsigned = true\n\n[kiosk]\n" + WITH_PIN
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path, KioskAppConfig)
    assert str(caught.value) == (
        f"{path}: [feed] allow_unsigned: must be false when [kiosk] fullscreen = true: a kiosk in a hall"
        " shows only a signed feed; set pubkey to the publisher's public key file (unsigned feeds are"
        " for tests and windowed demos)"
    )
    windowed = load_config(
        _write(tmp_path, text.replace("[kiosk]\n", "[kiosk]\nfullscreen = false\n")), KioskAppConfig
    )
    assert windowed.feed.allow_unsigned


def test_default_font_is_the_bundled_one(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, MINIMAL + "\n[kiosk]\n" + WITH_PIN), KioskAppConfig)
    assert config.kiosk.font_path() == ui_font()


def test_a_display_table_is_ignored(tmp_path: Path) -> None:
    text = MINIMAL + '\n[kiosk]\nadmin_screen = false\n[display]\ndriver = "ddp"\n'
    text += "[display.panel]\nwidth = 128\n"
    assert load_config(_write(tmp_path, text), KioskAppConfig).kiosk.layout == "auto"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('[kiosk]\nlayout = "round"', "[kiosk] layout:"),
        ("[kiosk]\nidle_seconds = 5", "[kiosk] idle_seconds:"),
        ("[kiosk]\nidle_seconds = 15", "[kiosk] idle_warning_seconds:"),  # the default 15 no longer fits
        (
            "[kiosk]\nidle_seconds = 30\nidle_warning_seconds = 30",
            "[kiosk] idle_warning_seconds: must be shorter than idle_seconds (30)",
        ),
        ('[kiosk]\nqr_allowed_hosts = ["https://evil.example/"]', "[kiosk] qr_allowed_hosts:"),
        ('[kiosk]\nqr_allowed_hosts = ["*"]', "[kiosk] qr_allowed_hosts:"),
        ('[kiosk]\nadmin_pin_hash = "1234"', "[kiosk] admin_pin_hash:"),
        ('[kiosk]\nadmin_tap_pattern = ["top-left", "middle", "top-right"]', "[kiosk.admin_tap_pattern] 1:"),
        ('[kiosk]\nadmin_tap_pattern = ["top-left", "top-right"]', "[kiosk] admin_tap_pattern: expected"),
        ('[kiosk]\nlayout = "round"', "allowed: auto, portrait, landscape, tablet"),
        ('[kiosk]\ncolour = "red"', "[kiosk] colour: unknown key"),
        ("[kiosk]\nelderly_font_scale = 3", "[kiosk] elderly_font_scale:"),
        ('[kiosk]\nphone_site_base = "https://qinghe.example/feed/m"', "[kiosk] phone_site_base: must be"),
        ('[kiosk]\nphone_site_base = "ftp://zwfw.qinghe.example/m/"', "[kiosk] phone_site_base: must be"),
        ('[kiosk]\nphone_site_base = "https://a.example/m/?x=1/"', "[kiosk] phone_site_base: must be"),
        ('[kiosk]\nhot_keywords = ["这个热词实在是太长了超过十二个字"]', "[kiosk.hot_keywords] 0:"),
        ("[scanner]\nport = 1", "scanner: unknown key"),
        ('[printer]\nqueue = "hall printer"', "[printer] queue:"),
        ('[printer]\nqueue = "hall"\ndaily_pages = 0', "[printer] daily_pages:"),
        ("[printer]\ndaily_pages = 10", "[printer] queue:"),
        ('[speech]\nplayer = ["play", "-q"]', '[speech] player: must name the file to play as "{wav}"'),
        ("[speech]\nwords_per_minute = 1000", "[speech] words_per_minute:"),
        ('[speech]\nengine = "say"', "[speech] engine:"),
    ],
)
def test_bad_values_name_file_section_and_key(tmp_path: Path, extra: str, message: str) -> None:
    path = _write(tmp_path, MINIMAL + "\n" + extra + "\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path, KioskAppConfig)
    text = str(caught.value)
    assert text.startswith(f"{path}: ")
    assert message in text


def test_every_bad_key_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    text = (
        '[feed]\nsource = "https://zwfw.qinghe.example/feed/"\ncache_dir = 3\n'
        '[device]\ngroups = ["Floor 1"]\n'
        '[kiosk]\nlayout = "round"\nidle_seconds = 5\ncolour = "red"\n'
        "[scanner]\nport = 1\n"
    )
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path, KioskAppConfig)
    lines = str(caught.value).splitlines()
    assert sorted(line.removeprefix(f"{path}: ").split(":")[0] for line in lines) == [
        "[device.groups] 0",
        "[feed] cache_dir",
        "[kiosk] colour",
        "[kiosk] idle_seconds",
        "[kiosk] layout",
        "scanner",
    ]


def test_a_feed_source_must_be_a_url_or_a_directory(tmp_path: Path) -> None:
    path = _write(tmp_path, '[feed]\nsource = "ftp://files.example/feed"\ncache_dir = "cache"\n')
    with pytest.raises(ConfigError, match=r"\[feed\] source: must be an http\(s\) URL or a directory"):
        load_config(path, KioskAppConfig)
    text = '[feed]\nsource = "feed"\ncache_dir = "cache"\n[kiosk]\n' + WITH_PIN
    relative = load_config(_write(tmp_path, text), KioskAppConfig)
    assert relative.feed.source == str(tmp_path / "feed")


def test_hosts_are_normalised_and_a_pin_hash_accepted(tmp_path: Path) -> None:
    text = MINIMAL + '\n[kiosk]\nqr_allowed_hosts = ["ZWFW.Qinghe.Example."]\n' + WITH_PIN
    config = load_config(_write(tmp_path, text), KioskAppConfig)
    assert config.kiosk.qr_allowed_hosts == ["zwfw.qinghe.example"]
    assert config.kiosk.admin_pin_hash == PIN


def test_demo_config(tmp_path: Path) -> None:
    config = demo_config(tmp_path / "cache")
    assert config.kiosk.demo and not config.kiosk.fullscreen
    args = build_parser().parse_args(["--demo"])
    assert choose_layout(config.kiosk.layout, window_size(args, config)).name == "tablet"
    assert config.kiosk.idle_seconds == 45 and config.kiosk.idle_warning_seconds < 45
    assert config.kiosk.admin_pin_hash is None
    assert config.feed.source == str(tmp_path / "feed")
    assert QrPolicy(config.kiosk.qr_allowed_hosts).allows("https://zwfw.qinghe.example/guide/x")
    assert config.kiosk.hot_keywords
