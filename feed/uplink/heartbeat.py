"""What a device says about itself in a heartbeat, gathered from the store, the outbox and the OS.

Nothing a citizen typed or touched is in it: the store's sync state, the outbox's counts and ages,
free disk, uptime, the software version and, on an LED display, the headline on screen.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from feed import __version__ as core_version
from feed.api import SyncStatus
from feed.outbox import OutboxStats
from feed.uplink.wire import DeviceRole, FeedState, HeadlineOnScreen, Heartbeat, OutboxState

DISTRIBUTION = "hall-kiosk"
ERROR_CHARS = 500


def software_version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return core_version


def free_disk_bytes(path: Path) -> int | None:
    try:
        return shutil.disk_usage(path).free
    except OSError:
        return None


def _aware(moment: datetime | None) -> datetime | None:
    # The store records UTC; an older store may hold it without the offset.
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def build_heartbeat(
    *,
    device_id: str,
    role: DeviceRole,
    now: datetime,
    interval_seconds: float,
    uptime_seconds: float,
    cache_dir: Path,
    sync: SyncStatus | None,
    outbox: OutboxStats,
    headline: HeadlineOnScreen | None = None,
) -> Heartbeat:
    feed = FeedState()
    if sync is not None:
        feed = FeedState(
            feed_id=sync.feed_id,
            sequence=sync.sequence,
            expires=_aware(sync.expires),
            last_success=_aware(sync.last_success),
            last_attempt=_aware(sync.last_attempt),
            last_error=sync.last_error[:ERROR_CHARS] if sync.last_error else None,
            stale=sync.stale,
        )
    return Heartbeat(
        device_id=device_id,
        role=role,
        software_version=software_version(),
        sent_at=now,
        interval_seconds=interval_seconds,
        uptime_seconds=max(uptime_seconds, 0.0),
        free_disk_bytes=free_disk_bytes(cache_dir),
        feed=feed,
        outbox=OutboxState(
            depth=outbox.depth,
            oldest_unsent_seconds=outbox.oldest_unsent_seconds(now),
            last_delivery=outbox.last_success,
            last_delivery_error=outbox.last_error[:ERROR_CHARS] if outbox.last_error else None,
        ),
        headline=headline,
    )
