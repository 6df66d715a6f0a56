"""`hall-feed build`: authoring directory → signed static feed, continuing the published sequence."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from feed.errors import FeedError
from feed.format.signing import key_id, load_signing_key
from feed.progress import Progress
from feed.publish.source import LoadedSource, load_source
from feed.publish.writer import BuiltFeed, prune_unreferenced, read_published_manifest, write_feed


@dataclass(frozen=True)
class BuildResult(BuiltFeed):
    """A BuiltFeed plus what the build read, for the summary line."""

    source: LoadedSource
    key_id: str | None
    pruned: int

    def summary(self, out: Path) -> str:
        signed = self.manifest.signed
        counts = ", ".join(f"{n} {kind}" for kind, n in self.source.counts().items()) or "no records"
        signature = f"signed by {self.key_id}" if self.key_id else "UNSIGNED"
        pruned = f", {self.pruned} pruned" if self.pruned else ""
        return (
            f"built {signed.feed_id} sequence {signed.sequence} into {out}: {counts}, "
            f"{len(self.source.blobs)} blobs; {self.objects_written} objects written "
            f"({self.bytes_written} bytes with the manifest){pruned}; {signature}, "
            f"expires {signed.expires.date().isoformat()}"
        )


def next_sequence(previous: int | None, now: float) -> int:
    """Unix seconds keep the sequence rising across build machines; +1 keeps it rising within one."""
    return max((previous or 0) + 1, int(now))


def build(
    src: Path,
    out: Path,
    key_path: Path | None,
    *,
    sequence: int | None = None,
    expires_days: int | None = None,
    prune: bool = False,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Build `src` into `out`. `key_path=None` writes an unsigned manifest.

    Raises SourceInvalidError (listing every source problem) or FeedError; on either, `out` is
    untouched, because nothing is written before the source and the key have been checked.
    """
    source = load_source(src)
    key = load_signing_key(key_path) if key_path is not None else None
    previous = read_published_manifest(out)
    if previous is not None and previous.signed.feed_id != source.feed_id:
        raise FeedError(
            f"{out} holds feed {previous.signed.feed_id!r}, not {source.feed_id!r}; use another directory"
        )
    previous_sequence = previous.signed.sequence if previous is not None else None
    if sequence is None:
        sequence = next_sequence(previous_sequence, time.time())
    elif previous_sequence is not None and sequence <= previous_sequence:
        raise FeedError(
            f"sequence {sequence} is not above the published {previous_sequence}; "
            "clients would reject it as a rollback"
        )
    issued = (now or datetime.now(UTC)).replace(microsecond=0)
    days = expires_days if expires_days is not None else source.expires_days
    if days < 1:
        raise FeedError(f"expires_days must be at least 1, got {days}")
    built = write_feed(
        out,
        feed_id=source.feed_id,
        records=source.records,
        blobs=source.blobs,
        sequence=sequence,
        expires=issued + timedelta(days=days),
        key=key,
        issued=issued,
        progress=progress,
    )
    pruned = prune_unreferenced(out, built.referenced) if prune else 0
    return BuildResult(
        manifest=built.manifest,
        objects_written=built.objects_written,
        bytes_written=built.bytes_written,
        referenced=built.referenced,
        source=source,
        key_id=key_id(bytes(key.verify_key)) if key is not None else None,
        pruned=pruned,
    )
