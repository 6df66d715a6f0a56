"""Notices new snapshots without yanking the screen: a newer version is held as pending and
applied at the citizen's next navigation (or when no one is using the kiosk)."""

from __future__ import annotations

from collections.abc import Callable

VersionFn = Callable[[], int]


class SnapshotWatcher:
    def __init__(self, version_fn: VersionFn) -> None:
        raise NotImplementedError

    @property
    def version(self) -> int:
        """The version the screens currently show."""
        raise NotImplementedError

    @property
    def pending(self) -> bool:
        raise NotImplementedError

    def poll(self) -> bool:
        """Ask the store (cheap); True when a newer version than the shown one is waiting."""
        raise NotImplementedError

    def apply(self) -> bool:
        """At a navigation: adopt the pending version. True when screens must re-read content."""
        raise NotImplementedError
