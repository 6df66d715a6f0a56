"""The offline store: one cache directory holding the current snapshot, verified objects and sync state.

`Store` is the sync engine's write side; `StoreReader` (`feed.store.reader`) is the read API the apps
use (`feed.api.ContentReader`). The names below are imported on first use, so an app that only reads
never loads the write side and the wire-format models it needs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from feed.store.cachedir import STORE_NAME
    from feed.store.objects import ObjectCache
    from feed.store.state import SnapshotInfo, SyncState
    from feed.store.store import Store

_HOMES = {
    "STORE_NAME": "feed.store.cachedir",
    "ObjectCache": "feed.store.objects",
    "SnapshotInfo": "feed.store.state",
    "SyncState": "feed.store.state",
    "Store": "feed.store.store",
}

__all__ = ["STORE_NAME", "ObjectCache", "SnapshotInfo", "Store", "SyncState"]


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'feed.store' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
