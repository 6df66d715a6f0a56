"""Updating an air-gapped kiosk from a USB stick: the admin screen's 从U盘更新.

IT staff copy a built feed (the directory `hall-feed build` wrote) onto a stick as `hall-feed/`;
the kiosk finds it under one of `[kiosk] usb_feed_dirs` (glob patterns of where sticks are mounted)
and syncs from it exactly as from the network: the same signature, rollback, expiry, hash and size
checks, one atomic commit, and the held snapshot kept if anything is wrong.
"""

from __future__ import annotations

import glob
from collections.abc import Sequence
from pathlib import Path

from feed import MANIFEST_NAME, FeedConfig

FEED_DIR_NAME = "hall-feed"
# A stick is mounted where fstab says (docs/deploy.md: /media/hall-feed) or at /media/USER/LABEL (udisks).
DEFAULT_USB_FEED_DIRS = tuple(f"/media/{level}{FEED_DIR_NAME}" for level in ("", "*/", "*/*/"))
MAX_FEEDS_LISTED = 20


def find_usb_feeds(patterns: Sequence[str]) -> list[Path]:
    """Feed directories (holding manifest.json) matching `patterns`, in a stable order."""
    found: list[Path] = []
    for pattern in patterns:
        for match in sorted(glob.glob(pattern)):
            path = Path(match)
            if (path / MANIFEST_NAME).is_file() and path not in found:
                found.append(path)
            if len(found) >= MAX_FEEDS_LISTED:
                return found
    return found


def check_usb_pattern(pattern: str) -> str:
    """Config check: an absolute path, `*` allowed for one directory level."""
    if not pattern.startswith("/"):
        raise ValueError(f"{pattern!r} must be an absolute path, e.g. /media/*/hall-feed")
    return pattern


def update_from_usb(patterns: Sequence[str], feed: FeedConfig) -> str:
    """Sync the cache from the first feed found on a mounted stick, with the feed's own key; returns
    what happened, in Chinese, for staff."""
    from feed import SyncSettings, sync_once

    found = find_usb_feeds(patterns)
    if not found:
        return f"未找到U盘上的内容：请插入含 {FEED_DIR_NAME} 目录的U盘后重试"
    source = found[0]
    # Beside the UI: new records are prepared in the helper process (helper_min_records=1).
    result = sync_once(SyncSettings.from_config(feed, source=str(source), helper_min_records=1))
    if result.outcome == "updated":
        return f"已从U盘更新到第 {result.sequence} 版（{source}）"
    if result.outcome == "unchanged":
        return f"U盘上的内容不比本机新，未更新（第 {result.sequence} 版）"
    return f"U盘更新失败，本机内容未变：{result.reason}"
