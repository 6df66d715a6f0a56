"""The shared core: feed format, publisher, sync engine, offline store, search and outbox.

Nothing under this package imports Kivy; both apps depend on it and it depends on neither.
"""

__version__ = "0.1.0"
