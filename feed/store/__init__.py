"""The offline store: one cache directory holding the current snapshot, verified objects and sync state.

`Store` is the sync engine's write side; `StoreReader` is the read API the apps use
(`feed.api.ContentReader`).
"""

from feed.store.objects import ObjectCache
from feed.store.state import SnapshotInfo, SyncState
from feed.store.store import STORE_NAME, Store

__all__ = ["STORE_NAME", "ObjectCache", "SnapshotInfo", "Store", "SyncState"]
