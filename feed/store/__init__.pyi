"""The names `feed.store` offers, each loaded from its module on first use (see `__init__.py`)."""

from .cachedir import STORE_NAME as STORE_NAME
from .objects import ObjectCache as ObjectCache
from .state import SnapshotInfo as SnapshotInfo
from .state import SyncState as SyncState
from .store import Store as Store
