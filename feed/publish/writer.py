"""Write records and blobs as a static feed: objects first, the signed manifest last.

Objects are immutable and named by their SHA-256, so re-publishing writes only what changed, and a
web server never serves a manifest whose objects are not already in place.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from nacl.signing import SigningKey
from pydantic import ValidationError

from feed.disk.atomic import write_atomic
from feed.disk.files import read_regular
from feed.errors import FeedError
from feed.format.canonical import canonical_bytes, sha256_hex
from feed.format.layout import MANIFEST_NAME, object_path
from feed.format.limits import DEFAULT_LIMITS
from feed.format.manifest import FORMAT, Manifest, Shard, ShardEntry, ShardRef, SignedManifest, shard_of
from feed.format.signing import sign_manifest
from feed.format.validation import first_problem
from feed.publish.site import write_site
from feed.runtime.progress import NoProgress, Progress
from feed.schema import Kind, Record

# About 128 entries per shard keeps a shard near 16 KiB, so a one-record change moves a few KiB.
ENTRIES_PER_SHARD = 128


@dataclass(frozen=True)
class BuiltFeed:
    manifest: Manifest
    objects_written: int
    bytes_written: int
    referenced: frozenset[str]


def shard_count_for(entries: int, per_shard: int = ENTRIES_PER_SHARD) -> int:
    """A power of two, so growth re-buckets rarely and evenly."""
    count = 1
    while count * per_shard < entries:
        count *= 2
    return count


def record_bytes(record: Record) -> bytes:
    return canonical_bytes(record.model_dump(mode="json"))


class _ObjectWriter:
    def __init__(self, root: Path, progress: Progress) -> None:
        self.root = root
        self.progress = progress
        self.written = 0
        self.bytes = 0
        self.referenced: set[str] = set()

    def put(self, data: bytes) -> tuple[str, int]:
        digest = sha256_hex(data)
        self.referenced.add(digest)
        target = self.root / object_path(digest)
        if not target.exists():
            write_atomic(target, data, durable=False)
            self.written += 1
            self.bytes += len(data)
        self.progress.advance()
        return digest, len(data)


def write_feed(
    out_dir: Path,
    *,
    feed_id: str,
    records: Sequence[Record],
    blobs: Mapping[str, bytes],
    sequence: int,
    expires: datetime,
    key: SigningKey | None,
    issued: datetime | None = None,
    per_shard: int = ENTRIES_PER_SHARD,
    progress: Progress | None = None,
) -> BuiltFeed:
    """Publish `records` (and the `blobs` they reference, keyed by SHA-256) into `out_dir`.

    With `key=None` the manifest is unsigned, which clients accept only when configured to.
    `progress` counts the blobs and records as they are written (or found already in place).
    """
    writer = _ObjectWriter(out_dir, progress or NoProgress())
    writer.progress.begin("writing objects", len(blobs) + len(records))
    try:
        shard_refs = _write_objects(writer, records, blobs, per_shard)
    finally:
        writer.progress.end()

    try:
        signed = SignedManifest(
            format=FORMAT,
            feed_id=feed_id,
            sequence=sequence,
            issued=issued or datetime.now(UTC),
            expires=expires,
            shards=shard_refs,
        )
    except ValidationError as exc:
        raise FeedError(f"manifest not written: {first_problem(exc)}") from exc
    # The phone pages and their signed index go before the manifest too: a client that reads the new
    # manifest finds the pages it names already in place.
    site_bytes = write_site(out_dir, records, feed_id=feed_id, sequence=sequence, key=key)
    manifest = sign_manifest(signed, key) if key is not None else Manifest(signed=signed, signatures=[])
    # Compact: the manifest is the one file every poll downloads, so every byte counts.
    body = canonical_bytes(manifest.model_dump(mode="json")) + b"\n"
    write_atomic(out_dir / MANIFEST_NAME, body)
    return BuiltFeed(
        manifest=manifest,
        objects_written=writer.written,
        bytes_written=writer.bytes + site_bytes + len(body),
        referenced=frozenset(writer.referenced),
    )


def _write_objects(
    writer: _ObjectWriter, records: Sequence[Record], blobs: Mapping[str, bytes], per_shard: int
) -> list[ShardRef]:
    """Blobs, records and the index shards that list them; returns the shards' references."""
    for digest, data in blobs.items():
        if sha256_hex(data) != digest:
            raise FeedError(f"blob {digest[:12]}… does not match its own hash")
        writer.put(data)

    by_kind: dict[Kind, list[Record]] = defaultdict(list)
    for record in records:
        by_kind[record.kind].append(record)

    shard_refs: list[ShardRef] = []
    for kind in sorted(by_kind):
        kind_records = by_kind[kind]
        dupes = sorted(i for i, n in Counter(r.id for r in kind_records).items() if n > 1)
        if dupes:
            raise FeedError(f"duplicate {kind} id(s): {', '.join(dupes[:5])}")
        count = shard_count_for(len(kind_records), per_shard)
        buckets: dict[int, list[ShardEntry]] = defaultdict(list)
        for record in kind_records:
            digest, size = writer.put(record_bytes(record))
            buckets[shard_of(record.id, count)].append(ShardEntry(id=record.id, sha256=digest, size=size))
        for bucket in range(count):
            entries = sorted(buckets.get(bucket, []), key=lambda e: e.id)
            shard = Shard(kind=kind, shard=bucket, entries=entries)
            digest, size = writer.put(canonical_bytes(shard.model_dump(mode="json")))
            shard_refs.append(ShardRef(kind=kind, shard=bucket, sha256=digest, size=size, count=len(entries)))
    return shard_refs


