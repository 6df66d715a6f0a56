"""`hall-feed build`: authoring directory → signed static feed, continuing the published sequence."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from feed.errors import FeedError
from feed.format.manifest import MAX_LIFETIME_DAYS, MAX_SEQUENCE
from feed.format.signing import key_id, load_signing_key
from feed.publish.showable import Finding, check_showable
from feed.publish.source import LoadedSource, Problem, SourceInvalidError, load_source
from feed.publish.writer import BuiltFeed, prune_unreferenced, read_published, write_feed
from feed.runtime.progress import Progress

# An explicit --sequence may lead the clock (or the published sequence, if that is ahead) by at
# most a year of seconds: every later publication has to stay above it, on every device.
SEQUENCE_LEAD = 366 * 24 * 3600


@dataclass(frozen=True)
class BuildResult(BuiltFeed):
    """A BuiltFeed plus what the build read, for the summary line."""

    source: LoadedSource
    key_id: str | None
    pruned: int
    warnings: tuple[Problem, ...] = ()  # what will look wrong on the screens (published anyway)

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


def choose_sequence(previous: int | None, requested: int | None, now: float) -> int:
    """The sequence to publish, after the published one (`previous`); raises FeedError with the way
    out when there is none a client would accept (docs/feed-protocol.md, section 10)."""
    if requested is None:
        sequence = next_sequence(previous, now)
        if sequence > MAX_SEQUENCE:
            raise FeedError(
                f"the published sequence {previous} leaves no higher one a client accepts (at most "
                f"{MAX_SEQUENCE}); rotate the signing key and publish a new sequence into a fresh "
                "directory (docs/feed-protocol.md, section 10)"
            )
        return sequence
    if previous is not None and requested <= previous:
        raise FeedError(
            f"sequence {requested} is not above the published {previous}; "
            "clients would reject it as a rollback"
        )
    if requested > MAX_SEQUENCE:
        raise FeedError(
            f"sequence {requested} is above the highest a client accepts, {MAX_SEQUENCE} (2^53 - 1)"
        )
    ahead_of = max(previous or 0, int(now))
    if requested > ahead_of + SEQUENCE_LEAD:
        raise FeedError(
            f"sequence {requested} is more than a year ahead of {ahead_of} (the clock in Unix seconds,"
            " or the published sequence): every later publication, on every device, would have to"
            " stay above it"
        )
    return requested


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
    warnings = _showable(source)
    key = load_signing_key(key_path) if key_path is not None else None
    previous = read_published(out)
    if previous is not None and previous.feed_id != source.feed_id:
        raise FeedError(
            f"{out} holds feed {previous.feed_id!r}, not {source.feed_id!r}; use another directory"
        )
    previous_sequence = previous.sequence if previous is not None else None
    if previous_sequence is not None and previous_sequence > MAX_SEQUENCE:
        # Pushed past the ceiling under older rules. Clients treat a held sequence above the ceiling
        # as no floor at all (feed.sync.checks), so the feed starts again from the clock.
        previous_sequence = None
    sequence = choose_sequence(previous_sequence, sequence, time.time())
    issued = (now or datetime.now(UTC)).replace(microsecond=0)
    days = expires_days if expires_days is not None else source.expires_days
    if not 1 <= days <= MAX_LIFETIME_DAYS:
        raise FeedError(f"expires_days must be from 1 to {MAX_LIFETIME_DAYS}, got {days}")
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
        warnings=warnings,
    )


def _showable(source: LoadedSource) -> tuple[Problem, ...]:
    """What the screens cannot show: raise SourceInvalidError for errors, return the warnings."""
    findings = check_showable(source.records, source.blobs.get)
    errors = [_at_source(source, f) for f in findings if f.is_error]
    if errors:
        raise SourceInvalidError(errors)
    return tuple(_at_source(source, f) for f in findings if not f.is_error)


def _at_source(source: LoadedSource, finding: Finding) -> Problem:
    origin = source.origins.get((finding.kind, finding.record_id))
    return Problem(origin.file if origin else source.root, origin.line if origin else None, str(finding))
