"""The admin screen's 从U盘更新: a feed on a mounted stick is synced, verified as always; a tampered or
foreign feed changes nothing and staff read why."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from kivy.core.window import Window

from feed.dev.demo import demo_key_paths, demo_source_dir
from feed.format.signing import generate_keypair
from feed.publish.build import build
from feed.store.reader import StoreReader
from kiosk.config import demo_config
from tests.gui.kiosk_app.kiosk_harness import Kiosk, make_kiosk
from tests.gui.kiosk_app.test_lockdown import open_admin
from tests.gui.kiosk_app.test_walkthrough import start


def stick_with_feed(root: Path, sequence: int, key: Path) -> Path:
    """A 'mounted stick' holding hall-feed/: the demo feed built at `sequence`, signed with `key`."""
    feed = root / "media" / "STICK" / "hall-feed"
    build(demo_source_dir(), feed, key, sequence=sequence)
    return feed


def kiosk_with_stick(cache: Path, media: Path) -> Kiosk:
    config = demo_config(cache)
    config = config.replace(kiosk=config.kiosk.replace(usb_feed_dirs=[f"{media}/*/hall-feed"]))
    return make_kiosk(cache, config)


def press_usb_update(kiosk: Kiosk) -> str:
    start(kiosk)
    open_admin(kiosk)
    assert kiosk.screen == "admin"
    kiosk.tap(kiosk.button_with("从U盘更新"))
    screen = kiosk.app.screen("admin")
    assert kiosk.settle_until(lambda: not screen.sync_message.startswith("正在"), timeout=60)
    return str(screen.sync_message)


def held_sequence(cache: Path) -> int:
    with StoreReader.open(cache) as reader:
        sequence = reader.status().sequence
    assert sequence is not None
    return sequence


def test_a_newer_feed_on_a_stick_is_synced(cache_copy: Path, tmp_path: Path) -> None:
    held = held_sequence(cache_copy)
    stick_with_feed(tmp_path, held + 10, demo_key_paths()[0])
    kiosk = kiosk_with_stick(cache_copy, tmp_path / "media")
    try:
        message = press_usb_update(kiosk)
        assert message.startswith(f"已从U盘更新到第 {held + 10} 版"), message
        assert kiosk.reader.status().sequence == held + 10
        assert message in kiosk.texts()
    finally:
        kiosk.close()


@pytest.mark.parametrize("fault", ["tampered", "foreign key", "older"])
def test_a_bad_stick_changes_nothing_and_says_why(cache_copy: Path, tmp_path: Path, fault: str) -> None:
    held = held_sequence(cache_copy)
    key = demo_key_paths()[0]
    if fault == "foreign key":
        other = tmp_path / "other.key"
        other.write_text(generate_keypair()[0] + "\n")
        key = other
    feed = stick_with_feed(tmp_path, held + 10 if fault != "older" else held - 1, key)
    if fault == "tampered":  # someone raised the expiry on the stick: the signature no longer holds
        manifest = feed / "manifest.json"
        text = manifest.read_text()
        manifest.write_text(re.sub(r'"expires":"(\d{4})', lambda m: f'"expires":"{int(m[1]) + 5}', text))
        assert manifest.read_text() != text
    kiosk = kiosk_with_stick(cache_copy, tmp_path / "media")
    try:
        message = press_usb_update(kiosk)
        assert message.startswith("U盘更新失败，本机内容未变："), message
        assert kiosk.reader.status().sequence == held
    finally:
        kiosk.close()


def test_no_stick_says_what_to_insert(cache_copy: Path, tmp_path: Path) -> None:
    kiosk = kiosk_with_stick(cache_copy, tmp_path / "media")
    try:
        message = press_usb_update(kiosk)
        assert message == "未找到U盘上的内容：请插入含 hall-feed 目录的U盘后重试"
        assert Window is not None and message in kiosk.texts()
    finally:
        kiosk.close()
