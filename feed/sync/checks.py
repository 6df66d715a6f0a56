"""The checks every byte from the feed passes before the store sees it.

Each check raises FeedRejectedError with a one-line reason for the status screen. Decisions beyond
the wire format (see docs/feed-protocol.md):
- A client follows one feed: a manifest with another `feed_id` than the snapshot held is refused, so a
  key shared between a test and a production feed cannot swap one for the other. Clear the cache to
  follow a different feed.
- The same sequence is accepted again only with byte-identical manifest content ("unchanged"); the same
  sequence with different content means the publisher broke monotonicity and is refused.
- Records are filed by `shard_of(id, number of shards of that kind)`, so a record id can appear in one
  shard only and a shard cannot smuggle in a duplicate.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from enum import Enum
from typing import Any, Protocol

from nacl.signing import VerifyKey
from pydantic import ValidationError

from feed.errors import FeedRejectedError
from feed.format.manifest import FORMAT, Manifest, Shard, ShardEntry, ShardRef, is_expired, shard_of
from feed.format.signing import verify_manifest
from feed.schema import Record, parse_record


class HeldSnapshot(Protocol):
    """What the engine needs to know of the snapshot in the store (the store's SnapshotInfo)."""

    @property
    def feed_id(self) -> str: ...
    @property
    def sequence(self) -> int: ...
    @property
    def manifest_sha256(self) -> str: ...


class Freshness(Enum):
    NEW = "new"
    SAME = "same"


def first_problem(error: ValidationError) -> str:
    """One short line out of a pydantic error: where and what, never the offending value."""
    problems = error.errors(include_url=False, include_input=False)
    if not problems:
        return "invalid"
    where = ".".join(str(p) for p in problems[0]["loc"]) or "(top level)"
    more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{where}: {problems[0]['msg']}"[:200] + more


def parse_manifest(raw: bytes) -> tuple[Manifest, Any]:
    """Decode and validate the manifest; return it with the `signed` part exactly as received."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise FeedRejectedError("manifest is not valid JSON") from exc
    if not isinstance(data, dict):
        raise FeedRejectedError("manifest is not a JSON object")
    signed = data.get("signed")
    declared = signed.get("format") if isinstance(signed, dict) else None
    if isinstance(declared, str) and declared != FORMAT:
        raise FeedRejectedError(f"unsupported feed format {declared[:40]!r} (this client reads {FORMAT})")
    try:
        manifest = Manifest.model_validate(data)
    except (ValidationError, RecursionError) as exc:
        detail = first_problem(exc) if isinstance(exc, ValidationError) else "nested too deeply"
        raise FeedRejectedError(f"manifest does not match the schema: {detail}") from exc
    return manifest, signed


def check_trust(
    manifest: Manifest, raw_signed: Any, pubkey: VerifyKey | None, *, allow_unsigned: bool
) -> None:
    """Signatures are checked whenever a key is configured; `allow_unsigned` only admits none at all."""
    if not manifest.signatures and allow_unsigned:
        return
    if pubkey is None:
        if allow_unsigned:
            return  # explicitly trusting the source; nothing to verify against
        raise FeedRejectedError("no public key configured (unsigned feeds need allow_unsigned)")
    verify_manifest(manifest, raw_signed, pubkey)


def check_freshness(
    manifest: Manifest, manifest_sha256: str, held: HeldSnapshot | None, now: datetime
) -> Freshness:
    signed = manifest.signed
    if held is not None:
        if signed.feed_id != held.feed_id:
            raise FeedRejectedError(
                f"feed_id changed from {held.feed_id!r} to {signed.feed_id!r}"
                " (clear the cache to switch feeds)"
            )
        if signed.sequence < held.sequence:
            raise FeedRejectedError(
                f"rollback refused: sequence {signed.sequence} is lower than {held.sequence} held"
            )
        if signed.sequence == held.sequence:
            if manifest_sha256 == held.manifest_sha256:
                return Freshness.SAME
            raise FeedRejectedError(f"sequence {signed.sequence} re-published with different content")
    if is_expired(signed, now):
        raise FeedRejectedError(f"manifest expired at {signed.expires.isoformat()}")
    return Freshness.NEW


def check_sizes(manifest: Manifest, *, shard_limit: int, object_limit: int) -> None:
    if len(manifest.signed.shards) > object_limit:
        raise FeedRejectedError(f"manifest lists {len(manifest.signed.shards)} shards, limit {object_limit}")
    for ref in manifest.signed.shards:
        if ref.size > shard_limit:
            raise FeedRejectedError(
                f"shard {ref.kind}/{ref.shard} too large ({ref.size} bytes, limit {shard_limit})"
            )


def shard_counts(refs: Iterable[ShardRef]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ref in refs:
        counts[ref.kind] = counts.get(ref.kind, 0) + 1
    return counts


def check_shard(ref: ShardRef, data: bytes, kind_shards: int, *, record_limit: int) -> Shard:
    label = f"shard {ref.kind}/{ref.shard}"
    try:
        shard = Shard.model_validate_json(data)
    except ValidationError as exc:
        raise FeedRejectedError(f"{label} is invalid: {first_problem(exc)}") from exc
    if shard.kind != ref.kind or shard.shard != ref.shard:
        raise FeedRejectedError(f"{label}: object holds shard {shard.kind}/{shard.shard}")
    if len(shard.entries) != ref.count:
        raise FeedRejectedError(f"{label}: {len(shard.entries)} entries, manifest says {ref.count}")
    if ref.shard >= kind_shards:
        raise FeedRejectedError(f"{label}: numbered past the {kind_shards} shards of its kind")
    seen: set[str] = set()
    for entry in shard.entries:
        if entry.id in seen:
            raise FeedRejectedError(f"{label}: {entry.id!r} listed twice")
        seen.add(entry.id)
        if shard_of(entry.id, kind_shards) != ref.shard:
            raise FeedRejectedError(f"{label}: {entry.id!r} is filed in the wrong shard")
        if entry.size > record_limit:
            raise FeedRejectedError(
                f"{ref.kind} {entry.id}: record too large ({entry.size} bytes, limit {record_limit})"
            )
    return shard


def check_record(kind: str, entry: ShardEntry, data: bytes) -> Record:
    try:
        record = parse_record(data)
    except ValidationError as exc:
        raise FeedRejectedError(f"{kind} {entry.id} is invalid: {first_problem(exc)}") from exc
    if record.kind != kind or record.id != entry.id:
        raise FeedRejectedError(f"{kind} {entry.id}: object holds {record.kind} {record.id}")
    return record


def check_blob(sha256: str, size: int, known_sizes: dict[str, int], *, blob_limit: int) -> None:
    """A blob reference's size is within the limit and agrees with every other reference to it."""
    if size > blob_limit:
        raise FeedRejectedError(f"blob {sha256[:12]} too large ({size} bytes, limit {blob_limit})")
    previous = known_sizes.setdefault(sha256, size)
    if previous != size:
        raise FeedRejectedError(f"blob {sha256[:12]} declared with two sizes ({previous}, {size})")
