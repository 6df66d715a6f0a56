"""An LED display delivering to the centre: its heartbeat names the headline on screen, and its proof
of play arrives rolled up per headline and hour."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from centre.db.schema import device_state, play_counts
from display.cli import main
from feed.config import CentreLinkConfig
from feed.dev.serve import FeedServer
from feed.format.signing import generate_keypair, load_signing_key
from feed.outbox import Outbox
from feed.publish.writer import write_feed
from feed.schema import Headline
from feed.uplink.sender import Sender
from tests.centre.centre_kit import CentreProcess, register, token_file


@pytest.mark.slow
def test_a_display_reports_what_it_shows_and_what_it_played(
    tmp_path: Path, centre: CentreProcess, centre_engine: Engine
) -> None:
    feed_dir, cache_dir, frames = tmp_path / "feed", tmp_path / "cache", tmp_path / "frames"
    secret, public = generate_keypair()
    (tmp_path / "hall.key").write_text(secret, encoding="ascii")
    (tmp_path / "hall.pub").write_text(public, encoding="ascii")
    notice = Headline(kind="headline", id="notice", text="今日办理不动产登记请到二楼", dwell_seconds=1)
    write_feed(
        feed_dir,
        feed_id="led-centre",
        records=[notice],
        blobs={},
        sequence=3,
        expires=datetime.now(UTC) + timedelta(days=1),
        key=load_signing_key(tmp_path / "hall.key"),
    )
    token = token_file(tmp_path, register(centre_engine, "led-1", "display"))
    with FeedServer(feed_dir) as server:
        config = tmp_path / "display.toml"
        config.write_text(
            f'[feed]\nsource = "{server.url}"\ncache_dir = "cache"\npubkey = "hall.pub"\n\n'
            f'[device]\nid = "led-1"\n\n'
            f'[display]\nsync = true\noutput = "png:{frames}?every=60"\npanel = "128x32"\nfps = 20\n'
            f'timezone = "Asia/Shanghai"\n\n'
            f'[centre]\nurl = "{centre.url}"\ntoken_file = "{token}"\n'
            "send_seconds = 1\nheartbeat_seconds = 5\n",
            encoding="utf-8",
        )
        assert main(["--config", str(config), "--duration", "7"]) == 0

    with centre_engine.connect() as conn:
        state = conn.execute(select(device_state)).mappings().one()
    # The first heartbeat goes at start; the one about five seconds later sees the synced headline.
    assert (state["device_id"], state["feed_id"], state["sequence"]) == ("led-1", "led-centre", 3)
    assert (state["headline_id"], state["headline_text"]) == ("notice", "今日办理不动产登记请到二楼")

    # The hour is still running, so the plays wait on the device; two hours later they travel.
    later = datetime.now(UTC) + timedelta(hours=2)
    with Outbox.open(cache_dir, device_id="led-1", clock=lambda: later) as outbox:
        raw = [p for p in outbox.pending() if p.kind == "proof_of_play"]
        assert raw and outbox.roll_up_plays() >= 1
        link = CentreLinkConfig(url=centre.url, token_file=token)
        delivery = Sender(outbox, link, device_id="led-1", role="display").deliver()
    assert delivery.ok and delivery.sent >= 1
    with centre_engine.connect() as conn:
        counts = conn.execute(select(play_counts.c.headline_id, play_counts.c.plays)).all()
    assert sum(plays for headline, plays in counts if headline == "notice") == len(raw)
