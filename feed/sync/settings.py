"""What a sync needs to know, as one value: where the feed is, where the cache is, whom to trust,
and how hard to try. `sync_once`, the `Poller`, `hall-feed sync`, both apps' background syncs and the
USB update all take a `SyncSettings`, most of them built from an app's `[feed]` section with
`SyncSettings.from_config`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import KW_ONLY, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from feed.format.limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from nacl.signing import VerifyKey

    from feed.config import FeedConfig


@dataclass(frozen=True)
class SyncSettings:
    """`source`: the feed root (http(s) URL, file:// URL or directory); `cache_dir`: the offline store.

    `pubkey` is the publisher's Ed25519 key; None accepts only with `allow_unsigned` (tests).
    `timeout` bounds each request in seconds, `max_connections` the parallel downloads; `poll_seconds`
    is the Poller's interval after a success. `limits` bound every object's size and count.
    `helper_min_records`: from this many new records on, rows are prepared in a helper process; an
    app that syncs beside its UI passes 1 (the helper's imports would otherwise freeze its frames).
    """

    source: str
    cache_dir: Path
    _: KW_ONLY
    pubkey: VerifyKey | None
    allow_unsigned: bool = False
    timeout: float = 20.0
    max_connections: int = 8
    poll_seconds: float = 60.0
    limits: Limits = DEFAULT_LIMITS
    helper_min_records: int = 1000  # below this, starting a helper process costs more than it saves

    @classmethod
    def from_config(cls, config: FeedConfig, **changes: Any) -> SyncSettings:
        """The settings of an app's `[feed]` section (its public key file loaded), with `changes`
        (any field above) over them. Raises FeedError for an unreadable or malformed key file."""
        from feed.format.signing import load_public_key

        pubkey = load_public_key(config.pubkey) if config.pubkey is not None else None
        settings = cls(
            config.source,
            config.cache_dir,
            pubkey=pubkey,
            allow_unsigned=config.allow_unsigned,
            timeout=config.timeout_seconds,
            max_connections=config.max_connections,
            poll_seconds=config.poll_seconds,
        )
        return settings.replace(**changes) if changes else settings

    def replace(self, **changes: Any) -> SyncSettings:
        return dataclasses.replace(self, **changes)
