"""The sync engine: bring the offline store up to the central feed, or keep the last good snapshot.

`sync_once` makes one attempt; `Poller` runs attempts on an interval with backoff. Sources are http(s)
URLs, file:// URLs or directories; all get the same checks (see `feed.sync.checks`).
"""

from feed.net.backoff import Backoff, parse_retry_after
from feed.sync.engine import SyncResult, sync_once
from feed.sync.poller import Poller
from feed.sync.settings import SyncSettings

__all__ = ["Backoff", "Poller", "SyncResult", "SyncSettings", "parse_retry_after", "sync_once"]
