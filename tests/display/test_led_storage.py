"""hall-display on a cache in trouble: a read-only filesystem, a truncated store.db, a full disk. It
starts, plays the last good headlines (a green one here, where the fallback would be amber), and its
log says what is really wrong."""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from display.cli import main
from display.feedlink import open_store
from feed import DeviceConfig, StoreReader
from feed.format.signing import generate_keypair, load_public_key, load_signing_key
from feed.publish.writer import write_feed
from feed.schema import Headline
from feed.sync import SyncSettings, sync_once
from tests.display.ledhelpers import write_display_config
from tests.storage_kit import copy_cache, fill, remount_read_only, small_tmpfs

GREEN, RED = (0, 255, 0), (255, 0, 0)


def publish(folder: Path, sequence: int, colour: str) -> None:
    notice = Headline(
        kind="headline",
        id=f"notice-{sequence}",
        text="今日办理不动产登记请到二楼",
        dwell_seconds=2,
        color=colour,
    )
    write_feed(
        folder / "feed",
        feed_id="led-storage",
        records=[notice],
        blobs={},
        sequence=sequence,
        expires=datetime.now(UTC) + timedelta(days=1),
        key=load_signing_key(folder / "hall.key"),
    )


@pytest.fixture
def synced(tmp_path: Path) -> Path:
    """A cache holding a green headline, synced from a signed feed in `tmp_path/feed`."""
    secret, public = generate_keypair()
    (tmp_path / "hall.key").write_text(secret, encoding="ascii")
    (tmp_path / "hall.pub").write_text(public, encoding="ascii")
    publish(tmp_path, 1, "#00ff00")
    pubkey = load_public_key(tmp_path / "hall.pub")
    assert (
        sync_once(SyncSettings(str(tmp_path / "feed"), tmp_path / "cache", pubkey=pubkey)).outcome
        == "updated"
    )
    return tmp_path / "cache"


def play(tmp_path: Path, cache: Path, *, source: str, own_sync: bool) -> set[tuple[int, ...]]:
    """Run hall-display for a few seconds on `cache`; the colours of its last frame."""
    frames = tmp_path / "frames"
    config = write_display_config(
        tmp_path / "display.toml",
        source=source,
        cache=str(cache),
        frames=frames,
        sync=own_sync,
        every=15,
        timeout=1,
    )
    assert main(["--config", str(config), "--duration", "4"]) == 0
    last = Image.open(sorted(frames.glob("*.png"))[-1]).convert("RGB")
    return {colour for _, colour in last.getcolors(4096) or []}


def test_a_read_only_cache_plays_the_last_headlines(
    synced: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    with small_tmpfs(tmp_path / "ro", "8m") as mount:
        cache = copy_cache(synced, mount / "cache")
        remount_read_only(mount)
        colours = play(tmp_path, cache, source=str(tmp_path / "feed"), own_sync=False)
    assert GREEN in colours
    assert "the cache filesystem is read-only" in caplog.text
    assert "corrupt" not in caplog.text


def test_a_truncated_store_is_rebuilt_by_the_displays_own_sync(
    synced: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    os.truncate(synced / "store.db", 8192)  # its first two pages: the tables are gone
    # The feed is out of reach: the headline can only come back from the verified objects.
    colours = play(tmp_path, synced, source="http://127.0.0.1:9/", own_sync=True)
    assert GREEN in colours
    assert "store.db was damaged" in caplog.text and "rebuilt from the cached objects" in caplog.text


def test_a_full_disk_keeps_the_screen_and_its_sync_going(
    synced: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    publish(tmp_path, 2, "#ff0000")  # a newer headline that cannot be stored
    with small_tmpfs(tmp_path / "disk", "8m") as mount:
        cache = copy_cache(synced, mount / "cache")
        fill(mount, leave=16 * 1024)
        colours = play(tmp_path, cache, source=str(tmp_path / "feed"), own_sync=True)
    assert GREEN in colours and RED not in colours
    assert "the disk holding the cache is full" in caplog.text


def start(cache: Path) -> None:
    """What hall-display does with its store as it starts (display.cli), then stop."""
    source = open_store(cache, DeviceConfig(id="led-1"))
    assert isinstance(source, StoreReader)
    source.close()


def test_a_repair_warns_once_when_made_and_is_history_at_the_next_start(
    synced: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    os.truncate(synced / "store.db", 8192)
    start(synced)  # this start finds the damage and repairs it
    repairs = [r for r in caplog.records if "store.db was damaged" in r.getMessage()]
    assert [r.levelno for r in repairs] == [logging.WARNING]

    caplog.clear()
    start(synced)  # the next start: nothing is wrong now
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    earlier = [r for r in caplog.records if "store.db was damaged" in r.getMessage()]
    assert [r.levelno for r in earlier] == [logging.INFO]
    assert "earlier store repair" in earlier[0].getMessage()
