"""The offline store: one cache directory holding the current snapshot, verified objects and sync state.

`Store` is the sync engine's write side; `StoreReader` (`feed.store.reader`) is the read API the apps
use (`feed.api.ContentReader`). The names listed in `__init__.pyi` load on first use, so an app that
only reads never loads the write side and the wire-format models it needs.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
