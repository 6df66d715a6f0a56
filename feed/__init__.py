"""The shared core: feed format, publisher, sync engine, offline store, search and outbox.

Nothing under this package imports Kivy; both apps and the centre depend on it and it depends on
none of them. They use it through this namespace only (`from feed import StoreReader, SyncSettings`);
its names are listed, with their home modules, in `feed/__init__.pyi`, and each loads on first use.
"""

import lazy_loader

__version__ = "0.1.0"

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
