"""Connecting the player to the feed core: the offline store, an own sync loop, the outbox, the demo.

The display either shares the kiosk's cache directory (the kiosk's sync loop fills it) or, with
`[display] sync = true`, runs its own `feed.sync.Poller` in a background thread. Feed modules are
imported inside the functions so a `--help` or a config error answers without loading the store.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from display.proof import PlayRecorder
from display.source import HeadlineSource
from feed.config import DeviceConfig, FeedConfig


def open_store(cache_dir: Path, device: DeviceConfig) -> HeadlineSource:
    """The offline store at `cache_dir`, read for this device (targets filtered by the reader).

    An empty or not yet created cache reads as no headlines: the fallback shows until a sync lands.
    """
    from feed.store.reader import StoreReader

    return StoreReader.open(cache_dir, device)


def open_play_recorder(cache_dir: Path, device: DeviceConfig) -> PlayRecorder:
    """Proof of play into the feed core's durable outbox (SQLite in the cache directory)."""
    from feed.outbox import Outbox

    return Outbox.open(cache_dir, device_id=device.id)


def start_own_sync(feed: FeedConfig) -> Callable[[], None]:
    """Run the feed's sync loop in a background thread; returns the function that stops it."""
    from feed.sync import Poller

    poller = Poller.from_config(feed, helper_min_records=1)  # keep the frame loop's GIL time free
    poller.start()
    return poller.stop


def demo_source(device: DeviceConfig) -> tuple[HeadlineSource, Path]:
    """The bundled demo feed, built, signed and synced into the demo cache, read through the store."""
    from feed.demo import prepare_demo_cache

    cache_dir = prepare_demo_cache()
    return open_store(cache_dir, device), cache_dir
