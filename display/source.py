"""Where the player gets its content: the part of `feed.api.ContentReader` it needs.

`feed.StoreReader` satisfies `HeadlineSource` as it is.
"""

from __future__ import annotations

from typing import Protocol

from feed import Hall, Headline


class HeadlineSource(Protocol):
    def headlines(self) -> list[Headline]: ...
    def hall(self) -> Hall | None: ...
    def snapshot_version(self) -> int: ...
