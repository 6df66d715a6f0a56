"""The read API both apps use: what they may ask of the offline store.

`feed.store.reader.StoreReader` implements `ContentReader`. Every call reads the local SQLite store
only and never waits on the network. Results are filtered for this device (targets) and for today's
validity windows. `snapshot_version()` is cheap: poll it (e.g. once a second) to learn that a new
snapshot landed, then re-read on the next navigation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:  # the schema (pydantic) loads with the first record parsed, not with the API
    from feed.schema import Catalog, Guide, Hall, Headline, Item

SearchKind = Literal["item", "guide"]


@dataclass(frozen=True)
class HallHeading:
    """What a screen shows of the hall before any record is parsed: the attract screen's first frame."""

    name: str
    short_name: str
    hours: tuple[str, ...]


@dataclass(frozen=True)
class ItemSummary:
    id: str
    title: str
    node: str
    publisher: str
    published: date
    featured: bool = False


@dataclass(frozen=True)
class GuideSummary:
    id: str
    title: str
    department: str
    audiences: tuple[str, ...]
    hot: bool
    visits: int  # 到办事现场次数: 0 = 全程网办, 1 = 一次办
    online_full: bool  # 全程网办 (online depth "full")


@dataclass(frozen=True)
class SearchHit:
    kind: SearchKind
    id: str
    title: str
    score: float
    matched: Literal["title", "pinyin", "initials", "keywords", "body"]


@dataclass(frozen=True)
class SyncStatus:
    """What the last sync attempts left behind; shown on the admin screen and by `hall-feed status`."""

    feed_id: str | None
    sequence: int | None
    counts: dict[str, int] = field(default_factory=dict)
    issued: datetime | None = None
    expires: datetime | None = None
    last_success: datetime | None = None
    last_attempt: datetime | None = None
    last_error: str | None = None
    stale: bool = False
    source: str | None = None
    # What is wrong with the device's own storage, found now (read-only, full), or None.
    storage: str | None = None
    # The last time a damaged cache database was set aside and replaced, and why.
    repair: str | None = None
    # Cached objects (images, forms, records) found damaged or missing and fetched again in all, and
    # how many the snapshot still lacks after the last check (each poll checks; a scrub re-hashes).
    objects_repaired: int = 0
    objects_missing: int = 0


class ContentReader(Protocol):
    def hall(self) -> Hall | None: ...
    def hall_heading(self) -> HallHeading | None:
        """The hall's names and hours, read without building the Hall model."""
        ...

    def catalog(self) -> Catalog | None: ...
    def items_in(self, node_id: str, *, offset: int = 0, limit: int = 50) -> list[ItemSummary]:
        """Items filed under `node_id` or any descendant, newest first."""
        ...

    def count_items(self, node_id: str) -> int: ...
    def item(self, item_id: str) -> Item | None: ...
    def featured_items(self, limit: int = 10) -> list[ItemSummary]: ...
    def guide(self, guide_id: str) -> Guide | None: ...
    def guides(
        self,
        *,
        department: str | None = None,
        audience: str | None = None,
        topic: str | None = None,
        hot_only: bool = False,
        offset: int = 0,
        limit: int = 50,
    ) -> list[GuideSummary]: ...
    def count_guides(
        self, *, department: str | None = None, audience: str | None = None, topic: str | None = None
    ) -> int: ...
    def departments(self) -> list[tuple[str, int]]:
        """(department, guide count), by count descending."""
        ...

    def topics(self) -> list[tuple[str, int]]: ...
    def hot_guides(self, limit: int = 8) -> list[GuideSummary]: ...
    def headlines(self) -> list[Headline]:
        """All headlines targeted at this device, whatever their windows (the scheduler decides)."""
        ...

    def search(self, query: str, limit: int = 30) -> list[SearchHit]: ...
    def blob_path(self, sha256: str) -> Path | None:
        """Local file of a verified blob, or None when it is not in the cache."""
        ...

    def status(self) -> SyncStatus: ...
    def snapshot_version(self) -> int:
        """Changes whenever a snapshot (or sync status) is committed by any process."""
        ...
