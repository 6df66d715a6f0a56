"""After every poll, 304 or not: the objects of the snapshot in force are all there and intact.

Each check (1) finds what is missing: a blob a reader found damaged and removed, a file someone
deleted, a row lost with a damaged objects.db; (2) scrubs a bounded slice of the rest, re-hashing
up to SCRUB_OBJECTS objects or SCRUB_BYTES bytes in name order from where the last check stopped,
so damage nobody has looked at yet is found within a few hours; (3) fetches all of those again from
the source, verified as any download. Status keeps how many were fetched again in all and how many
are still missing (`objects_repaired`, `objects_missing`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from feed.errors import FeedError
from feed.format.canonical import sha256_hex
from feed.store import Store

log = logging.getLogger(__name__)

SCRUB_OBJECTS = 256
SCRUB_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Wanted:
    """An object the snapshot needs: a blob (a file) or a row, and its size when known."""

    sha256: str
    blob: bool
    size: int | None  # records are listed by name only; the record limit bounds their download


Fetch = Callable[[Wanted], bytes]  # downloads and stores one object (verified); raises FeedError


@dataclass(frozen=True)
class CheckResult:
    repaired: int
    missing: int


def check_objects(store: Store, shards: dict[str, int], fetch: Fetch) -> CheckResult:
    """Check the snapshot's objects (its shards given as name → size) and fetch again what is
    missing or damaged; network failures leave the rest for the next poll."""
    records, blobs = store.snapshot_objects()
    wanted = {sha: Wanted(sha, True, size) for sha, size in blobs.items()}
    wanted.update((sha, Wanted(sha, False, size)) for sha, size in shards.items())
    wanted.update((sha, Wanted(sha, False, None)) for sha in records if sha not in wanted)
    rows = store.objects.rows.held()
    bad = [
        w for w in wanted.values() if not (store.objects.has_file(w.sha256) if w.blob else w.sha256 in rows)
    ]
    cursor = store.health().get("scrub_cursor")
    damaged, cursor = _scrub(store, wanted, {w.sha256 for w in bad}, cursor)
    bad += damaged
    repaired = 0
    for position, item in enumerate(bad):
        try:
            fetch(item)
        except FeedError as exc:
            log.warning("cannot fetch object %s again: %s", item.sha256[:12], exc)
            left = len(bad) - position
            store.record_object_check(repaired=repaired, missing=left, cursor=cursor)
            return CheckResult(repaired, left)
        repaired += 1
    if bad:
        log.warning("%d cached objects were damaged or missing and have been fetched again", repaired)
    store.record_object_check(repaired=repaired, missing=0, cursor=cursor)
    return CheckResult(repaired, 0)


def _scrub(
    store: Store, wanted: dict[str, Wanted], skip: set[str], cursor: str | None
) -> tuple[list[Wanted], str | None]:
    """Re-hash the next slice after `cursor` (wrapping around); discard and return the damaged ones."""
    names = sorted(name for name in wanted if name not in skip)
    start = next((i for i, name in enumerate(names) if cursor is None or name > cursor), 0)
    budget, damaged, last = SCRUB_BYTES, [], cursor
    for name in (names[start:] + names[:start])[:SCRUB_OBJECTS]:
        item = wanted[name]
        if item.blob:
            intact = store.objects.file_intact(name)
            budget -= item.size or 0
        else:
            data = store.objects.rows.get(name)
            intact = data is not None and sha256_hex(data) == name
            budget -= len(data or b"")
        last = name
        if not intact:
            store.objects.discard(name)
            damaged.append(item)
        if budget <= 0:
            break
    return damaged, last
