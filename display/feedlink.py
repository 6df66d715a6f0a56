"""Connecting the player to the feed core: the offline store, an own sync loop, the outbox, the demo.

The display either shares the kiosk's cache directory (the kiosk's sync loop fills it) or, with
`[display] sync = true`, runs its own `feed.sync.Poller` in a background thread.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from display.proof import PlayRecorder
from display.source import HeadlineSource, StaticSource
from feed.config import DeviceConfig, FeedConfig
from feed.errors import ConfigError
from feed.schema import Hall, Headline

log = logging.getLogger(__name__)


def _optional(module: str) -> Any:
    """A feed-core module this build may not have yet; None when it is absent."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is not None and module.startswith(exc.name):
            return None
        raise


def open_store(cache_dir: Path, device: DeviceConfig) -> HeadlineSource:
    """The offline store at `cache_dir`, read for this device (targets filtered by the reader)."""
    reader = _optional("feed.store.reader")
    if reader is None:
        raise ConfigError("this installation has no offline store reader (feed.store.reader)")
    source: HeadlineSource = reader.StoreReader.open(cache_dir, device)
    return source


class OutboxPlays:
    """Proof of play into the feed core's durable outbox (SQLite in the cache directory)."""

    def __init__(self, outbox: Any) -> None:
        self.outbox = outbox

    def record_play(self, headline_id: str, started_at: datetime, seconds: float) -> None:
        self.outbox.record_play(headline_id, started_at, seconds)


def open_play_recorder(cache_dir: Path, device: DeviceConfig) -> PlayRecorder | None:
    """The outbox as a play recorder, or None (plays only counted in memory) when unavailable."""
    module = _optional("feed.outbox")
    outbox_cls = getattr(module, "Outbox", None) if module is not None else None
    if outbox_cls is None or not hasattr(outbox_cls, "record_play"):
        log.warning("no outbox with record_play in this build; proof of play is counted in memory only")
        return None
    opener = getattr(outbox_cls, "open", outbox_cls)
    return OutboxPlays(opener(cache_dir))


def start_own_sync(feed: FeedConfig) -> Callable[[], None]:
    """Run the feed's sync loop in a background thread; returns the function that stops it."""
    from feed.sync import Poller

    poller = Poller.from_config(feed)
    poller.start()
    return lambda: poller.stop(join_timeout=5.0)


def bundled_demo_source() -> StaticSource:
    """The demo headlines and hall read straight from `assets/demo`, for when no demo cache is built."""
    from ruamel.yaml import YAML

    from feed.assets import assets_dir

    yaml = YAML(typ="safe")  # keeps the +08:00 of the demo's timestamps
    demo = assets_dir() / "demo"
    headlines = [Headline.model_validate(entry) for entry in yaml.load(demo / "headlines.yaml")]
    hall_file = demo / "hall.yaml"
    hall = Hall.model_validate(yaml.load(hall_file)) if hall_file.is_file() else None
    return StaticSource(headlines, hall)


def demo_source(device: DeviceConfig) -> tuple[HeadlineSource, Path | None]:
    """The demo feed: a prepared demo cache read through the store when the feed core offers both,
    else the bundled demo files read directly."""
    demo = _optional("feed.demo")
    prepare = getattr(demo, "prepare_demo_cache", None) if demo is not None else None
    if prepare is not None and _optional("feed.store.reader") is not None:
        cache_dir = Path(prepare())
        return open_store(cache_dir, device), cache_dir
    return bundled_demo_source(), None
