"""Size bounds a client enforces before trusting anything it downloads."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    manifest_bytes: int = 1024 * 1024
    shard_bytes: int = 4 * 1024 * 1024
    record_bytes: int = 1024 * 1024
    blob_bytes: int = 32 * 1024 * 1024
    objects_per_feed: int = 200_000


DEFAULT_LIMITS = Limits()
