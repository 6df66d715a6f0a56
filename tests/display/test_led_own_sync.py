"""`[display] sync = true`: hall-display runs its own sync loop against the feed server on loopback,
shows what it fetched, and keeps proof of play in the outbox of the cache it filled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from display.cli import main
from feed.config import DeviceConfig
from feed.dev.serve import FeedServer
from feed.format.signing import generate_keypair, load_signing_key
from feed.outbox import Outbox
from feed.publish.writer import write_feed
from feed.schema import Headline
from feed.store.reader import StoreReader
from tests.display.ledhelpers import write_display_config


@pytest.mark.slow
def test_display_syncs_its_own_cache_and_records_what_it_played(tmp_path: Path) -> None:
    feed_dir, cache_dir, frames = tmp_path / "feed", tmp_path / "cache", tmp_path / "frames"
    secret, public = generate_keypair()
    (tmp_path / "hall.key").write_text(secret, encoding="ascii")
    (tmp_path / "hall.pub").write_text(public, encoding="ascii")
    notice = Headline(
        kind="headline", id="notice", text="今日办理不动产登记请到二楼", dwell_seconds=2, color="#00ff00"
    )
    write_feed(
        feed_dir,
        feed_id="led-own-sync",
        records=[notice],
        blobs={},
        sequence=7,
        expires=datetime.now(UTC) + timedelta(days=1),
        key=load_signing_key(tmp_path / "hall.key"),
    )
    with FeedServer(feed_dir) as server:
        config = write_display_config(
            tmp_path / "display.toml", source=server.url, cache="cache", frames=frames, sync=True, every=30
        )
        assert main(["--config", str(config), "--duration", "5"]) == 0

    reader = StoreReader.open(cache_dir, DeviceConfig(id="led-test"))
    try:
        assert reader.snapshot_version() > 0 and [h.id for h in reader.headlines()] == ["notice"]
    finally:
        reader.close()
    outbox = Outbox.open(cache_dir)
    try:
        plays = [p.payload for p in outbox.pending() if p.kind == "proof_of_play"]
    finally:
        outbox.close()
    assert plays and all(p["headline_id"] == "notice" and p["device_id"] == "led-test" for p in plays)
    # The last frame shows the synced headline in its own colour; the fallback (hall name and clock)
    # would be drawn in the amber foreground.
    last = Image.open(sorted(frames.glob("*.png"))[-1]).convert("RGB")
    assert (0, 255, 0) in {colour for _, colour in last.getcolors(4096) or []}
