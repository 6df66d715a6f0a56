"""Connecting the player to the feed core: the offline store, an own sync loop, the outbox, the demo.

The display either shares the kiosk's cache directory (the kiosk's sync loop fills it) or, with
`[display] sync = true`, runs its own `feed.sync.Poller` in a background thread. Feed modules are
imported inside the functions so a `--help` or a config error answers without loading the store.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from display.proof import PlayRecorder
from display.source import HeadlineSource
from feed import CentreLinkConfig, DeviceConfig, FeedConfig

log = logging.getLogger(__name__)


def open_store(cache_dir: Path, device: DeviceConfig) -> HeadlineSource:
    """The offline store at `cache_dir`, read for this device (targets filtered by the reader).

    An empty or not yet created cache reads as no headlines: the fallback shows until a sync lands.
    A damaged store is replaced (the next sync rebuilds it; the repair is logged as a warning when it
    is made); on a read-only or full disk the last good headlines are read as they are, with a
    warning saying what is wrong. A repair made before this start is history: logged at INFO.
    """
    from feed import StoreReader

    reader = StoreReader.open(cache_dir, device)
    status = reader.status()
    if status.storage:
        log.warning("%s: %s", cache_dir, status.storage)
    if status.repair and status.repair != reader.repaired:
        log.info("%s: earlier store repair: %s", cache_dir, status.repair)
    return reader


def open_play_recorder(cache_dir: Path, device: DeviceConfig) -> PlayRecorder | None:
    """Proof of play into the feed core's durable outbox (SQLite in the cache directory), or None
    when it cannot be opened (logged): the screen plays on without it."""
    from feed import FeedError, Outbox

    try:
        return Outbox.open(cache_dir, device_id=device.id)
    except FeedError as exc:
        log.warning("proof of play will not be kept: %s", exc)
        return None


def start_own_sync(feed: FeedConfig) -> Callable[[], None]:
    """Run the feed's sync loop in a background thread; returns the function that stops it."""
    from feed import Poller, SyncSettings

    poller = Poller(SyncSettings.from_config(feed, helper_min_records=1))  # keep the frame loop's GIL free
    poller.start()
    return poller.stop


def start_uplink(
    link: CentreLinkConfig,
    cache_dir: Path,
    device: DeviceConfig,
    source: HeadlineSource,
    on_screen: Callable[[], tuple[str | None, str] | None],
) -> Callable[[], None]:
    """Deliver proof of play and heartbeats to the centre in a background thread; returns the stop."""
    from feed import HeadlineOnScreen, Uplink

    def headline() -> HeadlineOnScreen | None:
        shown = on_screen()
        return None if shown is None else HeadlineOnScreen(id=shown[0], text=shown[1][:500])

    status = getattr(source, "status", None)  # the store's sync state; a static source has none
    uplink = Uplink(
        link,
        cache_dir,
        device_id=device.id,
        role="display",
        sync_status=status if callable(status) else (lambda: None),
        headline=headline,
    )
    uplink.start()
    return uplink.stop


def demo_source(device: DeviceConfig) -> tuple[HeadlineSource, Path]:
    """The bundled demo feed, built, signed and synced into the demo cache, read through the store."""
    from feed import prepare_demo_cache

    cache_dir = prepare_demo_cache()
    return open_store(cache_dir, device), cache_dir
