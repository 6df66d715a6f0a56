"""End to end through the feed core: a published feed, synced into a real SQLite store, read by the
player; a second publication with an emergency lands mid-run and shows within a second."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from display.drivers.png import PngDriver
from display.player import Player
from display.render.setup import build_renderer
from feed.config import DeviceConfig
from feed.publish.writer import write_feed
from feed.schema import Hall, Headline
from feed.store.reader import StoreReader
from feed.sync import SyncSettings, sync_once
from tests.display.ledhelpers import pixel_section

# A record may be targeted only at halls the feed describes.
HALLS = [
    Hall(kind="hall", id=hall_id, name=name, address="民和路88号", hours=["周一至周五 9:00—17:00"])
    for hall_id, name in (("qinghe-center", "青禾市政务服务中心"), ("other-hall", "青禾市东区分中心"))
]


def publish(feed_dir: Path, sequence: int, headlines: list[Headline]) -> None:
    write_feed(
        feed_dir,
        feed_id="led-test",
        records=[*HALLS, *headlines],
        blobs={},
        sequence=sequence,
        expires=datetime.now(UTC) + timedelta(days=1),
        key=None,
    )


def test_emergency_published_mid_run_shows_within_a_second(tmp_path: Path, unifont: Path) -> None:
    feed_dir, cache_dir = tmp_path / "feed", tmp_path / "cache"
    wall_start = datetime.now(UTC).replace(microsecond=0)
    welcome = Headline(kind="headline", id="welcome", text="欢迎光临青禾市政务服务中心", dwell_seconds=30)
    other_hall = Headline(
        kind="headline", id="elsewhere", text="别的大厅", priority=9, targets={"halls": ["other-hall"]}
    )
    publish(feed_dir, 1, [welcome, other_hall])
    assert sync_once(SyncSettings(str(feed_dir), cache_dir, pubkey=None, allow_unsigned=True)).ok
    reader = StoreReader.open(cache_dir, DeviceConfig(id="led-1", hall="qinghe-center"))

    now = [0.0]

    def sleep(seconds: float) -> None:
        before = now[0]
        now[0] += seconds
        if before < 4.0 <= now[0]:  # the bureau publishes an emergency, the sync loop fetches it
            alarm = Headline(
                kind="headline",
                id="alarm",
                text="大厅临时停电，请有序离场",
                emergency=True,
                valid_until=wall_start + timedelta(seconds=9),
            )
            publish(feed_dir, 2, [welcome, other_hall, alarm])
            assert (
                sync_once(SyncSettings(str(feed_dir), cache_dir, pubkey=None, allow_unsigned=True)).outcome
                == "updated"
            )

    section = pixel_section(panel="128x32", fps=20.0)
    player = Player(
        reader,
        section,
        build_renderer(section),
        PngDriver(tmp_path / "frames", every=1000),
        now=lambda: wall_start + timedelta(seconds=now[0]),
        clock=lambda: now[0],
        sleep=sleep,
    )
    try:
        player.run(duration=12.0)
    finally:
        reader.close()
    timeline = [
        (round(t, 2), slot.headline.id if slot.headline else slot.kind) for t, slot in player.stats.slots
    ]
    assert timeline[0] == (0.0, "welcome")  # the other hall's headline is never shown here
    assert all(hid != "elsewhere" for _, hid in timeline)
    alarm_at = next(t for t, hid in timeline if hid == "alarm")
    assert 4.0 < alarm_at <= 5.0
    assert next(t for t, hid in timeline if t > alarm_at) == 9.0
    assert player.tally.totals["alarm"].plays == 1  # type: ignore[attr-defined]