@dataclass(frozen=True)
class Published:
    feed_id: str
    sequence: int


def read_published(out_dir: Path) -> Published | None:
    """Feed id and sequence of the manifest already in `out_dir` (None if there is none), read
    without checking the rest, so that a feed written under older rules can still be continued."""
    path = out_dir / MANIFEST_NAME
    try:
        raw = read_regular(path, DEFAULT_LIMITS.manifest_bytes)  # a FIFO is refused, not waited on
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise FeedError(f"{path}: existing manifest cannot be read ({exc.strerror or exc})") from exc
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise FeedError(f"{path}: existing manifest is unreadable ({exc.__class__.__name__})") from exc
    signed = data.get("signed") if isinstance(data, dict) else None
    feed_id = signed.get("feed_id") if isinstance(signed, dict) else None
    sequence = signed.get("sequence") if isinstance(signed, dict) else None
    if not isinstance(feed_id, str) or not isinstance(sequence, int) or isinstance(sequence, bool):
        raise FeedError(f"{path}: existing manifest has no feed_id and sequence; move it aside")
    return Published(feed_id, sequence)


def read_published_manifest(out_dir: Path) -> Manifest | None:
    """The manifest already in `out_dir`, to continue its sequence; None if there is none."""
    path = out_dir / MANIFEST_NAME
    if not path.exists():
        return None
    try:
        return Manifest.model_validate_json(read_regular(path, DEFAULT_LIMITS.manifest_bytes), strict=True)
    except OSError as exc:
        raise FeedError(f"{path}: existing manifest cannot be read ({exc.strerror})") from exc
    except ValueError as exc:
        raise FeedError(f"{path}: existing manifest is unreadable ({exc.__class__.__name__})") from exc


def prune_unreferenced(out_dir: Path, keep: frozenset[str]) -> int:
    """Delete objects no longer referenced. Only safe when no client is mid-sync on an older manifest."""
    removed = 0
    objects = out_dir / "objects"
    if not objects.is_dir():
        return 0
    for path in objects.glob("*/*"):
        if path.is_file() and path.name not in keep:
            path.unlink()
            removed += 1
    return removed
