"""Notices new snapshots without yanking the screen: a newer version is held as pending and
applied at the citizen's next navigation (or when no one is using the kiosk)."""

from __future__ import annotations

from collections.abc import Callable

VersionFn = Callable[[], int]


class SnapshotWatcher:
    def __init__(self, version_fn: VersionFn) -> None:
        self._version_fn = version_fn
        self._shown = version_fn()
        self._latest = self._shown

    @property
    def version(self) -> int:
        """The version the screens currently show."""
        return self._shown

    @property
    def pending(self) -> bool:
        return self._latest != self._shown

    def poll(self) -> bool:
        """Ask the store (cheap); True when a different version than the shown one is waiting.

        Versions are compared for change, not order: a store rebuilt from scratch may restart them.
        """
        self._latest = self._version_fn()
        return self.pending

    def apply(self) -> bool:
        """At a navigation: adopt the pending version. True when screens must re-read content."""
        if not self.pending:
            return False
        self._shown = self._latest
        return True
